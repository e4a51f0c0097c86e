import { normalizeHostName, toAsciiDomain } from './normalize-host-name.js';

/**
 * The one spelling of every identity the access list holds (SPEC §3): an e-mail
 * address, an e-mail domain, a web domain. Normalised once, on the way in, so that
 * the store compares plain strings.
 *
 * The WHOLE address is lower-cased, local part included, as the original did (its
 * `ck_email` check is `email = trim(lower(email))`): `Alice@EXAMPLE.com` and
 * `alice@example.com` are one person with one ACL row and one user. RFC 5321 §2.4
 * lets a mail server tell them apart; no real one does.
 */
export type AddressProblem =
  | 'empty'
  | 'control character'
  | 'whitespace'
  | 'display name'
  | 'quoted text'
  | 'several addresses'
  | 'missing @'
  | 'several @'
  | 'empty local part'
  | 'empty domain'
  | 'invalid local part'
  | 'local part too long'
  | 'invalid domain'
  | 'too long';

export type NormalizedAddress =
  | {
      ok: true;
      /** The identity: one per mailbox (sub-address tag removed), lower case, domain IDNA. */
      address: string;
      /** The tag that was removed (`x` of `bob+x@...`), '' when there was none. */
      tag: string;
    }
  | { ok: false; reason: AddressProblem };

/**
 * What an address may look like (the `addresses` settings). The defaults refuse
 * every character a mail server could read as a route (`%` and `!` are source
 * routes to Postfix and sendmail: `a%evil.test@example.org` is delivered to
 * a@evil.test) and every character that means something to a shell or a MIME
 * decoder, and fold sub-addresses (`bob+x@...` is bob's mailbox).
 */
export interface AddressRules {
  /** Characters allowed in a local part besides letters, digits and `. - _ +`. */
  readonly extraLocalChars: string;
  /** Sub-address delimiters (Postfix `recipient_delimiter`); '' keeps tags as part of the identity. */
  readonly recipientDelimiter: string;
  /** Non-ASCII local parts (RFC 6532), for mail systems that deliver them. */
  readonly unicode: boolean;
}

export const DEFAULT_ADDRESS_RULES: AddressRules = Object.freeze({
  extraLocalChars: '',
  recipientDelimiter: '+',
  unicode: false,
});

/** RFC 5322 §3.2.3 atext outside letters, digits and `.-_+`: what `extraLocalChars` may add. */
export const OPTIONAL_LOCAL_CHARACTERS = "#$&'*/=?^`{|}~";

/** For addresses already normalised under whatever rules were in force: changes nothing else. */
export const STORED_ADDRESS_RULES: AddressRules = Object.freeze({
  extraLocalChars: OPTIONAL_LOCAL_CHARACTERS,
  recipientDelimiter: '',
  unicode: true,
});

const octets = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Line breaks and NUL are refused even at the ends, where trim() would hide them. */
const LINE_BREAK = /[\r\n\0\u0085\u2028\u2029]/;

/** A dot-atom (RFC 5322 §3.2.3) of ASCII letters, digits, `.-_+` and what the rules add. */
function isAllowedLocal(local: string, rules: AddressRules): boolean {
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  for (const char of local) {
    if (/[a-z0-9._+-]/.test(char)) continue;
    if (char.charCodeAt(0) > 0x7f ? rules.unicode : rules.extraLocalChars.includes(char)) {
      if (char.charCodeAt(0) > 0x7f || OPTIONAL_LOCAL_CHARACTERS.includes(char)) continue;
    }
    return false;
  }
  return true;
}

/** `bob+x` -> [`bob`, `x`] at the first delimiter; a local part that starts with one is kept whole. */
function splitTag(local: string, delimiters: string): [string, string] {
  for (let i = 1; i < local.length; i++) {
    if (delimiters.includes(local[i]!)) return [local.slice(0, i), local.slice(i + 1)];
  }
  return [local, ''];
}

/**
 * Trims, then refuses anything that is not one plain mailbox: header-breaking
 * characters (PEERS T21: `a@x.test\r\nBcc: b@evil.test`), display names and angle
 * brackets (`Bob <bob@x.com>`), lists (`a@x.com, b@y.com`), quoted local parts,
 * `a@b@c`, over-long parts (RFC 5321 §4.5.3.1: 64-octet local part, 254-octet path).
 * The domain is IDNA-encoded (`ålice@exämple.com` -> `ålice@xn--exmple-cua.com`).
 */
export function normalizeAddress(
  input: string,
  rules: AddressRules = DEFAULT_ADDRESS_RULES,
): NormalizedAddress {
  const fail = (reason: AddressProblem): NormalizedAddress => ({ ok: false, reason });
  if (LINE_BREAK.test(input)) return fail('control character');
  const text = input.trim();
  if (text === '') return fail('empty');
  if (/\p{C}/u.test(text)) return fail('control character');
  if (/[\s\p{Z}]/u.test(text)) return fail('whitespace');
  if (/[<>]/.test(text)) return fail('display name');
  if (/["()[\]\\]/.test(text)) return fail('quoted text');
  if (/[,;:]/.test(text)) return fail('several addresses');
  const parts = text.split('@');
  if (parts.length === 1) return fail('missing @');
  if (parts.length > 2) return fail('several @');
  const [rawLocal = '', rawDomain = ''] = parts;
  if (rawLocal === '') return fail('empty local part');
  if (rawDomain === '') return fail('empty domain');
  // NFKC folds look-alikes (fullwidth `ａ`, ligatures) to ASCII; what stays non-ASCII
  // (`İ`, Cyrillic `а`) is refused below unless `unicode`, as are RFC 2047 words (`=?utf-8?...`).
  const local = rawLocal.normalize('NFKC').toLowerCase().normalize('NFC');
  if (!isAllowedLocal(local, rules)) return fail('invalid local part');
  if (octets(local) > 64) return fail('local part too long');
  const domain = toAsciiDomain(rawDomain);
  if (domain === undefined) return fail('invalid domain');
  if (octets(`${local}@${domain}`) > 254) return fail('too long');
  const [mailbox, tag] = splitTag(local, rules.recipientDelimiter);
  return { ok: true, address: `${mailbox}@${domain}`, tag };
}

export type NormalizedDomain = { ok: true; domain: string } | { ok: false; reason: string };

/** An e-mail domain for an ACL row (`example.com`, or a bare `com`): no '@'. */
export function normalizeEmailDomain(input: string): NormalizedDomain {
  if (LINE_BREAK.test(input)) return { ok: false, reason: 'control character' };
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  if (text.includes('@')) return { ok: false, reason: 'an e-mail domain has no @' };
  const domain = toAsciiDomain(text);
  return domain === undefined ? { ok: false, reason: 'invalid domain' } : { ok: true, domain };
}

/**
 * A web domain for an ACL row: '*' or '' is the wildcard (stored as ''), anything
 * else a host name (or IP literal) without port, IDNA-encoded and lower-cased.
 */
export function normalizeWebDomain(input: string): NormalizedDomain {
  if (LINE_BREAK.test(input)) return { ok: false, reason: 'control character' };
  const text = input.trim();
  if (text === '' || text === '*') return { ok: true, domain: '' };
  if (/:[0-9]*$/.test(text) && !text.endsWith(']')) return { ok: false, reason: 'a web domain has no port' };
  const domain = normalizeHostName(text);
  return domain === undefined ? { ok: false, reason: 'invalid host name' } : { ok: true, domain };
}

export type AclSubject =
  { ok: true; kind: 'address' | 'domain'; value: string } | { ok: false; reason: string };

/** What `privilege ADDRESS|EMAILDOMAIN` names: a full address when it has an '@'. */
export function parseAclSubject(input: string, rules: AddressRules = DEFAULT_ADDRESS_RULES): AclSubject {
  if (input.includes('@')) {
    const result = normalizeAddress(input, rules);
    return result.ok ? { ok: true, kind: 'address', value: result.address } : result;
  }
  const result = normalizeEmailDomain(input);
  return result.ok ? { ok: true, kind: 'domain', value: result.domain } : result;
}
