/**
 * An app password's label as typed: trimmed, 1 to 64 letters, digits, spaces and
 * plain punctuation. Markup characters and control characters are refused rather than
 * escaped, so a label reads the same in every page, mail, table and JSON.
 */
const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} ._,:;()/+@#'-]{0,63}$/u;

export function parseLabel(raw: string | undefined): string | undefined {
  const label = (raw ?? '').trim().replace(/ {2,}/g, ' ');
  return LABEL.test(label) ? label : undefined;
}
