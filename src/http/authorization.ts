/**
 * The Authorization header, for curl and feed readers (SPEC §2.1 step 1, §4).
 * Basic carries the token as the password: `base64(USER:TOKEN)` and, without a
 * colon, the whole decoded string taken (as the original). The user name is handed
 * on: the flows refuse one that names somebody else, since the protected app may
 * read it (PHP's PHP_AUTH_USER) rather than REMOTE_USER (issue 10, item 4).
 */
export type Authorization =
  | { readonly scheme: 'bearer'; readonly token: string }
  | { readonly scheme: 'basic'; readonly token: string; readonly user: string }
  | { readonly scheme: 'other' }
  | { readonly scheme: 'malformed' };

/** Undefined when the header is absent or blank (then the next credential is tried). */
export function parseAuthorization(header: string | undefined): Authorization | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  const match = /^(\S+)(?:\s+(.*))?$/s.exec(text);
  const scheme = match?.[1]?.toLowerCase();
  const credentials = match?.[2]?.trim() ?? '';
  if (scheme !== 'bearer' && scheme !== 'basic') return { scheme: 'other' };
  // RFC 6750 §2.1 b64token, RFC 7617 §2 token68: one word, no spaces.
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(credentials)) return { scheme: 'malformed' };
  if (scheme === 'bearer') return { scheme, token: credentials };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(credentials) || credentials.length % 4 === 1)
    return { scheme: 'malformed' };
  const decoded = Buffer.from(credentials, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  const token = colon === -1 ? decoded : decoded.slice(colon + 1);
  const user = colon === -1 ? '' : decoded.slice(0, colon);
  return token === '' ? { scheme: 'malformed' } : { scheme, token, user };
}
