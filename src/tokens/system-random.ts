import { randomBytes } from 'node:crypto';
import type { Random } from './random.js';

/** The production Random: the operating system's CSPRNG. */
export const systemRandom: Random = Object.freeze({
  bytes: (size: number): Buffer => randomBytes(size),
});
