/** Rows a test puts in the store directly, as the daemon would have written them. */
import { randomBytes } from 'node:crypto';
import type { NewToken, TokenKind } from '../../src/tokens/token-record.js';
import type { StoreHandle } from '../../src/store/open-store.js';
import { hashSecret } from '../../src/tokens/hash-secret.js';

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** Inserts a token of `address` (created as a user if need be); returns its secret and hash. */
export async function addToken(
  store: StoreHandle,
  address: string,
  kind: TokenKind,
  o: Partial<Pick<NewToken, 'site' | 'createdAt' | 'expiresAt' | 'absoluteExpiresAt'>> = {},
): Promise<{ secret: string; hash: string }> {
  const createdAt = o.createdAt ?? Date.now() - MINUTE;
  const user = await store.users.findOrCreate(address, createdAt);
  const secret = randomBytes(32).toString('base64url');
  const hash = hashSecret(secret);
  await store.tokens.insert({
    hash,
    kind,
    userId: user.id,
    site: o.site ?? 'site.example',
    createdAt,
    expiresAt: o.expiresAt ?? createdAt + DAY,
    absoluteExpiresAt: o.absoluteExpiresAt ?? createdAt + 90 * DAY,
  });
  return { secret, hash };
}
