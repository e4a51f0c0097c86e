import { boundedMemo } from '../http/bounded-memo.js';
import { cgiVariables } from '../http/cgi-variables.js';
import { fromCgiParams } from '../http/from-cgi.js';
import type { GateRequest, Role } from '../http/gate-request.js';

/** One request as the HTTP listener received it, before anything in it is believed. */
export interface ProxiedRequest {
  /** The listener request's own method and request-target. */
  readonly method: string;
  readonly target: string;
  /** Its headers by lower-case name, as `proxiedHeaders` reads them. */
  readonly headers: Readonly<Record<string, string>>;
  /** The TCP peer: the proxy (or whoever connected). */
  readonly peer: string;
  readonly body: Buffer;
}

export interface FromProxiedOptions {
  /** Whether a peer is one of `http.trusted_proxies`, whose X-Forwarded-* headers are believed. */
  readonly isTrustedProxy: (ip: string) => boolean;
  /**
   * For a forward-auth check the request to decide about is the browser's, named by the proxy in
   * X-Forwarded-Method/-Uri (Caddy, Traefik) or X-Original-Method/-URI (nginx's convention).
   */
  readonly check: boolean;
}

/**
 * The HTTP listener's request -> the same GateRequest the FastCGI adapter builds, with the CGI
 * variables Apache would write (RFC 3875 §4.1) and `fromCgiParams` deciding what to believe:
 * X-Forwarded-Host/-Proto/-For only from a trusted proxy, as on the FastCGI port. The headers go
 * over by name as they are, not through `HTTP_*` variables and back (issue 13: that round trip was
 * a tenth of a check's time). The original method and URI of a check are taken from a trusted peer
 * only; from anyone else the check is about its own request-target, which is no page of any site.
 * Never throws.
 */
export function fromProxiedRequest(
  role: Role,
  request: ProxiedRequest,
  options: FromProxiedOptions,
): GateRequest {
  const peer = request.peer.startsWith('::ffff:') ? request.peer.slice(7) : request.peer;
  const { headers } = request;
  let method = request.method;
  let uri = request.target;
  if (options.check && peer !== '' && options.isTrustedProxy(peer)) {
    method = (headers['x-forwarded-method'] ?? headers['x-original-method'])?.trim() ?? 'GET';
    uri = (headers['x-forwarded-uri'] ?? headers['x-original-uri'])?.trim() ?? '/';
  }
  const variables: Record<string, string> = {
    REQUEST_METHOD: method,
    REQUEST_URI: uri.startsWith('/') ? uri : '/',
    REMOTE_ADDR: peer,
    REQUEST_SCHEME: 'http',
  };
  return fromCgiParams(role, cgiVariables(variables), request.body, {
    isTrustedProxy: options.isTrustedProxy,
    headers,
  });
}

/**
 * node's `rawHeaders` (names and values, flat, in the order received) -> headers by lower-case
 * name. A repeated header keeps its last value, what the nearest hop wrote; node's own
 * `req.headers` keeps the first of some and joins others, and is not read.
 *
 * Read-only by its type, not frozen: `Object.freeze` on an object without a prototype (a dictionary
 * to V8) gave it a new hidden class in the old generation on every check, 17 MB a second at nginx
 * saturation, so a mark-compact every half second with main-thread steps of up to 5 ms: the tail
 * issue 13 measured (BENCHMARKS.md session 12).
 */
export function proxiedHeaders(rawHeaders: readonly string[]): Readonly<Record<string, string>> {
  const headers = Object.create(null) as Record<string, string>;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = headerName(rawHeaders[i]!);
    if (name !== null) headers[name] = rawHeaders[i + 1]!;
  }
  return headers;
}

/** Header name as received -> the name the flows read it by; the same few come with every request. */
const headerNames = boundedMemo<string | null>(1000, 256);

function headerName(rawName: string): string | null {
  const known = headerNames.get(rawName);
  if (known !== undefined) return known;
  // `X_Forwarded_Host` would read as X-Forwarded-Host through CGI (HTTP_X_FORWARDED_HOST): a name
  // with `_` is dropped (nginx's default, underscores_in_headers off), so no header can pose as another.
  const name = rawName.includes('_') ? null : rawName.toLowerCase();
  headerNames.set(rawName, name);
  return name;
}
