/**
 * A small seeded PRNG (xorshift32, Marsaglia 2003) so that every fuzz case can be
 * replayed from (seed, index). Not for secrets: fuzzing only.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** The generator of case `index` of a run: splitmix32 of both, so neighbouring cases share nothing. */
  static forCase(seed: number, index: number): Prng {
    let z = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return new Prng((z ^ (z >>> 16)) >>> 0);
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.next() / 0x1_0000_0000) * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) out[i] = this.next() & 0xff;
    return out;
  }

  /** A length that is mostly small and now and then large, as junk tends to be. */
  size(max: number): number {
    const roll = this.below(100);
    if (roll < 70) return this.below(Math.min(max, 64) + 1);
    if (roll < 95) return this.below(Math.min(max, 2048) + 1);
    return this.below(max + 1);
  }

  /** A string of latin1 characters (one byte each on the wire), from `alphabet` when given. */
  text(length: number, alphabet?: string): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      out +=
        alphabet === undefined ? String.fromCharCode(this.below(256)) : alphabet[this.below(alphabet.length)];
    }
    return out;
  }
}
