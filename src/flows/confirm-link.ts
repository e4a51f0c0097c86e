import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import { findLink } from './find-link.js';
import { linkFailurePage } from './link-failure-page.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import { redeemLink } from './redeem-link.js';

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
  const redeemed = await redeemLink(deps, req, lookup, 'confirm');
  if (redeemed.kind === 'used') return page('knock_expired', pageVars(deps, req, forward));
  return { kind: 'see-other', location: forward, setCookies: redeemed.setCookies, redeemed: true };
}
