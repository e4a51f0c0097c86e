import { parseAuthorization } from '../http/authorization.js';
import { readCookie, sessionCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import { queryParam } from '../http/query.js';
import { requestUrl, requestUrlWithout } from '../http/request-url.js';
import { remainingSeconds } from '../tokens/remaining-seconds.js';
import { checkSession, type SessionCheck } from './check-session.js';
import type { FlowDeps } from './flow-deps.js';
import { waitText } from './link-failure-page.js';
import { openLink } from './open-link.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import { throttle } from './throttle.js';

/**
 * AUTHORIZER: every request to a protected area (SPEC §2.1). Checks, in order,
 * an Authorization header, the link token in the query, the session cookie;
 * with none of them, the form asking for an address.
 */
export async function authorize(deps: FlowDeps, req: GateRequest): Promise<Outcome> {
  const { config } = deps;
  const auth = parseAuthorization(req.headers.authorization);
  if (auth !== undefined && (auth.scheme === 'bearer' || auth.scheme === 'basic')) {
    const check = await checkSession(deps, req, auth.token);
    return check.kind === 'ok'
      ? { kind: 'allow', principal: check.user.principal, setCookies: [] }
      : sessionFailure(deps, req, check);
  }
  if (auth?.scheme === 'malformed') return sessionFailure(deps, req, { kind: 'malformed' });

  const knock = queryParam(req.query, config.keys.query);
  if (knock !== undefined) return openLink(deps, req, knock);

  const cookie = readCookie(req.headers.cookie, config.keys.cookie);
  if (cookie !== undefined) {
    const check = await checkSession(deps, req, cookie);
    if (check.kind !== 'ok') return sessionFailure(deps, req, check);
    const now = deps.clock.now();
    // The cookie is re-sent only when the stored expiry moved (SPEC §4).
    const setCookies = check.slid
      ? [
          sessionCookie(config.keys.cookie, cookie, {
            maxAgeSeconds: remainingSeconds(check.expiresAt, now),
            secure: req.scheme === 'https',
          }),
        ]
      : [];
    return { kind: 'allow', principal: check.user.principal, setCookies };
  }
  return page('default_401', pageVars(deps, req, requestUrl(req)));
}

async function sessionFailure(
  deps: FlowDeps,
  req: GateRequest,
  check: Exclude<SessionCheck, { kind: 'ok' }>,
): Promise<Outcome> {
  const vars = pageVars(deps, req, requestUrlWithout(req, deps.config.keys.query));
  switch (check.kind) {
    case 'malformed':
    case 'not-found': {
      const wait = await throttle(deps, 'bad-token-ip', req.clientIp);
      if (wait > 0) return page('throttled', { ...vars, RETRY_AFTER: waitText(wait) }, { retryAfter: wait });
      return page(check.kind === 'malformed' ? 'cookie_bad' : 'cookie_not_found', vars);
    }
    case 'expired':
      return page('cookie_expired', vars);
    case 'no-user':
      return page('no_user', vars);
  }
}
