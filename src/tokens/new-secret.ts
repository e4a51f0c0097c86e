import type { Random } from './random.js';
import { AppError } from '../errors/app-error.js';

/** 256 bits (SPEC §4; OWASP asks for at least 64, NIST SP 800-63B §5.1.2.2 for 112 to store a plain hash). */
export const SECRET_BYTES = 32;

/** A fresh link, session or API secret: 32 random bytes as base64url, 43 characters. */
export function newSecret(random: Random): string {
  const bytes = random.bytes(SECRET_BYTES);
  if (bytes.length !== SECRET_BYTES) {
    throw new AppError('INTERNAL', `random source returned ${bytes.length} bytes, not ${SECRET_BYTES}`);
  }
  return bytes.toString('base64url');
}
