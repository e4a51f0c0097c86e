/**
 * Path and query of the request a link arrived on, without the token: what
 * `Variable-FCGI_REDIRECT` carries for Apache's rewrite rule. Path-absolute and
 * never `//host` or `/\host`, which a browser (or a proxy other than our Apache
 * rule) would read as another host.
 */
export function redirectPath(path: string, query: string): string {
  return `/${path.replace(/^[/\\]+/, '')}${query === '' ? '' : `?${query}`}`;
}
