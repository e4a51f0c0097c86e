import { AppError } from '../errors/app-error.js';

/**
 * The session cookie (SPEC §4, PEERS T14). Host-only: no Domain attribute, so it
 * is not sent to subdomains (the original's explicit Domain leaked it there).
 */

/** RFC 6265bis §5.6.1: user agents cap Max-Age at 400 days, so we never ask for more. */
export const MAX_COOKIE_AGE_SECONDS = 400 * 24 * 60 * 60;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/**
 * The value of cookie `name` in a Cookie header; the first one wins (RFC 6265 §5.4
 * sends the longest path first). Never throws; a quoted value is unquoted.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  // Walked in place, piece by piece, without splitting: a check reads one cookie of several. The
  // next '=' is searched for again only once the walk has passed it, so a header of pieces without
  // one is still read in one pass (16 KB of ';' must not cost a scan per piece).
  let eq = -1;
  for (let start = 0; start <= header.length;) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    if (eq !== Infinity && eq < start) {
      eq = header.indexOf('=', start);
      if (eq === -1) eq = Infinity;
    }
    if (eq < end && header.slice(start, eq).trim() === name) {
      const value = header.slice(eq + 1, end).trim();
      return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
    }
    start = end + 1;
  }
  return undefined;
}

function checked(name: string, value: string): void {
  // A bad name or value here is a programming or config fault, never user input.
  if (!TOKEN.test(name) || !COOKIE_OCTETS.test(value)) {
    throw new AppError('INTERNAL', 'refusing to build a Set-Cookie header from unsafe characters');
  }
}

const tail = (secure: boolean): string => `HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;

/** `name=value; Path=/; Max-Age=N; HttpOnly; SameSite=Lax[; Secure]`. */
export function sessionCookie(
  name: string,
  value: string,
  options: { readonly maxAgeSeconds: number; readonly secure: boolean },
): string {
  checked(name, value);
  const raw = Number.isFinite(options.maxAgeSeconds) ? Math.floor(options.maxAgeSeconds) : 0;
  const maxAge = Math.min(Math.max(raw, 0), MAX_COOKIE_AGE_SECONDS);
  return `${name}=${value}; Path=/; Max-Age=${maxAge}; ${tail(options.secure)}`;
}

/** Deletes the cookie: empty value, Max-Age=0 and an Expires in the past for old agents. */
export function clearCookie(name: string, options: { readonly secure: boolean }): string {
  checked(name, '');
  return `${name}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; ${tail(options.secure)}`;
}
