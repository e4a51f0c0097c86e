export interface LimitStore {
  /** Adds one to the counter `key` for the window starting at `windowStart`; returns the new count. */
  hit(key: string, windowStart: number): Promise<number>;
  purge(before: number): Promise<number>;
}
