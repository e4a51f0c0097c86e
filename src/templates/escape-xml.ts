/**
 * Escaping for values put into markup. Whatever a value holds, the output stays
 * well-formed (SPEC §6): characters XML 1.0 §2.2 forbids (C0 controls but tab,
 * LF and CR; U+FFFE/U+FFFF; unpaired surrogates) are dropped, markup characters
 * become references. `]]>` is harmless once `>` is escaped.
 */
// eslint-disable-next-line no-control-regex -- matching the forbidden control characters is the point
const FORBIDDEN = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  // Literal whitespace in an attribute would be normalised to a space by the reader (XML 1.0 §3.3.3).
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

const reference = (c: string): string => REFERENCES[c] ?? c;

/** Drops the characters XML 1.0 forbids. */
export function xmlSafe(value: string): string {
  return value.replace(FORBIDDEN, '');
}

/** Text content (XHTML and HTML alike). */
export function escapeText(value: string): string {
  return xmlSafe(value).replace(/[&<>\r]/g, reference);
}

/** A double-quoted attribute value (XHTML and HTML alike). */
export function escapeAttribute(value: string): string {
  return xmlSafe(value).replace(/[&<>"\t\n\r]/g, reference);
}

/**
 * Text inside HTML's raw-text elements (style, script), where references are not
 * decoded: only a closing tag could break out, so `</` is defused.
 */
export function escapeRawText(value: string): string {
  return xmlSafe(value).replace(/<\//g, '<\\/');
}
