import { hashSecret } from '../tokens/hash-secret.js';
import { isLive } from '../tokens/is-live.js';
import { isWellFormedSecret } from '../tokens/is-well-formed-secret.js';
import { slideDue } from '../tokens/slide-due.js';
import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import { isAllowed } from './is-allowed.js';
import type { User } from '../policy/user.js';

export type SessionCheck =
  | { readonly kind: 'ok'; readonly user: User; readonly expiresAt: number; readonly slid: boolean }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'no-user' };

/** Where the secret came from: an app password is never accepted as a cookie (SPEC §10). */
export type SecretSource = 'cookie' | 'header';

/**
 * A session (cookie) or API (Bearer/Basic) secret against the store. The hot
 * path: one indexed read and the access-list read; a write only when the
 * sliding expiry is due (at most once per `state.expiry.slide`).
 */
export async function checkSession(
  deps: FlowDeps,
  req: GateRequest,
  secret: string,
  source: SecretSource = 'header',
): Promise<SessionCheck> {
  if (!isWellFormedSecret(secret)) return { kind: 'malformed' };
  const hash = hashSecret(secret);
  const view = await deps.store.tokens.session(hash);
  if (view === undefined) return { kind: 'not-found' };
  const { token, user } = view;
  const api = token.kind === 'api';
  if (api && source === 'cookie') return { kind: 'not-found' };
  // A token bound to another site is unknown here (SPEC §2.3, links and sessions are per site).
  // Site '' is an app password made for every site, or a session carried over from the Ruby gem,
  // which bound none (gem-upgrade.ts); the access list is still checked for this site below.
  if (token.site !== req.host && token.site !== '') return { kind: 'not-found' };
  const now = deps.clock.now();
  if (!isLive(token, now)) return { kind: 'expired' };
  if (user.disabledAt !== null) return { kind: 'no-user' };
  if (!(await isAllowed(deps.store.acl, req.host, user.email))) return { kind: 'no-user' };

  const { expiry } = deps.config.state;
  if (api) {
    // An app password's expiry is fixed; only its last use is written, once per slide interval.
    const due = token.lastSeenAt === null || now - token.lastSeenAt >= expiry.slide * 1000;
    if (due) await deps.store.tokens.touch(hash, token.expiresAt, now);
    return { kind: 'ok', user, expiresAt: token.expiresAt, slid: false };
  }
  const next = slideDue(token.expiresAt, now, expiry.cookie, token.absoluteExpiresAt, expiry.slide);
  if (next === undefined) return { kind: 'ok', user, expiresAt: token.expiresAt, slid: false };
  await deps.store.tokens.touch(hash, next, now);
  return { kind: 'ok', user, expiresAt: next, slid: true };
}
