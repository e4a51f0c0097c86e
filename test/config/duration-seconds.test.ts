import { describe, expect, it } from 'vitest';
import { durationSeconds } from '../../src/config/duration-seconds.js';

describe('durationSeconds', () => {
  it('reads ISO 8601 durations as seconds', () => {
    expect(['PT10M', 'P2W', 'P1DT12H', 'PT1.5S', 'pt1h'].map(durationSeconds)).toEqual([
      600, 1_209_600, 129_600, 2, 3600,
    ]);
  });

  it('reads calendar units as Gregorian averages, not from today', () => {
    expect(durationSeconds('P1Y')).toBe(31_556_952);
    expect(durationSeconds('P1M')).toBe(2_629_746);
  });

  it('takes a plain number of seconds, as a number or a string', () => {
    expect([durationSeconds(90), durationSeconds('90'), durationSeconds(0)]).toEqual([90, 90, 0]);
  });

  it('refuses what is not a duration', () => {
    for (const bad of [
      'PT10X',
      'P',
      'PT',
      'P1DT',
      '10 minutes',
      'xPT10M',
      'PT10Mx',
      '-5',
      -5,
      true,
      null,
      {},
    ]) {
      expect(durationSeconds(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
