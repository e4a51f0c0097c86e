import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import type { LinkLookup } from './find-link.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import { throttle } from './throttle.js';
import { waitText } from './duration-text.js';
import { requestLanguage } from './request-language.js';
import { readCookie } from '../http/cookies.js';
import { checkSession } from './check-session.js';
import { withoutParam } from '../http/query.js';
import { redirectPath } from '../http/redirect-path.js';

/**
 * The page for a link that cannot be used. Guesses (malformed or unknown
 * tokens) count against the client's bad-token limit. An unknown well-formed link
 * is answered as expired, with a form for a new one, as the gem answered it: it is
 * most often a link purged after its lifetime, or one the gem mailed before the switch.
 */
export async function linkFailurePage(
  deps: FlowDeps,
  req: GateRequest,
  lookup: Exclude<LinkLookup, { kind: 'valid' }>,
  forward: string,
): Promise<Outcome> {
  const vars = pageVars(deps, req, forward);
  switch (lookup.kind) {
    case 'malformed':
    case 'not-found': {
      const wait = await throttle(deps, 'bad-token-ip', { ip: req.clientIp });
      if (wait > 0)
        return page(
          'throttled',
          { ...vars, RETRY_AFTER: waitText(wait, requestLanguage(deps.config, req)) },
          { retryAfter: wait },
        );
      return page(lookup.kind === 'malformed' ? 'knock_bad' : 'knock_expired', vars);
    }
    case 'other-site':
      return page('knock_not_found', vars);
    case 'expired': {
      // Re-opening the mail's link while still logged in: go on to the page (issue 15).
      const secret = readCookie(req.headers.cookie, deps.config.keys.cookie);
      const session = secret === undefined ? undefined : await checkSession(deps, req, secret, 'cookie');
      if (session?.kind === 'ok') {
        if (req.role === 'responder')
          return { kind: 'see-other', location: lookup.link.forward ?? forward, setCookies: [] };
        // AUTHORIZER (links of `knock.opens: page`): the page itself, the spent token out of the URL.
        return {
          kind: 'allow',
          principal: session.user.principal,
          setCookies: [],
          redirect: redirectPath(req.path, withoutParam(req.query, deps.config.keys.query)),
        };
      }
      const owner = lookup.link.userId === null ? undefined : await deps.store.users.byId(lookup.link.userId);
      return page('knock_expired', {
        ...vars,
        FORWARD: lookup.link.forward ?? forward,
        EMAIL: owner?.email ?? '',
      });
    }
    case 'no-user':
      return page('no_user', vars);
  }
}
