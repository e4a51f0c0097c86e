import { readCookie, sessionCookie } from '../http/cookies.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { isWellFormedSecret } from '../tokens/is-well-formed-secret.js';
import { newSecret } from '../tokens/new-secret.js';
import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import type { User } from './ports.js';

/**
 * Mints a new session for `user` on this site and answers its Set-Cookie. Any
 * session the browser already carried is revoked: a login always gets a fresh
 * id (session fixation).
 */
export async function startSession(deps: FlowDeps, req: GateRequest, user: User): Promise<string[]> {
  const { config, store, clock, random } = deps;
  const now = clock.now();
  const old = readCookie(req.headers.cookie, config.keys.cookie);
  if (old !== undefined && isWellFormedSecret(old)) await store.tokens.revoke(hashSecret(old), now);

  const secret = newSecret(random);
  const absoluteExpiresAt = now + config.state.expiry.absolute * 1000;
  const expiresAt = Math.min(now + config.state.expiry.cookie * 1000, absoluteExpiresAt);
  await store.tokens.insert({
    hash: hashSecret(secret),
    kind: 'session',
    userId: user.id,
    site: req.host,
    createdAt: now,
    expiresAt,
    absoluteExpiresAt,
    clientIp: req.clientIp,
  });
  return [
    sessionCookie(config.keys.cookie, secret, {
      maxAgeSeconds: Math.floor((expiresAt - now) / 1000),
      secure: req.scheme === 'https',
    }),
  ];
}
