import type { Clock } from './clock.js';

/** The production Clock: milliseconds since the epoch, UTC (no local-time arithmetic anywhere). */
export const systemClock: Clock = Object.freeze({
  now: (): number => Date.now(),
});
