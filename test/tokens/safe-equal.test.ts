import { describe, expect, it } from 'vitest';
import { safeEqual } from '../../src/tokens/safe-equal.js';

describe('safeEqual', () => {
  it('is true for equal strings', () => {
    expect(safeEqual('same-secret', 'same-secret')).toBe(true);
  });

  it('is false for strings that differ in one character', () => {
    expect(safeEqual('same-secret', 'same-secreT')).toBe(false);
  });

  it('is false for strings of different lengths without throwing', () => {
    expect(safeEqual('short', 'a much longer string')).toBe(false);
  });

  it('is false for a prefix', () => {
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('is true for two empty strings', () => {
    expect(safeEqual('', '')).toBe(true);
  });

  it('compares non-ASCII text by its characters', () => {
    expect(safeEqual('ålice', 'ålice')).toBe(true);
    expect(safeEqual('ålice', 'alice')).toBe(false);
  });
});
