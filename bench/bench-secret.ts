import { createHash } from 'node:crypto';

/**
 * The cookie secret of seeded session `index`: 32 bytes as base64url (43 characters, as
 * `newSecret` makes them), derived from the index so the bench can seed a million sessions
 * and still know any of their cookies without keeping a list. For benchmarks only.
 */
export function benchSecret(index: number): string {
  return createHash('sha256').update(`forgetpw-bench:${index}`).digest('base64url');
}

/** What the store keeps for it (tokens/hash-secret.ts). */
export function benchHash(index: number): string {
  return createHash('sha256').update(benchSecret(index), 'utf8').digest('hex');
}
