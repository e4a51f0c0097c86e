import { CODE_ALPHABET } from './new-code.js';

/** The code as the mail shows it, in two groups of four (`K7QM-4XPD`): easier to read and type. */
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * A formatted code standing on its own in a mail's text. The link's token is base64url, so a
 * stretch of it can look like a code (`...xK7QM-4XPDy...`); no token character may touch it.
 */
const IN_TEXT = new RegExp(`(?<![A-Za-z0-9_-])[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}(?![A-Za-z0-9_-])`);

/** The code a mail's text carries, as shown there, or undefined when it has none. */
export function findCode(text: string): string | undefined {
  return IN_TEXT.exec(text)?.[0];
}
