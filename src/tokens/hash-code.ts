import { hashSecret } from './hash-secret.js';

/**
 * What the store keeps instead of a code: SHA-256 of the code keyed with the pending cookie of
 * the browser that asked. A code alone is only 40 bits, so a plain hash in a database dump
 * would fall to a brute force; keyed with a 256-bit secret the dump never holds, it does not,
 * and the code is bound to that browser by construction (SPEC §11).
 */
export function hashCode(pendingSecret: string, code: string): string {
  return hashSecret(`code:${pendingSecret}:${code}`);
}
