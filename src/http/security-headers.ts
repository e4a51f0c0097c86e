/**
 * Headers on every page the gate serves (PEERS T6, T28): not cached; a Referer
 * of the origin only (a link token in the URL never leaks, to another site or
 * ours); no sniffing; not framable (the confirm button must not be
 * clickjacked); and a CSP that allows only the templates' inline styles and
 * same-site images. Not `no-referrer`: under it browsers send `Origin: null`
 * with every form POST (Fetch §3.1 "serializing a request origin"), and on a
 * plain-http site, where Sec-Fetch-Site is not sent, Origin is what the CSRF
 * check reads.
 */
export const PAGE_HEADERS: ReadonlyArray<readonly [name: string, value: string]> = Object.freeze([
  ['Cache-Control', 'no-store'],
  ['Referrer-Policy', 'strict-origin'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  [
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
  ],
] as const);
