/**
 * Where to send a person after login (the `forward` field): same origin as the
 * request or nothing (SPEC §2.2 forward_bad; OWASP Unvalidated Redirects; PEERS
 * T11, whose bypass list comes from oauth2-proxy's advisories CVE-2020-5233,
 * CVE-2020-11053, CVE-2020-4037 and CVE-2021-21291). The original compared the host
 * only, so https -> http and port changes passed; here scheme, host and port must
 * all match after WHATWG URL parsing.
 */
export type ForwardResult = { readonly ok: true; readonly url: string } | { readonly ok: false };

/** A forward longer than this is no URL we produced. */
export const MAX_FORWARD_LENGTH = 8192;

const FAIL: ForwardResult = Object.freeze({ ok: false });

const percentDecode = (s: string): string =>
  s.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/**
 * True when some later decoder (a proxy, mod_rewrite, a browser stripping tabs and
 * newlines) could read the path as a different host: encoded control characters,
 * backslashes, or a leading '//' (`/%0a/evil.test`, `/%5Cevil.test`, `/%2F/evil.test`).
 */
function pathCouldEscape(path: string): boolean {
  let current = path;
  for (let round = 0; round < 3; round++) {
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f\\]/.test(current) || current.startsWith('//')) return true;
    const next = percentDecode(current);
    if (next === current) return false;
    current = next;
  }
  return true;
}

export function resolveForward(
  raw: string | undefined,
  request: { readonly scheme: 'http' | 'https'; readonly authority: string },
): ForwardResult {
  if (raw === undefined || raw === '' || raw.length > MAX_FORWARD_LENGTH) return FAIL;
  // Browsers silently drop tabs and newlines and read '\' as '/' (WHATWG URL), so
  // any of them anywhere makes the URL mean something other than what we check.
  if (/[\p{C}\p{Z}\s\\]/u.test(raw)) return FAIL;
  // An absolute path, or http(s) with an authority. This refuses `//evil.test`,
  // `https:evil.test` (a relative path to WHATWG, a host to other parsers),
  // `javascript:` and `data:`.
  const absolute = /^https?:\/\/([^/?#]*)/i.exec(raw);
  if (absolute === null && !/^\/(?!\/)/.test(raw)) return FAIL;
  if (absolute?.[1]?.includes('@')) return FAIL;
  if (request.authority === '') return FAIL;
  let base: URL;
  let url: URL;
  try {
    base = new URL(`${request.scheme}://${request.authority}/`);
    url = new URL(raw, base);
  } catch {
    return FAIL;
  }
  if (url.origin !== base.origin || url.username !== '' || url.password !== '') return FAIL;
  if (pathCouldEscape(url.pathname)) return FAIL;
  return { ok: true, url: url.href };
}
