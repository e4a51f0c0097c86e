import { GEM_TOKEN } from './gem-token.js';

/**
 * True for what `newSecret` produces (43 base64url characters), and for the Ruby
 * gem's 22-character tokens: its session cookies stay valid after the upgrade, and
 * its old links get the "expired" page rather than "malformed". Checked before any
 * lookup so junk is answered as "malformed" (409) without touching the store.
 */
export function isWellFormedSecret(candidate: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(candidate) || GEM_TOKEN.test(candidate);
}
