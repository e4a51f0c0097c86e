import { describe, expect, it } from 'vitest';
import { ipInRanges, parseIp, parseIpRange } from '../../src/http/ip-range.js';

describe('parseIp', () => {
  it.each([
    ['1.2.3.4', '00000000000000000000ffff01020304'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['2001:db8::8:800:200c:417a', '20010db8000000000008080020 0c417a'.replace(' ', '')],
    ['2001:DB8:0:0:8:800:200C:417A', '20010db8000000000008080020 0c417a'.replace(' ', '')],
    ['::ffff:10.1.2.3', '00000000000000000000ffff0a010203'],
    ['fe80::', 'fe800000000000000000000000000000'],
  ])('reads %j', (text, hex) => {
    expect(Buffer.from(parseIp(text)!).toString('hex')).toBe(hex);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '0x7f.0.0.1',
    '1.2.3.-1',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7::8',
    '12345::',
    'fe80::1%eth0',
    '::ffff:1.2.3',
    'example.com',
    '[::1]',
  ])('refuses %j', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('parseIpRange', () => {
  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/x', '10.0.0.0/08', 'nonsense/8', ''])(
    'refuses %j',
    (text) => {
      expect(parseIpRange(text)).toBeUndefined();
    },
  );
});

describe('ipInRanges', () => {
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
  ] as const)('%j in %j is %j', (ip, ranges, expected) => {
    expect(ipInRanges(ip, ranges)).toBe(expected);
  });
});
