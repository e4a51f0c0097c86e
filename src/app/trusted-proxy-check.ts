/**
 * `trusted_proxies` as node's own matcher (PEERS T26: X-Forwarded-* is believed only
 * from listed peers). net.BlockList treats IPv4 and IPv4-mapped IPv6 (RFC 4291
 * §2.5.5.2) as one address, so `10.0.0.0/8` also matches `::ffff:10.1.2.3`, which is
 * how a dual-stack socket reports an IPv4 peer. Here in app/, not http/: http/ stays
 * free of node:net and receives the check as a function.
 */
import { BlockList, isIP } from 'node:net';
import { boundedMemo, type BoundedMemo } from '../http/bounded-memo.js';

const familyOf = (address: string): 'ipv4' | 'ipv6' | undefined => {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
};

function blockListOf(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const slash = range.indexOf('/');
    const address = (slash === -1 ? range : range.slice(0, slash)).trim();
    const family = familyOf(address);
    // The config schema refuses malformed entries; here they match nothing.
    if (family === undefined) continue;
    if (slash === -1) {
      list.addAddress(address, family);
      continue;
    }
    const bits = range.slice(slash + 1).trim();
    if (!/^[0-9]{1,3}$/.test(bits) || Number(bits) > (family === 'ipv4' ? 32 : 128)) continue;
    list.addSubnet(address, Number(bits), family);
  }
  return list;
}

/**
 * Each configured list turned into a BlockList once, with the answers it gave: a check comes from
 * the same few peers (the proxy, Apache on loopback), and BlockList.check builds a SocketAddress
 * each time. A reload brings a new list, and so a new memo.
 */
interface Matcher {
  readonly list: BlockList;
  readonly answers: BoundedMemo<boolean>;
}

const lists = new WeakMap<readonly string[], Matcher>();

/** True when `ip` is a valid address inside one of `ranges`. */
export function isTrustedProxy(ranges: readonly string[], ip: string): boolean {
  if (ranges.length === 0) return false;
  let matcher = lists.get(ranges);
  if (matcher === undefined) {
    matcher = { list: blockListOf(ranges), answers: boundedMemo(256, 64) };
    lists.set(ranges, matcher);
  }
  const known = matcher.answers.get(ip);
  if (known !== undefined) return known;
  const address = ip.trim();
  const family = familyOf(address);
  const trusted = family !== undefined && matcher.list.check(address, family);
  matcher.answers.set(ip, trusted);
  return trusted;
}
