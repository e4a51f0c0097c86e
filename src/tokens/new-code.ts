import type { Random } from './random.js';

/**
 * The one-time code's letters (SPEC §11): digits and capitals without the look-alikes
 * 0/O, 1/I/L, so a code read off a phone is typed right. 31 letters, 8 of them: 31^8 is
 * about 2^39.6 (40 bits), enough for a code that dies after 5 wrong tries.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;

/** The largest byte value below which `byte % 31` is uniform (256 - 256 % 31). */
const UNBIASED = 256 - (256 % CODE_ALPHABET.length);

/** A fresh code, ungrouped (`K7QM4XPD`); rejection sampling keeps every letter equally likely. */
export function newCode(random: Random): string {
  let code = '';
  while (code.length < CODE_LENGTH) {
    for (const byte of random.bytes(CODE_LENGTH * 2)) {
      if (byte >= UNBIASED) continue;
      code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
      if (code.length === CODE_LENGTH) break;
    }
  }
  return code;
}
