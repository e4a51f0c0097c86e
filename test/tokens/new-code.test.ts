import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, CODE_LENGTH, newCode } from '../../src/tokens/new-code.js';
import { systemRandom } from '../../src/tokens/system-random.js';
import type { Random } from '../../src/tokens/random.js';

/** A Random that hands out these bytes, in order, and then zeros. */
function replaying(bytes: number[]): Random {
  let at = 0;
  return {
    bytes: (size) => Buffer.from(Array.from({ length: size }, () => bytes[at++] ?? 0)),
  };
}

describe('newCode', () => {
  it('uses 31 letters without the look-alikes 0, O, 1, I and L', () => {
    expect(CODE_ALPHABET).toHaveLength(31);
    expect(new Set(CODE_ALPHABET).size).toBe(31);
    for (const lookalike of '01OIL') expect(CODE_ALPHABET).not.toContain(lookalike);
  });

  it('makes codes of 8 letters of the alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const code = newCode(systemRandom);
      expect(code).toHaveLength(CODE_LENGTH);
      for (const letter of code) expect(CODE_ALPHABET).toContain(letter);
    }
  });

  it('skips the bytes that would favour the first letters (rejection sampling)', () => {
    // 248..255 would map to the first 8 letters a second time: they are drawn past, not used.
    expect(newCode(replaying([248, 255, 0, 1, 30, 31, 62, 247, 100, 200]))).toBe(
      [0, 1, 30, 0, 0, 247 % 31, 100 % 31, 200 % 31].map((i) => CODE_ALPHABET[i]).join(''),
    );
  });

  it('draws again when a whole batch of bytes was rejected', () => {
    expect(newCode(replaying([...Array<number>(16).fill(255), 5, 5, 5, 5, 5, 5, 5, 5]))).toBe(
      CODE_ALPHABET[5]!.repeat(8),
    );
  });

  it('spreads the letters evenly', () => {
    const counts = new Map<string, number>();
    const codes = 4000;
    for (let i = 0; i < codes; i++)
      for (const l of newCode(systemRandom)) counts.set(l, (counts.get(l) ?? 0) + 1);
    const expected = (codes * CODE_LENGTH) / 31;
    for (const letter of CODE_ALPHABET) {
      // About 1032 each; 6 standard deviations either way.
      expect(Math.abs((counts.get(letter) ?? 0) - expected)).toBeLessThan(6 * Math.sqrt(expected));
    }
  });
});
