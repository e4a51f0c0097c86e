/**
 * How fast each of V8's heap spaces fills, for `bench:direct --heap-spaces`: a preload (node
 * `--require`) samples `v8.getHeapSpaceStatistics()` every 100 ms and prints one line per sample;
 * the growth of a space is the sum of its rises between samples (a fall is a collection). The old
 * space rising much faster than the scavenges promote means something allocates there directly
 * (session 12: `Object.freeze` on a dictionary object, a new hidden class per check).
 */
export const HEAP_SPACES_PRELOAD = `
const v8 = require('node:v8');
setInterval(() => {
  const used = v8.getHeapSpaceStatistics().map((s) => s.space_name + '=' + s.space_used_size).join(' ');
  process.stderr.write('heap-spaces ' + used + '\\n');
}, 100).unref();
`;

/** Bytes each space grew by over the samples in `text`, by V8's space name (`old_space`, ...). */
export function heapSpaceGrowth(text: string): Map<string, number> {
  const growth = new Map<string, number>();
  const last = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('heap-spaces ')) continue;
    for (const [, name, value] of line.matchAll(/(\S+)=(\d+)/g)) {
      const used = Number(value);
      const before = last.get(name!);
      if (before !== undefined && used > before) growth.set(name!, (growth.get(name!) ?? 0) + used - before);
      else if (!growth.has(name!)) growth.set(name!, 0);
      last.set(name!, used);
    }
  }
  return growth;
}
