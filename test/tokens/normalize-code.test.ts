import { describe, expect, it } from 'vitest';
import { findCode, formatCode } from '../../src/tokens/format-code.js';
import { hashCode } from '../../src/tokens/hash-code.js';
import { normalizeCode } from '../../src/tokens/normalize-code.js';

describe('normalizeCode', () => {
  it.each([
    ['K7QM-4XPD', 'K7QM4XPD'],
    ['k7qm4xpd', 'K7QM4XPD'],
    ['  k7qm 4xpd ', 'K7QM4XPD'],
    ['K7QM\u20134XPD', 'K7QM4XPD'],
    ['K-7-Q-M-4-X-P-D', 'K7QM4XPD'],
    ['K7QM\t4XPD\n', 'K7QM4XPD'],
  ])('reads %j as %s', (typed, code) => {
    expect(normalizeCode(typed)).toBe(code);
  });

  it.each([
    '',
    'K7QM-4XP',
    'K7QM-4XPDD',
    'K0QM-4XPD',
    'KOQM-4XPD',
    'K1QM-4XPD',
    'KIQM-4XPD',
    'KLQM-4XPD',
    'K7QM_4XPD',
    'K7QM-4XPÐ',
    '-'.repeat(80) + 'K7QM4XPD',
  ])('refuses %j', (typed) => {
    expect(normalizeCode(typed)).toBeUndefined();
  });
});

describe('formatCode', () => {
  it('groups a code in two fours', () => {
    expect(formatCode('K7QM4XPD')).toBe('K7QM-4XPD');
  });
});

describe('findCode', () => {
  it('finds the code on its own, not a stretch of the link token before it that looks like one', () => {
    const text =
      'Log in: https://site.example/?knock=xQ-ABCD-EFGH-9z_ABCD-EFGH\n' +
      'https://site.example/?knock=ABCD-EFGHxyz\n' +
      'Or type this code:\n\n  K7QM-4XPD\n';
    expect(findCode(text)).toBe('K7QM-4XPD');
  });

  it('finds none in a mail without one', () => {
    expect(findCode('https://site.example/?knock=-ABCD-EFGH-')).toBeUndefined();
  });
});

describe('hashCode', () => {
  it('is bound to the pending cookie: the same code hashes apart for two browsers', () => {
    const a = hashCode('a'.repeat(43), 'K7QM4XPD');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashCode('a'.repeat(43), 'K7QM4XPD')).toBe(a);
    expect(hashCode('b'.repeat(43), 'K7QM4XPD')).not.toBe(a);
    expect(hashCode('a'.repeat(43), 'K7QM4XPE')).not.toBe(a);
  });
});
