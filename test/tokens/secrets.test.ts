import { describe, expect, it } from 'vitest';
import type { Random } from '../../src/tokens/random.js';
import { hashSecret } from '../../src/tokens/hash-secret.js';
import { isWellFormedSecret } from '../../src/tokens/is-well-formed-secret.js';
import { newSecret } from '../../src/tokens/new-secret.js';
import { systemRandom } from '../../src/tokens/system-random.js';

const fixedRandom = (fill: number): Random => ({ bytes: (size) => Buffer.alloc(size, fill) });

describe('newSecret', () => {
  it('encodes 32 random bytes as 43 base64url characters', () => {
    expect(newSecret(fixedRandom(0xff))).toBe(`${'_'.repeat(42)}8`);
  });

  it('asks the random source for exactly 32 bytes', () => {
    const sizes: number[] = [];
    newSecret({ bytes: (size) => (sizes.push(size), Buffer.alloc(size)) });
    expect(sizes).toEqual([32]);
  });

  it('refuses a random source that returns too few bytes', () => {
    expect(() => newSecret({ bytes: () => Buffer.alloc(16) })).toThrow(/random source/);
  });

  it('gives 100 000 distinct well-formed secrets from the system random source', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(newSecret(systemRandom));
    expect(seen.size).toBe(100_000);
    expect([...seen].every(isWellFormedSecret)).toBe(true);
  });
});

describe('isWellFormedSecret', () => {
  it.each([
    'A'.repeat(43),
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123-_9',
    // The Ruby gem's tokens (its cookies and links), recognised so its sessions survive the switch.
    'EYHtSJZj5yvd7onqrYG8HJ',
  ])('accepts %j', (s) => {
    expect(isWellFormedSecret(s)).toBe(true);
  });

  it.each([
    '',
    'A'.repeat(42),
    'A'.repeat(44),
    `${'A'.repeat(42)}=`,
    `${'A'.repeat(42)}+`,
    `${'A'.repeat(42)}/`,
    `${'A'.repeat(42)}\n`,
    `${'A'.repeat(43)}\n`,
    'EYHtSJZj5yvd7onqrYG8HA',
    '607b5225-98f9-4caf-977b-a27aab606f07',
  ])('refuses %j', (s) => {
    expect(isWellFormedSecret(s)).toBe(false);
  });
});

describe('hashSecret', () => {
  it('is the hex SHA-256 of the secret', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('never contains the secret', () => {
    const secret = newSecret(systemRandom);
    expect(hashSecret(secret)).not.toContain(secret);
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
  });
});
