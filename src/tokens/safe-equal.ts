import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Constant-time string equality for secrets (PEERS T3). Both sides are hashed first
 * so that timingSafeEqual always compares 32 bytes: neither a length mismatch nor
 * the position of the first differing byte shows in the timing.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b)) && a === b;
}
