/**
 * Headers on every page the gate serves (PEERS T6, T28): not cached, no Referer
 * (a link token in the URL must not leak to another site), no sniffing, not
 * framable (the confirm button must not be clickjacked), and a CSP that allows
 * only the inline styles and same-site images of the templates.
 */
export const PAGE_HEADERS: ReadonlyArray<readonly [name: string, value: string]> = Object.freeze([
  ['Cache-Control', 'no-store'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  [
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
  ],
] as const);
