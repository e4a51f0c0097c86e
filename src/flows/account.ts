import { readCookie, sessionCookie } from '../http/cookies.js';
import { parseForm } from '../http/form.js';
import type { GateRequest } from '../http/gate-request.js';
import { isSameOriginPost } from '../http/is-same-origin-post.js';
import { queryParam } from '../http/query.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { accountPage } from './account-page.js';
import { APP_PASSWORD_LIFETIMES } from './app-password-lifetimes.js';
import { checkSession } from './check-session.js';
import type { FlowDeps } from './flow-deps.js';
import { createAppPassword, mailRevealLink, REVEAL_KEY } from './issue-app-password.js';
import { waitText } from './duration-text.js';
import { phrases } from './phrases.js';
import { requestLanguage } from './request-language.js';
import { utcMinute } from './link-url.js';
import { openLink } from './open-link.js';
import { page, type Outcome } from './outcome.js';
import { pageVars } from './page-vars.js';
import { parseLabel } from './parse-label.js';
import type { User } from '../policy/user.js';
import type { Vars } from './vars.js';
import { revealAppPassword } from './reveal-app-password.js';
import { throttle } from './throttle.js';

/**
 * RESPONDER, `targets.account` (SPEC §10). Reveal links work without a session
 * (the mail may be read on another device); everything else needs this browser's
 * session cookie, and without one is the login page with `forward` back here.
 * Every POST passes the same CSRF check as the other targets.
 */
export async function account(deps: FlowDeps, req: GateRequest): Promise<Outcome> {
  const { config } = deps;
  const origin = `${req.scheme}://${req.authority}`;
  const here = `${origin}${config.targets.account}`;
  const isGet = req.method === 'GET' || req.method === 'HEAD';
  if (!isGet && req.method !== 'POST')
    return page('post_only', { LOGIN: config.targets.login, DOMAIN: req.host });

  let form = new Map<string, string>();
  if (isGet) {
    const reveal = queryParam(req.query, REVEAL_KEY);
    if (reveal !== undefined) return revealAppPassword(deps, req, reveal, 'GET');
    // A login link asked for from this page comes back here, not through the authorizer.
    const knock = queryParam(req.query, config.keys.query);
    if (knock !== undefined) {
      const opened = await openLink(deps, req, knock);
      return opened.kind === 'allow'
        ? {
            kind: 'see-other',
            location: `${origin}${opened.redirect ?? config.targets.account}`,
            setCookies: opened.setCookies,
          }
        : opened;
    }
  } else {
    if (!isSameOriginPost(req)) {
      deps.log.warn({ event: 'cross-site-post', site: req.host, path: req.path }, 'cross-site POST refused');
      return page('cross_site', { LOGIN: config.targets.login, DOMAIN: req.host, FORWARD: here });
    }
    form = parseForm(req.body, req.headers['content-type']);
    const reveal = form.get(REVEAL_KEY);
    if (reveal !== undefined) return revealAppPassword(deps, req, reveal, 'POST');
  }

  const cookie = readCookie(req.headers.cookie, config.keys.cookie);
  const check = cookie === undefined ? undefined : await checkSession(deps, req, cookie, 'cookie');
  if (cookie === undefined || check?.kind !== 'ok') return page('default_401', pageVars(deps, req, here));
  const current = hashSecret(cookie);
  const user = check.user;
  if (isGet) {
    const shown = await accountPage(deps, req, user, current);
    if (!check.slid || shown.kind !== 'page') return shown;
    const refreshed = sessionCookie(config.keys.cookie, cookie, {
      maxAgeSeconds: Math.floor((check.expiresAt - deps.clock.now()) / 1000),
      secure: req.scheme === 'https',
    });
    return { ...shown, setCookies: [refreshed] };
  }

  const vars: Vars = pageVars(deps, req, here, { ACCOUNT: config.targets.account, EMAIL: user.email });
  const back: Outcome = { kind: 'see-other', location: here, setCookies: [] };
  const now = deps.clock.now();
  switch (form.get('action') ?? '') {
    case 'create':
      return create(deps, req, user, form, vars);
    case 'revoke': {
      const revoked = await deps.store.appPasswords.revoke(form.get('id') ?? '', now, user.id);
      if (revoked === undefined) return page('app_password_not_found', vars);
      deps.log.info({ event: 'app-password-revoked', site: req.host }, 'app password revoked');
      await deps.store.audit.record({
        at: now,
        event: 'app-password-revoked',
        site: req.host,
        address: user.email,
        ip: req.clientIp,
        detail: `id ${revoked.id}`,
      });
      return back;
    }
    case 'logout-others': {
      const live = await deps.store.tokens.live(now, user.id);
      const others = live.filter(({ token }) => token.kind === 'session' && token.hash !== current);
      for (const { token } of others) await deps.store.tokens.revoke(token.hash, now);
      await deps.store.audit.record({
        at: now,
        event: 'logout-others',
        site: req.host,
        address: user.email,
        ip: req.clientIp,
        detail: `ended ${String(others.length)} session(s)`,
      });
      return back;
    }
    default:
      return page('account_bad', {
        ...vars,
        PROBLEM: phrases(requestLanguage(deps.config, req)).unknownAction,
      });
  }
}

async function create(
  deps: FlowDeps,
  req: GateRequest,
  user: User,
  form: ReadonlyMap<string, string>,
  vars: Vars,
): Promise<Outcome> {
  const language = requestLanguage(deps.config, req);
  const label = parseLabel(form.get('label'));
  if (label === undefined) return page('account_bad', { ...vars, PROBLEM: phrases(language).badLabel });
  const lifetime = APP_PASSWORD_LIFETIMES.find((l) => l.value === form.get('lifetime'));
  if (lifetime === undefined) {
    return page('account_bad', { ...vars, PROBLEM: phrases(language).chooseLifetime });
  }
  // Each creation mails the person: the same limit as link mails to their address.
  const wait = await throttle(deps, 'email-address', { ip: req.clientIp, address: user.email });
  if (wait > 0)
    return page('throttled', { ...vars, RETRY_AFTER: waitText(wait, language) }, { retryAfter: wait });

  const request = {
    user,
    site: req.host,
    label,
    lifetimeSeconds: lifetime.seconds,
    origin: `${req.scheme}://${req.authority}`,
    revealSite: req.host,
    language,
  };
  const issued = await createAppPassword(deps, request);
  try {
    await mailRevealLink(deps, request, issued, req.documentRoot);
  } catch (error) {
    // No reveal link may stay behind a mail that never left.
    await deps.store.appPasswords.revoke(issued.id, deps.clock.now());
    deps.log.error({ event: 'mail-failed', site: req.host, err: error }, 'could not send the reveal link');
    return page('email_failed', vars);
  }
  deps.log.info({ event: 'app-password-created', site: req.host }, 'app password created');
  await deps.store.audit.record({
    at: deps.clock.now(),
    event: 'app-password-created',
    site: req.host,
    address: user.email,
    ip: req.clientIp,
    detail: `id ${issued.id}`,
  });
  return page('app_password_sent', {
    ...vars,
    LABEL: label,
    FROM: deps.config.email.from,
    EXPIRES: utcMinute(issued.revealExpiresAt, language),
  });
}
