import { describe, expect, it } from 'vitest';
import { isTrustedProxy } from '../../src/app/trusted-proxy-check.js';

describe('isTrustedProxy', () => {
  it.each([
    ['10.1.2.3', ['10.0.0.0/8'], true],
    ['11.1.2.3', ['10.0.0.0/8'], false],
    ['192.168.1.77', ['192.168.1.64/26'], true],
    ['192.168.1.128', ['192.168.1.64/26'], false],
    ['127.0.0.1', ['127.0.0.1'], true],
    ['127.0.0.2', ['127.0.0.1'], false],
    ['8.8.8.8', ['0.0.0.0/0'], true],
    ['::1', ['::1'], true],
    ['::2', ['::1'], false],
    ['2001:db8:abcd::1', ['2001:db8::/32'], true],
    ['2001:db9::1', ['2001:db8::/32'], false],
    ['2001:db8::1', ['2001:db8::/127'], true],
    ['2001:db8::2', ['2001:db8::/127'], false],
    ['::ffff:10.1.2.3', ['10.0.0.0/8'], true],
    ['10.1.2.3', ['::ffff:0:0/96'], true],
    ['10.1.2.3', ['::/0'], true],
    ['::1', ['0.0.0.0/0'], false],
    ['10.1.2.3', ['garbage', '10.0.0.0/8'], true],
    ['10.1.2.3', [], false],
    ['not-an-ip', ['0.0.0.0/0', '::/0'], false],
    [' 10.1.2.3 ', ['10.0.0.0/8'], true],
    ['10.1.2.3', ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/x', 'nonsense/8', ''], false],
    ['::1', ['::/129'], false],
    ['::ffff:127.0.0.1', ['127.0.0.1'], true],
    ['127.0.0.1', ['::ffff:127.0.0.1'], true],
  ] as const)('%j in %j is %j', (ip, ranges, expected) => {
    expect(isTrustedProxy(ranges, ip)).toBe(expected);
  });

  it('keeps answering for a list it has seen, and a new list for a new one', () => {
    const first = ['10.0.0.0/8'];
    expect(isTrustedProxy(first, '10.1.2.3')).toBe(true);
    expect(isTrustedProxy(first, '10.1.2.3')).toBe(true);
    expect(isTrustedProxy(['192.0.2.0/24'], '10.1.2.3')).toBe(false);
  });
});
