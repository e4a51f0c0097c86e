import { JUNK } from './junk-values.js';
import type { Prng } from './prng.js';

/** A well-formed FastCGI request whose HTTP-level content is junk: it must get an answer. */
export interface HttpCase {
  readonly role: 'authorizer' | 'responder';
  readonly params: Record<string, string>;
  readonly stdin: Buffer;
  /** HTTP_HOST and SERVER_NAME name no known site (and no forwarded host overrides them). */
  readonly unknownSite: boolean;
}

/** Hosts that are no site and addresses that try to route mail (hostile-values.ts). */
export interface HostileValues {
  readonly unknownHosts: readonly string[];
  readonly addresses: readonly string[];
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const URLISH = `${B64URL}%./:?#&=+@\\;,~!$'()*[]" <>{}|^\`\t\r\n\0`;
const MAX_PARAM = 12_000;
const MAX_FIELD = 400_000;
/** Under the daemon's 64 KiB of PARAMS and 1 MiB of STDIN: every case here must be answered. */
const PARAMS_BUDGET = 60_000;
const STDIN_BUDGET = 1_000_000;

function token(prng: Prng): string {
  switch (prng.below(5)) {
    case 0:
      return prng.text(43, B64URL);
    case 1:
      return prng.text(prng.size(100), B64URL);
    case 2:
      return prng.text(prng.size(200), URLISH);
    case 3:
      return prng.text(prng.size(MAX_PARAM / 4));
    default:
      return encodeBytes(prng.bytes(prng.size(64)));
  }
}

/** %XX for every byte, so invalid UTF-8 and control bytes reach the decoder. */
function encodeBytes(bytes: Buffer): string {
  return [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

function junkValue(prng: Prng): string {
  switch (prng.below(4)) {
    case 0:
      return prng.text(prng.size(80), URLISH);
    case 1:
      return encodeBytes(prng.bytes(prng.size(40)));
    case 2:
      return prng.text(prng.size(MAX_PARAM));
    default:
      return `${prng.text(prng.size(10), URLISH)}%${prng.text(prng.below(3), URLISH)}`;
  }
}

function query(prng: Prng): string {
  const pairs: string[] = [];
  for (let i = prng.below(6); i > 0; i--) {
    const name = prng.chance(0.5)
      ? prng.pick(['knock', 'all', 'forward', 'knock', 'KNOCK', 'kn%6Fck', 'sent'])
      : junkValue(prng);
    pairs.push(prng.chance(0.1) ? name : `${name}=${prng.chance(0.5) ? token(prng) : junkValue(prng)}`);
  }
  return pairs.join(prng.chance(0.9) ? '&' : ';');
}

function cookie(prng: Prng): string {
  const pairs: string[] = [];
  for (let i = prng.below(5); i > 0; i--) {
    const name = prng.pick([
      'forgetpw',
      'forgetpw_link',
      'forgetpw',
      ' forgetpw ',
      'x',
      '',
      prng.text(prng.size(20)),
    ]);
    const value = token(prng);
    pairs.push(prng.chance(0.1) ? `${name}="${value}"` : `${name}=${value}`);
  }
  return pairs.join(prng.pick(['; ', ';', ',', ' ; ']));
}

function authorization(prng: Prng): string {
  const scheme = prng.pick(['Bearer', 'Basic', 'bearer', 'BASIC', 'Digest', 'Negotiate', '', 'Bearer  ']);
  const credentials =
    scheme.toLowerCase().startsWith('basic') && prng.chance(0.6)
      ? Buffer.from(
          `${prng.text(prng.size(20))}${prng.chance(0.8) ? ':' : ''}${token(prng)}`,
          'latin1',
        ).toString('base64')
      : token(prng);
  return `${scheme} ${credentials}`;
}

/** Mostly small; one field in fifty is huge (up to MAX_FIELD bytes). */
const fieldSize = (prng: Prng): number => (prng.chance(0.02) ? prng.below(MAX_FIELD + 1) : prng.size(4000));

function form(prng: Prng, hostile: HostileValues | undefined): Buffer {
  const fields: Buffer[] = [];
  for (let i = prng.below(6); i > 0; i--) {
    const name = prng.pick([
      'email',
      'forward',
      'knock',
      'all',
      'email',
      'em%61il',
      '',
      'code',
      junkValue(prng),
    ]);
    let value: Buffer;
    const kind = prng.below(6);
    // Raw bytes: invalid UTF-8, '&', '=', '%'.
    if (kind === 0) value = prng.bytes(fieldSize(prng));
    else if (kind === 1) value = Buffer.from(encodeBytes(prng.bytes(prng.size(2000))));
    else if (kind === 2)
      value = Buffer.from(
        hostile !== undefined && prng.chance(0.6)
          ? encodeURIComponent(prng.pick(hostile.addresses))
          : prng.pick(JUNK.emails),
        'utf8',
      );
    else if (kind === 3) value = Buffer.from(prng.pick(JUNK.forwards), 'utf8');
    else if (kind === 4) value = Buffer.from(token(prng), 'latin1');
    else value = Buffer.from('A'.repeat(fieldSize(prng)));
    fields.push(Buffer.concat([Buffer.from(`${name}=`, 'latin1'), value]));
  }
  if (prng.chance(0.1)) return prng.bytes(fieldSize(prng));
  return Buffer.concat(fields.flatMap((f, i) => (i === 0 ? [f] : [Buffer.from('&'), f])));
}

/** One request: some CGI variables as Apache sends them, each now and then replaced by junk. */
export function httpCase(prng: Prng, hostile?: HostileValues): HttpCase {
  const role = prng.chance(0.5) ? 'authorizer' : 'responder';
  const q = prng.chance(0.7) ? query(prng) : '';
  const path = prng.chance(0.8) ? prng.pick(JUNK.paths) : `/${junkValue(prng)}`;
  const uri = q === '' ? path : `${path}?${q}`;
  const params: Record<string, string> = {
    REQUEST_METHOD: prng.chance(0.8) ? (role === 'responder' ? 'POST' : 'GET') : prng.pick(JUNK.methods),
    REQUEST_URI: prng.chance(0.95) ? uri : junkValue(prng),
    QUERY_STRING: prng.chance(0.9) ? q : junkValue(prng),
    REQUEST_SCHEME: prng.pick(JUNK.schemes),
    HTTP_HOST: prng.chance(0.8) ? prng.pick(JUNK.hosts) : junkValue(prng),
    SERVER_NAME: prng.chance(0.9) ? 'site.example' : junkValue(prng),
    SERVER_PORT: prng.pick(['80', '443', '0', '99999', '', 'x']),
    REMOTE_ADDR: prng.pick(JUNK.ips),
    DOCUMENT_ROOT: prng.pick(['/nonexistent', '', '/', '/tmp', 'relative', '\0', '/nonexistent/\0/x']),
  };
  if (role === 'authorizer') params.FCGI_ROLE = prng.chance(0.9) ? 'AUTHORIZER' : junkValue(prng);
  if (prng.chance(0.5)) params.HTTP_COOKIE = cookie(prng);
  if (prng.chance(0.3)) params.HTTP_AUTHORIZATION = authorization(prng);
  if (prng.chance(0.5)) params.HTTP_ACCEPT = prng.chance(0.8) ? prng.pick(JUNK.accepts) : junkValue(prng);
  if (prng.chance(0.3)) params.HTTP_ORIGIN = prng.chance(0.5) ? 'http://site.example' : junkValue(prng);
  if (prng.chance(0.3)) params.HTTP_SEC_FETCH_SITE = prng.pick(JUNK.fetchSites);
  if (prng.chance(0.2)) params.HTTPS = prng.pick(['on', '1', 'off', '']);
  if (prng.chance(0.2)) params.HTTP_X_FORWARDED_HOST = junkValue(prng);
  if (prng.chance(0.2)) params.HTTP_X_FORWARDED_FOR = `${prng.pick(JUNK.ips)}, ${prng.pick(JUNK.ips)}`;
  if (prng.chance(0.1)) params.HTTP_X_FORWARDED_PROTO = prng.pick(JUNK.schemes);
  for (let i = prng.below(3); i > 0; i--) {
    params[prng.pick(['__proto__', 'constructor', 'HTTP_', 'HTTP_HOST ', prng.text(prng.size(30))])] =
      junkValue(prng);
  }
  const unknownSite = hostile !== undefined && prng.chance(0.3);
  if (unknownSite) {
    params.HTTP_HOST = prng.pick(hostile.unknownHosts);
    params.SERVER_NAME = prng.pick(hostile.unknownHosts);
    delete params.HTTP_X_FORWARDED_HOST;
  }
  fit(params);
  const body = role === 'responder' && prng.chance(0.9) ? form(prng, hostile) : Buffer.alloc(0);
  const stdin = body.subarray(0, STDIN_BUDGET);
  if (role === 'responder') {
    params.CONTENT_TYPE = prng.chance(0.8) ? JUNK.contentTypes[0] : prng.pick(JUNK.contentTypes);
    params.CONTENT_LENGTH = prng.chance(0.9) ? String(stdin.length) : prng.pick(['-1', '', '1e9', 'x']);
  }
  return { role, params, stdin, unknownSite };
}

/** Halves the longest values until the encoded PARAMS fit the budget. */
function fit(params: Record<string, string>): void {
  const size = () => Object.entries(params).reduce((n, [k, v]) => n + k.length + v.length + 8, 0);
  while (size() > PARAMS_BUDGET) {
    const [name, value] = Object.entries(params).reduce((a, b) => (b[1].length > a[1].length ? b : a));
    params[name] = value.slice(0, Math.floor(value.length / 2));
  }
}
