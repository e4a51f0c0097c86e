/**
 * The client network a rate limit counts (issue 10): an IPv4 address on its own,
 * an IPv6 address by its /64, since one subscriber is handed a whole /64 and could
 * otherwise step through endless /128 buckets. Anything unparsable counts as itself.
 */
export function clientNetwork(ip: string): string {
  if (!ip.includes(':')) return ip;
  let canonical: string;
  try {
    canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
  // An IPv4-mapped address (`::ffff:1.2.3.4`, a dual-stack socket's view of IPv4) is that IPv4 address.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped !== null) {
    const high = parseInt(mapped[1]!, 16);
    const low = parseInt(mapped[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  // RFC 5952 form: expand '::' to count hextets, keep the first four.
  const [head = '', tail] = canonical.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // WHATWG URL prints an embedded IPv4 tail as hextets, so every part is a hextet.
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).join(':')}::/64`;
}
