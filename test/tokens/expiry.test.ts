import { describe, expect, it } from 'vitest';
import { remainingSeconds } from '../../src/tokens/remaining-seconds.js';
import { sessionExpiry } from '../../src/tokens/session-expiry.js';
import { slideDue } from '../../src/tokens/slide-due.js';

const HOUR = 3600;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2030, 0, 1);
const ms = (seconds: number): number => seconds * 1000;

describe('sessionExpiry', () => {
  it('is now plus the idle lifetime when the cap is far', () => {
    expect(sessionExpiry(T0, 14 * DAY, T0 + ms(90 * DAY))).toBe(T0 + ms(14 * DAY));
  });

  it('stops at the absolute cap', () => {
    expect(sessionExpiry(T0 + ms(85 * DAY), 14 * DAY, T0 + ms(90 * DAY))).toBe(T0 + ms(90 * DAY));
  });
});

describe('slideDue', () => {
  const idle = 14 * DAY;
  const cap = T0 + ms(90 * DAY);
  const slide = HOUR;

  it('writes nothing while the stored expiry is within one slide of the wanted one', () => {
    const stored = T0 + ms(idle);
    expect(slideDue(stored, T0 + ms(59 * 60), idle, cap, slide)).toBeUndefined();
  });

  it('writes the new expiry once a slide interval has passed', () => {
    const stored = T0 + ms(idle);
    expect(slideDue(stored, T0 + ms(HOUR), idle, cap, slide)).toBe(T0 + ms(HOUR + idle));
  });

  it('writes at most once per slide interval for a busy session', () => {
    let stored = T0 + ms(idle);
    let writes = 0;
    for (let minute = 1; minute <= 24 * 60; minute++) {
      const next = slideDue(stored, T0 + ms(minute * 60), idle, cap, slide);
      if (next !== undefined) {
        stored = next;
        writes++;
      }
    }
    expect(writes).toBe(24);
  });

  it('keeps a session used daily alive until the absolute cap and no longer', () => {
    let stored = T0 + ms(idle);
    for (let day = 1; day <= 100; day++) {
      const now = T0 + ms(day * DAY);
      if (stored <= now) break;
      stored = slideDue(stored, now, idle, cap, slide) ?? stored;
    }
    expect(stored).toBe(cap);
  });

  it('writes the cap once even when it is less than a slide away', () => {
    const stored = cap - ms(30 * 60);
    expect(slideDue(stored, cap - ms(DAY), idle, cap, slide)).toBe(cap);
  });

  it('writes nothing once the cap is stored', () => {
    expect(slideDue(cap, cap - ms(DAY), idle, cap, slide)).toBeUndefined();
  });

  it('never revives an expired session', () => {
    expect(slideDue(T0, T0 + 1, idle, cap, slide)).toBeUndefined();
  });

  it('never shortens the stored expiry', () => {
    expect(slideDue(T0 + ms(idle + DAY), T0, idle, cap, slide)).toBeUndefined();
  });

  it('writes on every use when the slide interval is zero', () => {
    expect(slideDue(T0 + ms(idle), T0 + 1000, idle, cap, 0)).toBe(T0 + 1000 + ms(idle));
  });
});

describe('remainingSeconds', () => {
  it('gives whole seconds left, rounded down', () => {
    expect(remainingSeconds(T0 + 10_999, T0)).toBe(10);
  });

  it('is zero once expired', () => {
    expect(remainingSeconds(T0 - 5000, T0)).toBe(0);
  });
});
