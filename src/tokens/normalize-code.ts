import { CODE_ALPHABET, CODE_LENGTH } from './new-code.js';

const LETTERS = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/**
 * What a person typed, as the code it means, or undefined when it cannot be one. Forgiving
 * (issue 16): case, spaces and dashes (any kind: phones turn `-` into `–`) do not matter.
 */
export function normalizeCode(typed: string): string | undefined {
  if (typed.length > 64) return undefined;
  const code = typed.replace(/[\s\-\u2010-\u2015\u2212]/g, '').toUpperCase();
  return LETTERS.test(code) ? code : undefined;
}
