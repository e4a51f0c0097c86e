/**
 * The connections a server has open, so that shutdown can reach each one: an array of slots and a
 * stack of free ones, each connection knowing its own. Not a `Set`: with a connection per check a
 * Set of them made V8 promote about 1.2 KB more per check out of its young generation, so the old
 * one was marked every 2,700 checks instead of every 5,000; the daemon's CPU per check fell by
 * 12-18% without it (`npm run bench:direct -- fcgi --trace-gc`, BENCHMARKS.md session 11).
 */
export class OpenConnections<T> {
  readonly #slots: (T | undefined)[] = [];
  readonly #free: number[] = [];

  /** Makes the item with the slot it is stored in; it passes that slot to `remove`. */
  add(make: (slot: number) => T): T {
    const slot = this.#free.pop() ?? this.#slots.length;
    const item = make(slot);
    this.#slots[slot] = item;
    return item;
  }

  remove(slot: number): void {
    if (this.#slots[slot] === undefined) return;
    this.#slots[slot] = undefined;
    this.#free.push(slot);
  }

  get size(): number {
    return this.#slots.length - this.#free.length;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const item of this.#slots) if (item !== undefined) yield item;
  }
}
