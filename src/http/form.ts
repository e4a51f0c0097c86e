import { decodeFormComponent } from './form-component.js';

/** The media type of a Content-Type value, lower case, without parameters. */
const essence = (contentType: string): string => (contentType.split(';')[0] ?? '').trim().toLowerCase();

/**
 * Fields of an application/x-www-form-urlencoded body (the login and logout POSTs).
 * Never throws: malformed escapes stay literal, invalid UTF-8 becomes U+FFFD, a
 * repeated field keeps its last value. Any other content type gives an empty map.
 */
export function parseForm(body: Buffer, contentType: string | undefined): Map<string, string> {
  const fields = new Map<string, string>();
  if (contentType === undefined || essence(contentType) !== 'application/x-www-form-urlencoded')
    return fields;
  for (const pair of body.toString('latin1').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
    fields.set(name, eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1)));
  }
  return fields;
}
