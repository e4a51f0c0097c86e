import type { GateRequest } from '../http/gate-request.js';
import { parseForm } from '../http/form.js';
import { resolveForward } from '../http/forward-url.js';
import { isSameOriginPost } from '../http/is-same-origin-post.js';
import { queryParam } from '../http/query.js';
import { unknownSite } from './authorize.js';
import { account } from './account.js';
import { confirmLink } from './confirm-link.js';
import { enterCode } from './enter-code.js';
import type { FlowDeps } from './flow-deps.js';
import { isKnownSite } from './known-site.js';
import { logout } from './logout.js';
import { openLink } from './open-link.js';
import { page, type Outcome } from './outcome.js';
import { requestLink } from './request-link.js';
import { sentPage } from './sent-page.js';

const TRUE = /^\s*(1|true|on|yes)\s*$/i;

/** RESPONDER: the gate's own pages behind mod_proxy_fcgi (SPEC §2.2). */
export async function respond(deps: FlowDeps, req: GateRequest): Promise<Outcome> {
  const { targets, keys } = deps.config;
  const isAccount = req.path === targets.account;
  const isLogin = req.path === targets.login;
  const isLogout = req.path === targets.logout;
  if (!isLogin && !isLogout && !isAccount)
    return page('default_404', { LOGIN: targets.login, DOMAIN: req.host });
  if (!(await isKnownSite(deps, req.host))) return unknownSite(deps, req);
  if (isAccount) return account(deps, req);
  // The mailed link opens the login target itself (`/email-link?knock=T`): it is the gate's own
  // URL, so the token never reaches a page outside the protected area (issue 10, item 5).
  const knockInQuery = isLogin && req.method === 'GET' ? queryParam(req.query, keys.query) : undefined;
  if (knockInQuery !== undefined) return openLink(deps, req, knockInQuery);
  // Where the POST that mailed a link sends the browser (issue 15): a GET, so a reload mails nothing.
  if (isLogin && req.method === 'GET' && queryParam(req.query, 'sent') !== undefined)
    return sentPage(deps, req);
  if (req.method !== 'POST') return page('post_only', { LOGIN: targets.login, DOMAIN: req.host });
  // The form is two short fields: a body past the limit is no form of ours (issue 11).
  if (req.bodyTooLarge === true) {
    return page('body_too_large', {
      LOGIN: targets.login,
      DOMAIN: req.host,
      FORWARD: `${req.scheme}://${req.authority}/`,
    });
  }

  if (!isSameOriginPost(req)) {
    deps.log.warn({ event: 'cross-site-post', site: req.host, path: req.path }, 'cross-site POST refused');
    return page('cross_site', {
      LOGIN: targets.login,
      DOMAIN: req.host,
      FORWARD: `${req.scheme}://${req.authority}/`,
    });
  }
  const form = parseForm(req.body, req.headers['content-type']);
  if (isLogout) {
    // The original read `all` from the query only; the form field works too.
    const all = TRUE.test(queryParam(req.query, keys.logout) ?? form.get(keys.logout) ?? '');
    return logout(deps, req, all);
  }

  const forward = resolveForward(form.get(keys.forward), { scheme: req.scheme, authority: req.authority });
  if (!forward.ok) return page('forward_bad', { LOGIN: targets.login, DOMAIN: req.host, FORWARD: '' });
  const knock = form.get('knock');
  if (knock !== undefined) return confirmLink(deps, req, knock, forward.url);
  const code = form.get('code');
  if (code !== undefined) return enterCode(deps, req, code, forward.url);
  return requestLink(deps, req, form.get(keys.email), forward.url);
}
