import { clearCookie, readCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import type { LinkLookup } from './find-link.js';
import { pendingCookieName } from './pending-cookie-name.js';
import { startSession } from './start-session.js';

export type Redemption =
  { readonly kind: 'signed-in'; readonly setCookies: string[] } | { readonly kind: 'used' };

/**
 * Consumes a valid link in one conditional UPDATE (of simultaneous uses exactly
 * one wins, SPEC §2.3) and starts a session in this browser, whose pending
 * cookie, if any, is cleared.
 */
export async function redeemLink(
  deps: FlowDeps,
  req: GateRequest,
  lookup: Extract<LinkLookup, { kind: 'valid' }>,
  via: 'get' | 'confirm',
): Promise<Redemption> {
  const consumed = await deps.store.tokens.consumeLink(lookup.hash, req.host, deps.clock.now());
  if (consumed === undefined) return { kind: 'used' };
  const setCookies = await startSession(deps, req, lookup.user);
  const pendingName = pendingCookieName(deps.config);
  if (readCookie(req.headers.cookie, pendingName) !== undefined) {
    setCookies.push(clearCookie(pendingName, { secure: req.scheme === 'https' }));
  }
  deps.log.info({ event: 'link-redeemed', site: req.host, via }, 'link redeemed');
  await deps.store.audit.record({
    at: deps.clock.now(),
    event: 'login',
    site: req.host,
    address: lookup.user.email,
    ip: req.clientIp,
    detail: via === 'get' ? 'link opened in the requesting browser' : 'link confirmed',
  });
  return { kind: 'signed-in', setCookies };
}
