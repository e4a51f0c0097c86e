import { boundedMemo } from '../http/bounded-memo.js';
import { cgiVariables } from '../http/cgi-variables.js';
import { fromCgiParams } from '../http/from-cgi.js';
import type { GateRequest, Role } from '../http/gate-request.js';
import { isTrustedProxy } from '../app/trusted-proxy-check.js';

/** One request as the HTTP listener received it, before anything in it is believed. */
export interface ProxiedRequest {
  /** The listener request's own method and request-target. */
  readonly method: string;
  readonly target: string;
  /** Name/value pairs in the order received (node's `rawHeaders`, paired). */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** The TCP peer: the proxy (or whoever connected). */
  readonly peer: string;
  readonly body: Buffer;
}

export interface FromProxiedOptions {
  readonly trustedProxies: readonly string[];
  /**
   * For a forward-auth check the request to decide about is the browser's, named by the proxy in
   * X-Forwarded-Method/-Uri (Caddy, Traefik) or X-Original-Method/-URI (nginx's convention).
   */
  readonly check: boolean;
}

/** Header names a proxy uses for the original request, most specific first. */
const METHOD_HEADERS = ['x-forwarded-method', 'x-original-method'];
const URI_HEADERS = ['x-forwarded-uri', 'x-original-uri'];

/**
 * The HTTP listener's request -> the same GateRequest the FastCGI adapter builds, by writing the
 * CGI variables Apache would (RFC 3875 §4.1) and letting `fromCgiParams` decide what to believe:
 * X-Forwarded-Host/-Proto/-For only from `trustedProxies`, as on the FastCGI port. The original
 * method and URI of a check are taken from a trusted peer only; from anyone else the check is
 * about its own request-target, which is no page of any site. Never throws.
 */
export function fromProxiedRequest(
  role: Role,
  request: ProxiedRequest,
  options: FromProxiedOptions,
): GateRequest {
  const peer = request.peer.startsWith('::ffff:') ? request.peer.slice(7) : request.peer;
  const params = Object.create(null) as Record<string, string>;
  for (const [rawName, value] of request.headers) {
    const key = cgiName(rawName);
    // A repeated header keeps its last value: what the nearest hop wrote.
    if (key !== null) params[key] = value;
  }
  let method = request.method;
  let uri = request.target;
  if (options.check && peer !== '' && isTrustedProxy(options.trustedProxies, peer)) {
    method = lastOf(request.headers, METHOD_HEADERS) ?? 'GET';
    uri = lastOf(request.headers, URI_HEADERS) ?? '/';
  }
  params.REQUEST_METHOD = method;
  params.REQUEST_URI = uri.startsWith('/') ? uri : '/';
  params.REMOTE_ADDR = peer;
  params.REQUEST_SCHEME = 'http';
  return fromCgiParams(role, cgiVariables(params), request.body, {
    isTrustedProxy: (ip) => isTrustedProxy(options.trustedProxies, ip),
  });
}

/** Header name as received -> its CGI variable; the same few names come with every request. */
const cgiNames = boundedMemo<string | null>(1000, 256);

function cgiName(rawName: string): string | null {
  const known = cgiNames.get(rawName);
  if (known !== undefined) return known;
  // `X_Forwarded_Host` would become HTTP_X_FORWARDED_HOST too: a name with `_` is dropped
  // (nginx's default, underscores_in_headers off), so no header can pose as another.
  const name = rawName.toLowerCase();
  const key = rawName.includes('_')
    ? null
    : name === 'content-type' || name === 'content-length'
      ? name.toUpperCase().replace('-', '_')
      : `HTTP_${name.toUpperCase().replaceAll('-', '_')}`;
  cgiNames.set(rawName, key);
  return key;
}

function lastOf(headers: ProxiedRequest['headers'], names: readonly string[]): string | undefined {
  for (const wanted of names) {
    let found: string | undefined;
    for (const [name, value] of headers) if (name.toLowerCase() === wanted) found = value;
    if (found !== undefined) return found.trim();
  }
  return undefined;
}
