import { describe, expect, it } from 'vitest';
import { sweepPeriod } from '../../src/fastcgi/server.js';

describe('sweepPeriod', () => {
  it('checks deadlines at a tenth of the shortest timeout, within 10 ms and 1 s', () => {
    expect(sweepPeriod(30_000, 30_000)).toBe(1000);
    expect(sweepPeriod(60_000, 400)).toBe(40);
    expect(sweepPeriod(50, 30_000)).toBe(10);
  });

  it('leaves out a disabled timeout, and runs no sweep when both are', () => {
    expect(sweepPeriod(0, 2000)).toBe(200);
    expect(sweepPeriod(0, 0)).toBeUndefined();
  });
});
