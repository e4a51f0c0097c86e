import { hashSecret } from '../tokens/hash-secret.js';
import { isLive } from '../tokens/is-live.js';
import { isWellFormedSecret } from '../tokens/is-well-formed-secret.js';
import { slideDue } from '../tokens/slide-due.js';
import type { SessionView } from '../tokens/token-record.js';
import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import { isAllowed, isAllowedNow } from './is-allowed.js';
import { NOT_AT_HAND } from './reads-at-hand.js';
import type { User } from '../policy/user.js';

export type SessionCheck =
  | { readonly kind: 'ok'; readonly user: User; readonly expiresAt: number; readonly slid: boolean }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'no-user' };

type Refusal = Exclude<SessionCheck, { kind: 'ok' }>;

/** Where the secret came from: an app password is never accepted as a cookie (SPEC §10). */
export type SecretSource = 'cookie' | 'header';

const MALFORMED: Refusal = { kind: 'malformed' };
const NOT_FOUND: Refusal = { kind: 'not-found' };
const EXPIRED: Refusal = { kind: 'expired' };
const NO_USER: Refusal = { kind: 'no-user' };

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
  if (!isWellFormedSecret(secret)) return MALFORMED;
  const hash = hashSecret(secret);
  const view = await deps.store.tokens.session(hash);
  const now = deps.clock.now();
  const refused = refusal(req, view, source, now);
  if (refused !== undefined) return refused;
  const { token, user } = view!;
  if (!(await isAllowed(deps.store.acl, req.host, user.email))) return NO_USER;
  const renewed = renewal(deps, view!, now);
  if (renewed === undefined) return { kind: 'ok', user, expiresAt: token.expiresAt, slid: false };
  await deps.store.tokens.touch(hash, renewed.expiresAt, now);
  return { kind: 'ok', user, expiresAt: renewed.expiresAt, slid: renewed.slid };
}

/**
 * `checkSession` from the reads at hand alone (flows/authorize-now.ts): its answer when the session and
 * access-list rows are cached, the session passes and nothing is to be written; else undefined, and
 * `checkSession` decides (a refusal too, whose page may need the throttle's count).
 */
export function checkSessionNow(
  deps: FlowDeps,
  req: GateRequest,
  secret: string,
  source: SecretSource = 'header',
): SessionCheck | undefined {
  const { atHand } = deps.store;
  if (atHand === undefined || !isWellFormedSecret(secret)) return undefined;
  const view = atHand.session(hashSecret(secret));
  if (view === NOT_AT_HAND) return undefined;
  const now = deps.clock.now();
  if (refusal(req, view, source, now) !== undefined) return undefined;
  const { token, user } = view!;
  if (isAllowedNow(atHand, req.host, user.email) !== true) return undefined;
  if (renewal(deps, view!, now) !== undefined) return undefined;
  return { kind: 'ok', user, expiresAt: token.expiresAt, slid: false };
}

/** Why a stored session may not act for `req` (before the access list), or undefined when it may. */
function refusal(
  req: GateRequest,
  view: SessionView | undefined,
  source: SecretSource,
  now: number,
): Refusal | undefined {
  if (view === undefined) return NOT_FOUND;
  const { token, user } = view;
  if (token.kind === 'api' && source === 'cookie') return NOT_FOUND;
  // A token bound to another site is unknown here (SPEC §2.3, links and sessions are per site).
  // Site '' is an app password made for every site, or a session carried over from the Ruby gem,
  // which bound none (gem-upgrade.ts); the access list is still checked for this site.
  if (token.site !== req.host && token.site !== '') return NOT_FOUND;
  if (!isLive(token, now)) return EXPIRED;
  if (user.disabledAt !== null) return NO_USER;
  return undefined;
}

/**
 * What a passing check must write, if anything: a session's slid expiry, or an app password's last
 * use (its expiry is fixed), each at most once per slide interval.
 */
function renewal(
  deps: FlowDeps,
  view: SessionView,
  now: number,
): { expiresAt: number; slid: boolean } | undefined {
  const { token } = view;
  const { expiry } = deps.config.state;
  if (token.kind === 'api') {
    const due = token.lastSeenAt === null || now - token.lastSeenAt >= expiry.slide * 1000;
    return due ? { expiresAt: token.expiresAt, slid: false } : undefined;
  }
  const next = slideDue(token.expiresAt, now, expiry.cookie, token.absoluteExpiresAt, expiry.slide);
  return next === undefined ? undefined : { expiresAt: next, slid: true };
}
