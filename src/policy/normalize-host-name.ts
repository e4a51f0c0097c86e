import { domainToASCII } from 'node:url';
import { parseIp } from '../http/parse-ip.js';

/**
 * A DNS name in its one stored spelling: IDNA (UTS #46) to A-labels, lower case,
 * LDH labels of 1-63 octets, 253 octets at most (RFC 1035 §2.3.1, RFC 5890 §2.3.2.1).
 * The last label may not be all digits (RFC 3696 §2), so `1.2.3.4` is not a name.
 * Undefined when `input` is no such name.
 */
export function toAsciiDomain(input: string): string | undefined {
  if (input === '' || input.length > 1024) return undefined;
  // Fast path for the usual Host (checked on every request): lower-case LDH without
  // A-labels is its own IDNA form, so only the label rules below apply.
  const plain = /^[a-z0-9.-]+$/.test(input) && !input.includes('xn--');
  // Only LDH and dots among ASCII (after compatibility mapping): WHATWG host parsing
  // behind domainToASCII would otherwise percent-decode, cut at '/', or read numbers as IPv4.
  // eslint-disable-next-line no-control-regex
  if (!plain && /[\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/.test(input.normalize('NFKC'))) return undefined;
  const ascii = plain ? input : domainToASCII(input);
  if (ascii === '' || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  const valid = labels.every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
  if (!valid || /^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  return ascii;
}

function canonicalIpv6(inner: string): string | undefined {
  if (parseIp(inner) === undefined || !inner.includes(':')) return undefined;
  try {
    // WHATWG URL prints the RFC 5952 form (lower case, longest zero run as '::').
    return new URL(`http://[${inner}]/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * A web host without port: a DNS name (see `toAsciiDomain`), a dotted-decimal IPv4
 * address, or a bracketed IPv6 address in canonical form. Undefined otherwise.
 */
export function normalizeHostName(input: string): string | undefined {
  if (input.startsWith('[') && input.endsWith(']')) return canonicalIpv6(input.slice(1, -1));
  if (/^[0-9.]+$/.test(input)) {
    return parseIp(input) === undefined ? undefined : input;
  }
  return toAsciiDomain(input);
}
