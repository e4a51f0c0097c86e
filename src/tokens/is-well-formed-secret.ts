/**
 * True for what `newSecret` produces (43 base64url characters). Checked before any
 * lookup so junk is answered as "malformed" (409) without touching the store.
 */
export function isWellFormedSecret(candidate: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(candidate);
}
