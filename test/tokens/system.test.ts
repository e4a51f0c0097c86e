import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/tokens/system-clock.js';
import { systemRandom } from '../../src/tokens/system-random.js';

describe('systemRandom', () => {
  it('returns the number of bytes asked for', () => {
    expect(systemRandom.bytes(32)).toHaveLength(32);
  });

  it('returns different bytes on each call', () => {
    expect(systemRandom.bytes(32).equals(systemRandom.bytes(32))).toBe(false);
  });
});

describe('systemClock', () => {
  it('reads epoch milliseconds', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
