import { JUNK } from './junk-values.js';
import type { Prng } from './prng.js';

/** One request to the HTTP forward-auth listener, as bytes (so odd bytes reach node's parser). */
export interface ListenerCase {
  readonly bytes: Buffer;
  /** Path of the request target, when the request line was well formed. */
  readonly path: string | undefined;
  /** Every host the request names (Host, X-Forwarded-Host) is no known site. */
  readonly unknownSite: boolean;
  /** A POST of the login form: the mailing path. */
  readonly login: boolean;
}

export interface ListenerValues {
  readonly site: string;
  readonly owner: string;
  readonly unknownHosts: readonly string[];
  readonly addresses: readonly string[];
}

const URLISH = `ABCxyz019-_%./:?#&=+@\\;,~!$'()*[]" <>{}|^\`\t\r\n\0\u00ff`;
const PATHS = ['/auth', '/auth-request', '/email-link', '/logout', '/logged-out', '/', '/nowhere'];
const HEADER_NAMES = [
  'X-Original-URI',
  'X-Original-Method',
  'X-Original-URL',
  'X-Forwarded-Host',
  'X-Forwarded-Proto',
  'X-Forwarded-Uri',
  'X-Forwarded-Method',
  'X-Forwarded-For',
  'X-Forwarded-Port',
  'X-Real-IP',
  'Forwarded',
  'Remote-User',
  'Cookie',
  'Authorization',
  'Accept',
  'Origin',
  'Content-Type',
  'Content-Length',
  'Transfer-Encoding',
];

function junk(prng: Prng): string {
  switch (prng.below(4)) {
    case 0:
      return prng.text(prng.size(60), URLISH);
    case 1:
      return prng.bytes(prng.size(40)).toString('latin1');
    case 2:
      return prng.pick([...JUNK.paths, ...JUNK.schemes, ...JUNK.ips, ...JUNK.methods]);
    default:
      return prng.text(prng.size(2000));
  }
}

function headerValue(prng: Prng, name: string, values: ListenerValues): string {
  if (prng.chance(0.3)) return junk(prng);
  switch (name) {
    case 'X-Forwarded-Host':
      return prng.pick(values.unknownHosts);
    case 'X-Original-URI':
    case 'X-Forwarded-Uri':
      return prng.pick([...JUNK.paths, `/page?knock=${prng.text(43, 'ABCabc012-_')}`, '/p?forward=//evil']);
    case 'X-Original-URL':
      return prng.pick(JUNK.forwards);
    case 'X-Original-Method':
    case 'X-Forwarded-Method':
      return prng.pick(JUNK.methods);
    case 'X-Forwarded-Proto':
      return prng.pick(JUNK.schemes);
    case 'X-Forwarded-For':
    case 'X-Real-IP':
      return `${prng.pick(JUNK.ips)}, ${prng.pick(JUNK.ips)}`;
    case 'Forwarded':
      return `for=${prng.pick(JUNK.ips)};host=${prng.pick(values.unknownHosts)};proto=https`;
    case 'Accept':
      return prng.pick(JUNK.accepts);
    case 'Content-Length':
      return prng.pick(['0', '-1', '1e3', '99999999', ' 5', '5, 6']);
    case 'Transfer-Encoding':
      return prng.pick(['chunked', 'gzip, chunked', 'identity', 'chunked, chunked']);
    default:
      return prng.text(prng.size(100), URLISH.replace(/[\r\n]/g, ''));
  }
}

/**
 * A request line, headers and maybe a login form, each part now and then replaced by junk; the
 * Host is always one that is no site (a look-alike, odd bytes) unless the request line is junk.
 */
export function listenerCase(prng: Prng, values: ListenerValues): ListenerCase {
  if (prng.chance(0.25)) return hostileLogin(prng, values);
  const method = prng.chance(0.85) ? prng.pick(['GET', 'POST', 'HEAD']) : junk(prng);
  const path = prng.chance(0.9) ? prng.pick(PATHS) : `/${junk(prng)}`;
  const login = method === 'POST' && path === '/email-link';
  const version = prng.chance(0.95)
    ? 'HTTP/1.1'
    : prng.pick(['HTTP/1.0', 'HTTP/2', 'HTTP/9.9', '', 'http/1.1']);
  const line = prng.chance(0.9) ? `${method} ${path} ${version}` : junk(prng);
  const host = prng.pick(values.unknownHosts);
  const headers: string[] = [`Host: ${host}`];
  let hostsAreUnknown = true;
  for (let i = prng.below(8); i > 0; i--) {
    const name = prng.chance(0.9) ? prng.pick(HEADER_NAMES) : junk(prng);
    const value = headerValue(prng, name, values);
    // A header that spells the site itself (a forwarded host, an absolute URI) makes this case
    // one about a known site.
    if (!values.unknownHosts.includes(value) && value.toLowerCase().includes(values.site)) {
      hostsAreUnknown = false;
    }
    headers.push(prng.chance(0.95) ? `${name}: ${value}` : `${name}:${value}\r\n ${junk(prng)}`);
  }
  let body = Buffer.alloc(0);
  if (login) {
    const email = prng.chance(0.8) ? prng.pick(values.addresses) : junk(prng);
    body = Buffer.from(
      new URLSearchParams({ email, forward: `http://${values.site}/page.html` }).toString(),
      'latin1',
    );
    headers.push('Content-Type: application/x-www-form-urlencoded', `Content-Length: ${body.length}`);
    if (prng.chance(0.5)) headers.push(`Origin: http://${host}`);
  }
  headers.push('Connection: close');
  const head = `${line}\r\n${headers.join('\r\n')}\r\n\r\n`;
  return {
    bytes: Buffer.concat([Buffer.from(head, 'latin1'), body]),
    path: line.startsWith(`${method} ${path} `) ? path : undefined,
    unknownSite: hostsAreUnknown,
    login,
  };
}

/**
 * A well-formed login with a hostile address or from a host that is no site: the way to the mailer. Only
 * the owner's own mailbox may receive mail (a tag or upper case folds to it); a route never.
 */
function hostileLogin(prng: Prng, values: ListenerValues): ListenerCase {
  // Half of them from a host that is no site, as the owner: only the known-sites rule refuses it.
  const elsewhere = prng.chance(0.5);
  const host = elsewhere ? prng.pick(values.unknownHosts) : values.site;
  const email = elsewhere && prng.chance(0.5) ? values.owner : prng.pick(values.addresses);
  const body = Buffer.from(
    new URLSearchParams({ email, forward: `http://${values.site}/page.html` }).toString(),
    'utf8',
  );
  const head = [
    'POST /email-link HTTP/1.1',
    `Host: ${host}`,
    `Origin: http://${host}`,
    'Content-Type: application/x-www-form-urlencoded',
    `Content-Length: ${body.length}`,
    'Connection: close',
  ].join('\r\n');
  return {
    bytes: Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]),
    path: '/email-link',
    unknownSite: elsewhere,
    login: true,
  };
}
