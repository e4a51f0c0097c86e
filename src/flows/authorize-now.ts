import { parseAuthorization } from '../http/authorization.js';
import { readCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import { queryParam } from '../http/query.js';
import { namesOwner } from './authorize.js';
import { checkSessionNow } from './check-session.js';
import type { FlowDeps } from './flow-deps.js';
import { isKnownSiteNow } from './known-site.js';
import type { Outcome } from './outcome.js';

const NO_COOKIES: readonly string[] = Object.freeze([]);

/**
 * The common check, decided from the reads at hand with no promise (issue 18): a request of a known
 * site whose session (cookie, Bearer or Basic) and access-list rows are cached, that passes, and
 * whose session has nothing to write. It follows `authorize`'s order; for anything else (a refusal,
 * a link in the query, no credentials, a read not cached, a slide due) it answers undefined and
 * `authorize` decides, so every page and write stays `authorize`'s.
 */
export function authorizeNow(deps: FlowDeps, req: GateRequest): Outcome | undefined {
  if (isKnownSiteNow(deps, req.host) !== true) return undefined;
  const auth = parseAuthorization(req.headers.authorization);
  if (auth !== undefined && auth.scheme !== 'other') {
    if (auth.scheme === 'malformed') return undefined;
    const check = checkSessionNow(deps, req, auth.token);
    if (check?.kind !== 'ok') return undefined;
    if (auth.scheme === 'basic' && !namesOwner(deps, auth.user, check.user)) return undefined;
    return { kind: 'allow', principal: check.user.principal, setCookies: NO_COOKIES };
  }
  if (queryParam(req.query, deps.config.keys.query) !== undefined) return undefined;
  const cookie = readCookie(req.headers.cookie, deps.config.keys.cookie);
  if (cookie === undefined) return undefined;
  const check = checkSessionNow(deps, req, cookie, 'cookie');
  if (check?.kind !== 'ok') return undefined;
  return { kind: 'allow', principal: check.user.principal, setCookies: NO_COOKIES };
}
