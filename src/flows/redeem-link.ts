import { clearCookie, readCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import type { LinkLookup } from './find-link.js';
import { newSession } from './new-session.js';
import { pendingCookieName } from './pending-cookie-name.js';

export type Redemption =
  { readonly kind: 'signed-in'; readonly setCookies: string[] } | { readonly kind: 'used' };

const DETAIL = {
  get: 'link opened in the requesting browser',
  confirm: 'link confirmed',
  code: 'code typed in the requesting browser',
} as const;

/**
 * Consumes a valid link in one conditional UPDATE (of simultaneous uses exactly
 * one wins, SPEC §2.3) and starts a session in this browser, whose pending
 * cookie, if any, is cleared. Consumption, session and audit entry are one
 * transaction: a fault in any of them leaves the link usable. The one-time code
 * (`via: 'code'`) consumes its link the same way, so either spends both (SPEC §11).
 */
export async function redeemLink(
  deps: FlowDeps,
  req: GateRequest,
  lookup: Extract<LinkLookup, { kind: 'valid' }>,
  via: 'get' | 'confirm' | 'code',
): Promise<Redemption> {
  const now = deps.clock.now();
  const session = newSession(deps, req, lookup.user, now);
  const consumed = await deps.store.tokens.redeemLink({
    hash: lookup.hash,
    site: req.host,
    now,
    session: session.token,
    replaces: session.replaces,
    audit: {
      at: now,
      event: 'login',
      site: req.host,
      address: lookup.user.email,
      ip: req.clientIp,
      detail: DETAIL[via],
    },
  });
  if (consumed === undefined) return { kind: 'used' };
  const setCookies = [session.setCookie];
  const pendingName = pendingCookieName(deps.config);
  if (readCookie(req.headers.cookie, pendingName) !== undefined) {
    setCookies.push(clearCookie(pendingName, { secure: req.scheme === 'https' }));
  }
  deps.log.info({ event: 'link-redeemed', site: req.host, via }, 'link redeemed');
  return { kind: 'signed-in', setCookies };
}
