import { setFlagsFromString } from 'node:v8';

/**
 * Bounds the daemon's memory (issue 5: RSS at most 100 MB). Left alone, V8 grows its
 * young generation up to two 16 MB halves under load and lets the old one reach about
 * twice what is live before collecting; for a daemon whose live heap is about 20 MB,
 * that doubles its RSS (140 to 175 MB under load, against 96 to 99 MB with these
 * settings, for about 5% more CPU per check: BENCHMARKS.md). Both values are read each
 * time V8 sizes the heap's next step, so setting them at run time works; it must
 * happen before the daemon's modules load and its young generation has grown.
 */
export function tuneHeapForDaemon(): void {
  // The young generation keeps its initial size (1 MB halves on 64-bit).
  setFlagsFromString('--semi-space-growth-factor=1');
  // The old generation is collected when it has grown by 20% over what was live.
  setFlagsFromString('--heap-growing-percent=20');
}
