import { clearCookie, readCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import { findLink } from './find-link.js';
import { linkFailurePage } from './link-failure-page.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import { pendingCookieName } from './pending-cookie-name.js';
import { startSession } from './start-session.js';

/**
 * RESPONDER, the confirmation page's POST (SPEC §2.3): consumes the link in
 * one atomic update, starts a session in this browser and sends it on (303) to
 * the page the link was requested for.
 */
export async function confirmLink(
  deps: FlowDeps,
  req: GateRequest,
  secret: string,
  /** The form's (already validated) forward, for the pages of an unusable link. */
  postedForward: string,
): Promise<Outcome> {
  const lookup = await findLink(deps, req, secret);
  if (lookup.kind !== 'valid') return linkFailurePage(deps, req, lookup, postedForward);
  const forward = lookup.link.forward ?? postedForward;
  const consumed = await deps.store.tokens.consumeLink(lookup.hash, req.host, deps.clock.now());
  if (consumed === undefined) return page('knock_expired', pageVars(deps, req, forward));

  const cookies = await startSession(deps, req, lookup.user);
  const pendingName = pendingCookieName(deps.config);
  if (readCookie(req.headers.cookie, pendingName) !== undefined) {
    cookies.push(clearCookie(pendingName, { secure: req.scheme === 'https' }));
  }
  deps.log.info({ event: 'link-redeemed', site: req.host, via: 'confirm' }, 'link redeemed');
  await deps.store.audit.record({
    at: deps.clock.now(),
    event: 'login',
    site: req.host,
    address: lookup.user.email,
    ip: req.clientIp,
    detail: 'link confirmed',
  });
  return { kind: 'see-other', location: forward, setCookies: cookies };
}
