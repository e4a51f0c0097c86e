/**
 * IP addresses and CIDR ranges, for `trusted_proxies` (PEERS T26: X-Forwarded-* is
 * believed only from listed peers). Pure on purpose: no node:net, so the check runs
 * anywhere and is table-tested. Every address is held as 16 bytes; IPv4 becomes the
 * IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2) so `10.0.0.0/8` also matches
 * `::ffff:10.1.2.3`, which is how a dual-stack socket reports an IPv4 peer.
 */
export interface IpRange {
  readonly bytes: Uint8Array;
  /** Prefix length in bits over the 16-byte form. */
  readonly bits: number;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const part of parts) {
    // Dotted decimal only: no octal (010), hex (0x7f) or shortened (127.1) forms.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIpv6(text: string): number[] | undefined {
  if (text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        out.push(...v4);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        const n = parseInt(piece, 16);
        out.push(n >> 8, n & 0xff);
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 16 ? head : undefined;
  const missing = 16 - head.length - tail.length;
  // '::' stands for at least one group of zeros (RFC 4291 §2.2).
  if (missing < 2) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** The 16-byte form of an IPv4 or IPv6 address, or undefined when `text` is not one. */
export function parseIp(text: string): Uint8Array | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return Uint8Array.from([...V4_MAPPED_PREFIX, ...v4]);
  if (!text.includes(':')) return undefined;
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : Uint8Array.from(v6);
}

/** `1.2.3.4`, `10.0.0.0/8`, `::1`, `2001:db8::/32`; undefined when malformed. */
export function parseIpRange(text: string): IpRange | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const bytes = parseIp(addressText);
  if (bytes === undefined) return undefined;
  const isV4 = parseIpv4(addressText) !== undefined;
  const max = isV4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const prefixText = trimmed.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > max) return undefined;
  }
  return { bytes, bits: isV4 ? 96 + prefix : prefix };
}

function contains(range: IpRange, address: Uint8Array): boolean {
  const whole = Math.floor(range.bits / 8);
  for (let i = 0; i < whole; i++) {
    if (range.bytes[i] !== address[i]) return false;
  }
  const rest = range.bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((range.bytes[whole] ?? 0) & mask) === ((address[whole] ?? 0) & mask);
}

/** Each list of ranges parsed once (the configured trusted proxies are asked about on every request). */
const parsedLists = new WeakMap<readonly string[], readonly IpRange[]>();

function parsedRanges(ranges: readonly string[]): readonly IpRange[] {
  let parsed = parsedLists.get(ranges);
  if (parsed === undefined) {
    parsed = ranges.map(parseIpRange).filter((range) => range !== undefined);
    parsedLists.set(ranges, parsed);
  }
  return parsed;
}

/** True when `ip` is a valid address inside one of `ranges`; malformed entries match nothing. */
export function ipInRanges(ip: string, ranges: readonly string[]): boolean {
  if (ranges.length === 0) return false;
  const address = parseIp(ip.trim());
  if (address === undefined) return false;
  return parsedRanges(ranges).some((range) => contains(range, address));
}
