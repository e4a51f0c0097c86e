import { parseAuthorization } from '../http/authorization.js';
import { readCookie, sessionCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import { queryParam } from '../http/query.js';
import { requestUrl, requestUrlWithout } from '../http/request-url.js';
import { remainingSeconds } from '../tokens/remaining-seconds.js';
import { checkSession, type SessionCheck } from './check-session.js';
import { normalizeAddress } from '../policy/normalize-address.js';
import { addressRules } from './address-rules.js';
import type { FlowDeps } from './flow-deps.js';
import { isKnownSite } from './known-site.js';
import { waitText } from './duration-text.js';
import { requestLanguage } from './request-language.js';
import { openLink } from './open-link.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import type { User } from '../policy/user.js';
import { throttle } from './throttle.js';

/**
 * AUTHORIZER: every request to a protected area (SPEC §2.1). Checks, in order,
 * an Authorization header, the link token in the query, the session cookie;
 * with none of them, the form asking for an address.
 */
export async function authorize(deps: FlowDeps, req: GateRequest): Promise<Outcome> {
  const { config } = deps;
  if (!(await isKnownSite(deps, req.host))) return unknownSite(deps, req);
  const auth = parseAuthorization(req.headers.authorization);
  if (auth !== undefined && (auth.scheme === 'bearer' || auth.scheme === 'basic')) {
    const check = await checkSession(deps, req, auth.token);
    if (check.kind !== 'ok') return sessionFailure(deps, req, check);
    // The app may read the Basic user name (PHP_AUTH_USER) instead of REMOTE_USER: it must be
    // empty or name the token's owner, or `curl -u admin@...:BOBS_TOKEN` passes as admin.
    if (auth.scheme === 'basic' && !namesOwner(deps, auth.user, check.user)) {
      deps.log.info(
        { event: 'denied', site: req.host, reason: 'basic-user-mismatch' },
        'basic user name refused',
      );
      return sessionFailure(deps, req, { kind: 'not-found' });
    }
    return { kind: 'allow', principal: check.user.principal, setCookies: [] };
  }
  if (auth?.scheme === 'malformed') return sessionFailure(deps, req, { kind: 'malformed' });

  const knock = queryParam(req.query, config.keys.query);
  if (knock !== undefined) return openLink(deps, req, knock);

  const cookie = readCookie(req.headers.cookie, config.keys.cookie);
  if (cookie !== undefined) {
    const check = await checkSession(deps, req, cookie, 'cookie');
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

/** A Basic user name must be empty or name the token's owner (by principal or address). */
export function namesOwner(deps: FlowDeps, name: string, owner: User): boolean {
  if (name === '' || name === owner.principal) return true;
  const normal = normalizeAddress(name, addressRules(deps.config));
  return normal.ok && (normal.address === owner.email || normal.address === owner.principal);
}

/** A host that is none of the gate's sites: no form, no link, no session (issue 10). */
export function unknownSite(deps: FlowDeps, req: GateRequest): Outcome {
  deps.log.info({ event: 'unknown-site', site: req.host }, 'request for a host that is not a site');
  return page('site_unknown', { LOGIN: deps.config.targets.login, DOMAIN: req.host, FORWARD: '' });
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
      const wait = await throttle(deps, 'bad-token-ip', { ip: req.clientIp });
      if (wait > 0)
        return page(
          'throttled',
          { ...vars, RETRY_AFTER: waitText(wait, requestLanguage(deps.config, req)) },
          { retryAfter: wait },
        );
      return page(check.kind === 'malformed' ? 'cookie_bad' : 'cookie_not_found', vars);
    }
    case 'expired':
      return page('cookie_expired', vars);
    case 'no-user':
      return page('no_user', vars);
  }
}
