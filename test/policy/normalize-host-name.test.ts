import { describe, expect, it } from 'vitest';
import { normalizeHostName, toAsciiDomain } from '../../src/policy/normalize-host-name.js';

describe('toAsciiDomain', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['exämple.com', 'xn--exmple-cua.com'],
    ['ß.de', 'xn--zca.de'],
    ['a。b.com', 'a.b.com'],
    ['aa--b.com', 'aa--b.com'],
  ])('encodes %j as %j', (input, expected) => {
    expect(toAsciiDomain(input)).toBe(expected);
  });

  it.each([
    '',
    '1.2.3.4',
    '0x7f.1',
    'a_b.com',
    'a/b.com',
    'a／b.com',
    'ex%41mple.com',
    'a..b',
    'a.b.',
    '-a.com',
    'a b.com',
    'a:80',
    'a@b.com',
  ])('refuses %j', (input) => {
    expect(toAsciiDomain(input)).toBeUndefined();
  });

  it('refuses a name over 253 octets', () => {
    expect(toAsciiDomain(`${'a.'.repeat(126)}com`)).toBeUndefined();
  });
});

describe('normalizeHostName', () => {
  it.each([
    ['Site.Example', 'site.example'],
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '[::1]'],
    ['[::FFFF:7F00:1]', '[::ffff:7f00:1]'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeHostName(input)).toBe(expected);
  });

  it.each(['127.1', '0177.0.0.1', '256.0.0.1', '::1', '[::1', '[nope]', '[1.2.3.4]', 'site.example:80', ''])(
    'refuses %j',
    (input) => {
      expect(normalizeHostName(input)).toBeUndefined();
    },
  );
});
