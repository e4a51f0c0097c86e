import { setFlagsFromString } from 'node:v8';

/** V8 flags that size each generation; an operator who sets one keeps it. */
const YOUNG = /--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor)\b/;
const OLD = /--(heap-growing-percent|max-old-space-size|max-heap-size)\b/;

/**
 * Bounds the daemon's memory (issue 5: RSS at most 100 MB). Left alone, V8 grows its
 * young generation up to two 16 MB halves under load and lets the old one reach about
 * twice what is live before collecting; for a daemon whose live heap is about 20 MB,
 * that doubles its RSS (140 to 175 MB under load, against 96 to 99 MB with these
 * settings, for about 5% more CPU per check: BENCHMARKS.md). Both values are read each
 * time V8 sizes the heap's next step, so setting them at run time works; it must
 * happen before the daemon's modules load and its young generation has grown.
 * Flags given on node's command line or in NODE_OPTIONS win: that generation is left alone.
 */
export function tuneHeapForDaemon(
  given: string = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].join(' '),
): void {
  // The young generation keeps its initial size (1 MB halves on 64-bit).
  if (!YOUNG.test(given)) setFlagsFromString('--semi-space-growth-factor=1');
  // The old generation is collected when it has grown by 20% over what was live.
  if (!OLD.test(given)) setFlagsFromString('--heap-growing-percent=20');
}
