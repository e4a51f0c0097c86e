import type { GateRequest } from '../http/gate-request.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { isWellFormedSecret } from '../tokens/is-well-formed-secret.js';
import { newSecret } from '../tokens/new-secret.js';
import type { FlowDeps } from './flow-deps.js';
import { waitText } from './duration-text.js';
import { phrases } from './phrases.js';
import { requestLanguage } from './request-language.js';
import { utcMinute } from './link-url.js';
import { page, type Outcome } from './outcome.js';
import type { AppPassword } from '../tokens/app-password.js';
import type { Vars } from './vars.js';
import { throttle } from './throttle.js';

/**
 * A reveal link on `targets.account` (SPEC §10). GET only shows a button, so a mail
 * scanner spends nothing (as §2.3); the POST of that button makes the password, shows
 * it once and keeps only its SHA-256. The link is bound to the site it was made for.
 */
export async function revealAppPassword(
  deps: FlowDeps,
  req: GateRequest,
  secret: string,
  method: 'GET' | 'POST',
): Promise<Outcome> {
  const { config, store, clock } = deps;
  const origin = `${req.scheme}://${req.authority}`;
  const language = requestLanguage(config, req);
  const vars: Vars = {
    LOGIN: config.targets.login,
    DOMAIN: req.host,
    ACCOUNT: config.targets.account,
    FORWARD: `${origin}${config.targets.account}`,
  };
  const guess = async (state: 'reveal_bad' | 'reveal_not_found'): Promise<Outcome> => {
    const wait = await throttle(deps, 'reveal-ip', { ip: req.clientIp });
    if (wait > 0)
      return page('throttled', { ...vars, RETRY_AFTER: waitText(wait, language) }, { retryAfter: wait });
    deps.log.info({ event: 'reveal-refused', site: req.host, reason: state }, 'reveal link refused');
    return page(state, vars);
  };
  if (!isWellFormedSecret(secret)) return guess('reveal_bad');
  const revealHash = hashSecret(secret);
  const now = clock.now();

  const found = await store.appPasswords.byRevealHash(revealHash);
  if (found === undefined || found.revealSite !== req.host) return guess('reveal_not_found');
  const user = await store.users.byId(found.userId);
  const usable = user !== undefined && user.disabledAt === null;
  if (found.revealedAt !== null && found.revokedAt === null) return page('reveal_used', vars);
  if (!usable || found.revokedAt !== null || now >= found.revealExpiresAt || now >= found.expiresAt) {
    return page('reveal_expired', vars);
  }
  const about = describe(found, vars, language);
  if (method === 'GET') return page('reveal_confirm', { ...about, REVEAL: secret });

  const password = newSecret(deps.random);
  const result = await store.appPasswords.reveal(revealHash, req.host, hashSecret(password), now);
  switch (result.kind) {
    case 'not-found':
      return guess('reveal_not_found');
    case 'used':
      return page('reveal_used', vars);
    case 'expired':
      return page('reveal_expired', vars);
    case 'revealed': {
      deps.log.info({ event: 'app-password-revealed', site: req.host }, 'app password revealed');
      await store.audit.record({
        at: now,
        event: 'app-password-revealed',
        site: req.host,
        address: found.email,
        ip: req.clientIp,
        detail: `id ${found.id}`,
      });
      const url = `${origin}/`;
      return page('revealed', {
        ...about,
        SECRET: password,
        URL: url,
        CURL: `curl -u ${found.email}:${password} ${url}`,
        BEARER: `Authorization: Bearer ${password}`,
      });
    }
  }
}

function describe(found: AppPassword, vars: Vars, language: string): Vars {
  return {
    ...vars,
    EMAIL: found.email,
    LABEL: found.label,
    SITE: found.site === '' ? phrases(language).everySiteYouMayUse : found.site,
    EXPIRES: utcMinute(found.expiresAt, language),
  };
}
