import { readCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import { requestUrlWithout } from '../http/request-url.js';
import { withoutParam } from '../http/query.js';
import { redirectPath } from '../http/redirect-path.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { safeEqual } from '../tokens/safe-equal.js';
import type { FlowDeps } from './flow-deps.js';
import { findLink } from './find-link.js';
import { linkFailurePage } from './link-failure-page.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import { pendingCookieName } from './pending-cookie-name.js';
import { redeemLink } from './redeem-link.js';

/**
 * A GET carrying `?knock=T` (SPEC §2.3): of the login target (RESPONDER, the links
 * mailed now) or of a protected page (AUTHORIZER, links mailed before issue 10 and
 * `forgetpw mint`). Only the browser that asked for the link (its pending cookie
 * matches) is let in on GET; anyone else (another device, a mail scanner) gets the
 * confirmation page and consumes nothing.
 */
export async function openLink(deps: FlowDeps, req: GateRequest, secret: string): Promise<Outcome> {
  const { config } = deps;
  const atTarget = req.role === 'responder';
  const forward = atTarget ? `${req.scheme}://${req.authority}/` : requestUrlWithout(req, config.keys.query);
  const lookup = await findLink(deps, req, secret);
  if (lookup.kind !== 'valid') return linkFailurePage(deps, req, lookup, forward);

  const mode = config.knock.confirm;
  const pendingName = pendingCookieName(config);
  const pending = readCookie(req.headers.cookie, pendingName);
  const sameBrowser =
    pending !== undefined &&
    lookup.link.pendingHash !== null &&
    safeEqual(hashSecret(pending), lookup.link.pendingHash);
  const consumeNow = mode === 'never' || (mode === 'same-browser' && sameBrowser);

  if (!consumeNow) {
    // A link nobody asked for in a browser (`forgetpw mint`): a neutral "log in to SITE" (issue 15).
    return page(
      lookup.link.pendingHash === null ? 'knock_invite' : 'knock_confirm',
      pageVars(deps, req, lookup.link.forward ?? forward, { KNOCK: secret, EMAIL: lookup.user.email }),
    );
  }

  const redeemed = await redeemLink(deps, req, lookup, 'get');
  if (redeemed.kind === 'used')
    return page('knock_expired', pageVars(deps, req, lookup.link.forward ?? forward));
  if (atTarget)
    return {
      kind: 'see-other',
      location: lookup.link.forward ?? forward,
      setCookies: redeemed.setCookies,
      redeemed: true,
    };
  const query = withoutParam(req.query, config.keys.query);
  return {
    kind: 'allow',
    principal: lookup.user.principal,
    setCookies: redeemed.setCookies,
    redirect: redirectPath(req.path, query),
  };
}
