import type { GateRequest } from '../http/gate-request.js';
import { hashCode } from '../tokens/hash-code.js';
import { normalizeCode } from '../tokens/normalize-code.js';
import { safeEqual } from '../tokens/safe-equal.js';
import type { FlowDeps } from './flow-deps.js';
import { lookUpLink } from './find-link.js';
import { findLinkRequest } from './find-link-request.js';
import { waitText } from './duration-text.js';
import { linkFailurePage } from './link-failure-page.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import { phrases } from './phrases.js';
import { redeemLink } from './redeem-link.js';
import { requestGonePage } from './request-gone-page.js';
import { requestLanguage } from './request-language.js';
import { sentVars } from './sent-page.js';
import { throttle } from './throttle.js';

/** Wrong codes a request survives (SPEC §11): 5 guesses of 31^8 are a 1 in 10^11 chance. */
export const CODE_TRIES = 5;

/**
 * RESPONDER, the code form of the sent page (SPEC §11): the mailed code, typed in the browser
 * that asked for the link (its pending cookie names the request), consumes the link as opening
 * it would and sends the browser on (303). Every try counts against the client's limit first;
 * a wrong code counts against the request, and the last wrong one ends the code and its link.
 */
export async function enterCode(
  deps: FlowDeps,
  req: GateRequest,
  typed: string,
  /** The form's (already validated) forward, for a browser that asked for nothing. */
  postedForward: string,
): Promise<Outcome> {
  const wait = await throttle(deps, 'code-ip', { ip: req.clientIp });
  if (wait > 0) {
    deps.log.info({ event: 'throttled', site: req.host, limit: 'code-ip' }, 'code throttled');
    return page(
      'throttled',
      {
        ...pageVars(deps, req, postedForward),
        RETRY_AFTER: waitText(wait, requestLanguage(deps.config, req)),
      },
      { retryAfter: wait },
    );
  }
  const found = await findLinkRequest(deps, req);
  if (found.kind !== 'live') return requestGonePage(deps, req, found, postedForward);
  const { request, pending } = found;

  const code = normalizeCode(typed);
  // Not a code at all (too short, a letter we never use): said so, not counted as a guess.
  if (code === undefined) {
    return page('code_wrong', {
      ...sentVars(deps, req, request),
      TRIES_LEFT: phrases(requestLanguage(deps.config, req)).triesLeft(CODE_TRIES - request.codeTries),
    });
  }
  if (safeEqual(hashCode(pending, code), request.codeHash)) {
    const link = await deps.store.tokens.linkByPending(request.pendingHash);
    // No link: none was made (the address is not listed and `privacy.conceal_list` hides that),
    // so no code can be right; answered as a wrong one, the same as for a listed address.
    if (link !== undefined) {
      const lookup = await lookUpLink(deps, req, link.hash, link);
      if (lookup.kind !== 'valid') return linkFailurePage(deps, req, lookup, request.forward);
      const redeemed = await redeemLink(deps, req, lookup, 'code');
      if (redeemed.kind === 'used')
        return linkFailurePage(deps, req, { kind: 'expired', link }, request.forward);
      return {
        kind: 'see-other',
        location: request.forward,
        setCookies: redeemed.setCookies,
        redeemed: true,
      };
    }
  }

  const now = deps.clock.now();
  const left = await deps.store.linkRequests.wrongCode(request.pendingHash, CODE_TRIES, now);
  deps.log.info({ event: 'code-wrong', site: req.host, left }, 'wrong code');
  if (left > 0)
    return page('code_wrong', {
      ...sentVars(deps, req, request),
      TRIES_LEFT: phrases(requestLanguage(deps.config, req)).triesLeft(left),
    });
  await deps.store.audit.record({
    at: now,
    event: 'code-ended',
    site: req.host,
    address: request.address,
    ip: req.clientIp,
    detail: `${CODE_TRIES} wrong codes`,
  });
  return page('code_ended', pageVars(deps, req, request.forward, { EMAIL: request.address }));
}
