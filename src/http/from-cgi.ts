import { normalizeHostName } from '../policy/normalize-host-name.js';
import type { CgiVariables } from './cgi-variables.js';
import type { GateRequest, Role } from './gate-request.js';
import { boundedMemo } from './bounded-memo.js';
import { parseIp } from './parse-ip.js';

/**
 * CGI/1.1 params (RFC 3875 §4.1) as Apache sends them (NOTES §3.3) -> the request
 * value the flows read. Never throws: every field has a fallback, because junk
 * params killed the original daemon (ORIGINAL §7).
 *
 * X-Forwarded-For/-Host/-Proto are believed only when REMOTE_ADDR is one of
 * a trusted proxy (SPEC §2.1, PEERS T26); the original's Rack believed them from
 * anyone, so a spoofed X-Forwarded-Host passed another site's access list.
 */
export interface FromCgiOptions {
  /** Whether a peer is a proxy whose X-Forwarded-* headers are believed (`trusted_proxies`). */
  readonly isTrustedProxy: (ip: string) => boolean;
  /** The adapter dropped a body over its limit. */
  readonly bodyTooLarge?: boolean;
  /**
   * The request's headers by lower-case name, when the adapter has them so (the HTTP listener);
   * otherwise they are read from the `HTTP_*`, CONTENT_TYPE and CONTENT_LENGTH variables.
   */
  readonly headers?: Readonly<Record<string, string>>;
}

type Scheme = GateRequest['scheme'];

/** An authorizer's body: nobody writes into a buffer of no bytes, so one serves every request. */
const NO_BODY = Buffer.alloc(0);

interface Site {
  readonly host: string;
  readonly authority: string;
}

/**
 * Answers of `siteOf` per scheme: a daemon sees the same few Host values all day, and the IDNA
 * normalisation behind each is the costliest step of building a request (issue 18).
 */
const sites = { http: boundedMemo<Site | null>(), https: boundedMemo<Site | null>() };

/** `host[:port]` -> normalised host, and authority with the port unless it is the scheme's default. */
function siteOf(value: string | undefined, scheme: Scheme): Site | undefined {
  if (value === undefined) return undefined;
  const memo = sites[scheme];
  const known = memo.get(value);
  if (known !== undefined) return known ?? undefined;
  const site = parseSite(value, scheme);
  memo.set(value, site ?? null);
  return site;
}

function parseSite(value: string, scheme: Scheme): Site | undefined {
  const text = value.trim();
  const match = /^(\[[^\]]*\]|[^:[\]]*)(?::([0-9]{0,5}))?$/.exec(text);
  const host = match?.[1] === undefined ? undefined : normalizeHostName(match[1]);
  if (host === undefined) return undefined;
  const portText = match?.[2] ?? '';
  const port = portText === '' ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const standard = scheme === 'https' ? 443 : 80;
  return { host, authority: port === undefined || port === standard ? host : `${host}:${port}` };
}

/** The last entry of a comma-separated header: what the nearest (trusted) proxy said. */
const lastEntry = (value: string | undefined): string | undefined =>
  value?.slice(value.lastIndexOf(',') + 1).trim();

/** `1.2.3.4:80`, `[::1]:80`, `[::1]` -> the bare address. */
function withoutPort(hop: string): string {
  const bracketed = /^\[([^\]]*)\](?::[0-9]*)?$/.exec(hop);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  const v4 = /^([0-9.]+):[0-9]*$/.exec(hop);
  return v4?.[1] ?? hop;
}

/** X-Forwarded-For from the right: the first address that is not itself a trusted proxy. */
function forwardedClient(peer: string, header: string | undefined, trusted: (ip: string) => boolean): string {
  if (header === undefined) return peer;
  let client = peer;
  const hops = header.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = withoutPort((hops[i] ?? '').trim());
    if (parseIp(hop) === undefined) break;
    client = hop;
    if (!trusted(hop)) break;
  }
  return client;
}

function schemeOf(params: CgiVariables): Scheme {
  if (params.get('REQUEST_SCHEME')?.trim().toLowerCase() === 'https') return 'https';
  const https = params.get('HTTPS')?.trim().toLowerCase();
  return https === 'on' || https === '1' ? 'https' : 'http';
}

function uriOf(params: CgiVariables): string {
  const given = params.get('REQUEST_URI') ?? '';
  if (given.startsWith('/')) return given.split('#')[0] ?? '/';
  if (/^https?:\/\//i.test(given)) {
    try {
      const url = new URL(given);
      return `${url.pathname}${url.search}`;
    } catch {
      return '/';
    }
  }
  const query = params.get('QUERY_STRING') ?? '';
  const path = `${params.get('SCRIPT_NAME') ?? ''}${params.get('PATH_INFO') ?? ''}`;
  return `${path.startsWith('/') ? path : `/${path}`}${query === '' ? '' : `?${query}`}`;
}

/** `HTTP_X_FOO` -> `x-foo`; the same few names come with every request, so they are remembered (bounded). */
const headerNames = new Map<string, string | null>();

function headerName(key: string): string | null {
  let name = headerNames.get(key);
  if (name === undefined) {
    name = key.startsWith('HTTP_') && key.length > 5 ? key.slice(5).toLowerCase().replaceAll('_', '-') : null;
    if (headerNames.size >= 1000) headerNames.clear();
    headerNames.set(key, name);
  }
  return name;
}

/**
 * Read-only by its type, not frozen: `Object.freeze` on a prototype-less object (a dictionary to V8)
 * makes it a new hidden class in the old generation, once per check (see `proxiedHeaders`).
 */
function headersOf(params: CgiVariables): Record<string, string> {
  const headers = Object.create(null) as Record<string, string>;
  params.forEachNamed('HTTP_', (key, value) => {
    const name = headerName(key);
    if (name !== null) headers[name] = value;
  });
  const type = params.get('CONTENT_TYPE');
  if (type !== undefined) headers['content-type'] = type;
  const length = params.get('CONTENT_LENGTH');
  if (length !== undefined) headers['content-length'] = length;
  return headers;
}

export function fromCgiParams(
  role: Role,
  params: CgiVariables,
  stdin: Buffer,
  options: FromCgiOptions,
): GateRequest {
  const headers = options.headers ?? headersOf(params);
  const peer = (params.get('REMOTE_ADDR') ?? '').trim();
  const viaProxy = peer !== '' && options.isTrustedProxy(peer);

  let scheme = schemeOf(params);
  const forwardedProto = viaProxy ? lastEntry(headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  if (forwardedProto === 'http' || forwardedProto === 'https') scheme = forwardedProto;

  const serverName = params.get('SERVER_NAME');
  const serverPort = params.get('SERVER_PORT')?.trim();
  const site = (viaProxy ? siteOf(lastEntry(headers['x-forwarded-host']), scheme) : undefined) ??
    siteOf(headers['host'], scheme) ??
    siteOf(serverPort ? `${serverName ?? ''}:${serverPort}` : serverName, scheme) ??
    siteOf(serverName, scheme) ?? { host: '', authority: '' };

  const uri = uriOf(params);
  const mark = uri.indexOf('?');
  const method = (params.get('REQUEST_METHOD') ?? '').trim().toUpperCase();
  const documentRoot = params.get('DOCUMENT_ROOT');

  return Object.freeze({
    role,
    method: method === '' ? 'GET' : method,
    scheme,
    host: site.host,
    authority: site.authority,
    uri,
    path: mark === -1 ? uri : uri.slice(0, mark),
    query: mark === -1 ? '' : uri.slice(mark + 1),
    headers,
    clientIp: viaProxy ? forwardedClient(peer, headers['x-forwarded-for'], options.isTrustedProxy) : peer,
    documentRoot: documentRoot === '' ? undefined : documentRoot,
    body: role === 'responder' ? stdin : NO_BODY,
    ...(options.bodyTooLarge === true && role === 'responder' ? { bodyTooLarge: true } : undefined),
  });
}
