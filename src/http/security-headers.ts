/**
 * Headers on every page the gate serves (PEERS T6, T28): not cached; a Referer
 * of the origin only (a link token in the URL never leaks, to another site or
 * ours); no sniffing; not framable (the confirm button must not be
 * clickjacked); and a CSP that allows only the templates' inline styles and
 * same-site styles and images. Not `no-referrer`: under it browsers send `Origin: null`
 * with every form POST (Fetch §3.1 "serializing a request origin"), and on a
 * plain-http site, where Sec-Fetch-Site is not sent, Origin is what the CSRF
 * check reads.
 */
type Header = readonly [name: string, value: string];

const BASE_POLICY: ReadonlyArray<readonly [directive: string, sources: readonly string[]]> = [
  ['default-src', ["'none'"]],
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:']],
  ['form-action', ["'self'"]],
  ['frame-ancestors', ["'none'"]],
  ['base-uri', ["'self'"]],
];

export interface PagePolicy {
  /**
   * templates.transform when the browser applies it: an XSLT stylesheet is fetched
   * under `script-src` (CSP3 §6.1.11 lists XSLT among script-like destinations), so
   * its origin (or 'self' for a same-site path) is allowed there, and nothing else.
   */
  readonly transform?: string | undefined;
  /** templates.csp: extra sources per directive, `style-src https://cdn.example; font-src 'self'`. */
  readonly extra?: string | undefined;
}

export function pageHeaders(policy: PagePolicy = {}): readonly Header[] {
  const directives = new Map(BASE_POLICY.map(([name, sources]) => [name, [...sources]]));
  const add = (name: string, source: string): void => {
    const sources = directives.get(name) ?? [];
    // 'none' means nothing: any source added replaces it.
    const kept = sources.filter((s) => s !== "'none'");
    if (!kept.includes(source)) kept.push(source);
    directives.set(name, kept);
  };
  if (policy.transform !== undefined) add('script-src', sourceOf(policy.transform));
  for (const part of (policy.extra ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name === undefined || name === '') continue;
    for (const source of sources) add(name.toLowerCase(), source);
  }
  const csp = [...directives].map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
  return Object.freeze([
    ['Cache-Control', 'no-store'],
    ['Referrer-Policy', 'strict-origin'],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Content-Security-Policy', csp],
  ] as const);
}

/** The strict default: no transform, nothing extra. */
export const PAGE_HEADERS = pageHeaders();

/** An absolute http(s) URL allows its origin; a path (or a file: URL read by the daemon) is same-site. */
function sourceOf(transform: string): string {
  if (/^https?:\/\//i.test(transform) && URL.canParse(transform)) return new URL(transform).origin;
  return "'self'";
}
