import { readCookie, sessionCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { isWellFormedSecret } from '../tokens/is-well-formed-secret.js';
import { newSecret } from '../tokens/new-secret.js';
import { remainingSeconds } from '../tokens/remaining-seconds.js';
import { sessionExpiry } from '../tokens/session-expiry.js';
import type { FlowDeps } from './flow-deps.js';
import type { NewToken } from '../tokens/token-record.js';
import type { User } from '../policy/user.js';

export interface PreparedSession {
  /** The row to insert; only the secret's hash is in it. */
  readonly token: NewToken;
  /** Hash of the session the browser carried: a login always gets a fresh id (session fixation). */
  readonly replaces: string | undefined;
  readonly setCookie: string;
}

/**
 * A new session for `user` on this site, made but not yet written: the caller
 * writes it together with whatever must succeed or fail with it.
 */
export function newSession(deps: FlowDeps, req: GateRequest, user: User, now: number): PreparedSession {
  const { config, random } = deps;
  const old = readCookie(req.headers.cookie, config.keys.cookie);
  const secret = newSecret(random);
  const absoluteExpiresAt = now + config.state.expiry.absolute * 1000;
  const expiresAt = sessionExpiry(now, config.state.expiry.cookie, absoluteExpiresAt);
  return {
    token: {
      hash: hashSecret(secret),
      kind: 'session',
      userId: user.id,
      site: req.host,
      createdAt: now,
      expiresAt,
      absoluteExpiresAt,
      clientIp: req.clientIp,
    },
    replaces: old !== undefined && isWellFormedSecret(old) ? hashSecret(old) : undefined,
    setCookie: sessionCookie(config.keys.cookie, secret, {
      maxAgeSeconds: remainingSeconds(expiresAt, now),
      secure: req.scheme === 'https',
    }),
  };
}
