import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import { APP_PASSWORD_LIFETIMES } from './app-password-lifetimes.js';
import { utcMinute } from './link-url.js';
import { phrases, type Phrases } from './phrases.js';
import { requestLanguage } from './request-language.js';
import { page, type Outcome } from './outcome.js';
import type { AppPassword } from '../tokens/app-password.js';
import type { Rows } from './vars.js';
import type { User } from '../policy/user.js';

/** A rows variable with one empty row or none: an element marked with it shows or not. */
const when = (shown: boolean): Rows => (shown ? [{}] : []);

/**
 * The account page (SPEC §10): who is logged in where, their sessions (this one
 * marked), their app passwords with revoke, and the form that creates one.
 */
export async function accountPage(
  deps: FlowDeps,
  req: GateRequest,
  user: User,
  /** Hash of this browser's session token. */
  current: string,
): Promise<Outcome> {
  const { config, store, clock } = deps;
  const now = clock.now();
  const language = requestLanguage(config, req);
  const words = phrases(language);
  const at = (ms: number | null): string => (ms === null ? words.never : utcMinute(ms, language));
  const live = await store.tokens.live(now, user.id);
  const sessions = live
    .filter(({ token }) => token.kind === 'session')
    .map(({ token }) => ({
      SITE: token.site,
      CREATED: at(token.createdAt),
      LAST_SEEN: at(token.lastSeenAt),
      CLIENT: token.clientIp ?? words.unknown,
      THIS: token.hash === current ? words.thisBrowser : '',
    }));
  const passwords = (await store.appPasswords.list(user.id)).map((p) => ({
    ID: p.id,
    LABEL: p.label,
    SITE: p.site === '' ? words.everySite : p.site,
    CREATED: at(p.createdAt),
    LAST_USED: at(p.lastUsedAt),
    EXPIRES: at(p.expiresAt),
    STATE: stateOf(p, now, words),
  }));
  const others = sessions.filter((s) => s.THIS === '').length;
  return page('account', {
    LOGIN: config.targets.login,
    LOGOUT: config.targets.logout,
    ACCOUNT: config.targets.account,
    DOMAIN: req.host,
    EMAIL: user.email,
    FORWARD: `${req.scheme}://${req.authority}${config.targets.account}`,
    SESSIONS: sessions,
    OTHER_SESSIONS: when(others > 0),
    PASSWORDS: passwords,
    NO_PASSWORDS: when(passwords.length === 0),
    LIFETIMES: APP_PASSWORD_LIFETIMES.map((l) => ({ VALUE: l.value, TEXT: words.lifetime(l.value) })),
  });
}

function stateOf(p: AppPassword, now: number, words: Phrases): string {
  if (now >= p.expiresAt) return words.expired;
  if (p.revealedAt !== null) return words.active;
  return now >= p.revealExpiresAt ? words.linkExpired : words.waiting;
}
