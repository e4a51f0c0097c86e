/**
 * Remembers answers for header values, which are few in practice (one per browser build), in
 * a bounded map: at most `size` entries, oldest dropped first, and keys longer than `keyLimit`
 * never kept, so junk headers cannot grow it.
 */
export interface BoundedMemo<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

export function boundedMemo<T>(size = 256, keyLimit = 1024): BoundedMemo<T> {
  const entries = new Map<string, T>();
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      if (key.length > keyLimit) return;
      if (entries.size >= size) entries.delete(entries.keys().next().value!);
      entries.set(key, value);
    },
  };
}
