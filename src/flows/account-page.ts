import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import { APP_PASSWORD_LIFETIMES } from './app-password-lifetimes.js';
import { utcMinute } from './link-url.js';
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
  const live = await store.tokens.live(now, user.id);
  const sessions = live
    .filter(({ token }) => token.kind === 'session')
    .map(({ token }) => ({
      SITE: token.site,
      CREATED: utcMinute(token.createdAt),
      LAST_SEEN: token.lastSeenAt === null ? 'never' : utcMinute(token.lastSeenAt),
      CLIENT: token.clientIp ?? 'unknown',
      THIS: token.hash === current ? 'this browser' : '',
    }));
  const passwords = (await store.appPasswords.list(user.id)).map((p) => ({
    ID: p.id,
    LABEL: p.label,
    SITE: p.site === '' ? 'every site' : p.site,
    CREATED: utcMinute(p.createdAt),
    LAST_USED: p.lastUsedAt === null ? 'never' : utcMinute(p.lastUsedAt),
    EXPIRES: utcMinute(p.expiresAt),
    STATE: stateOf(p, now),
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
    LIFETIMES: APP_PASSWORD_LIFETIMES.map((l) => ({ VALUE: l.value, TEXT: l.text })),
  });
}

function stateOf(p: AppPassword, now: number): string {
  if (now >= p.expiresAt) return 'expired';
  if (p.revealedAt !== null) return 'active';
  return now >= p.revealExpiresAt ? 'link expired, never revealed' : 'waiting: reveal it from the mail';
}
