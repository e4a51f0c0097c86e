/**
 * What node's `--trace-gc-nvp` lines say a process spent collecting: per kind of collection
 * (s: scavenge, mc: mark-compact, ...), how many ran, their pauses, the incremental marking
 * done ahead of a mark-compact, and the bytes allocated, promoted and copied between them.
 */
export interface GcKind {
  /** V8's `gc=` name: `s` scavenge, `mc` mark-compact, `mmc` minor mark-compact. */
  readonly kind: string;
  readonly count: number;
  readonly pauseMs: number;
  readonly markingStepsMs: number;
  readonly allocatedBytes: number;
  readonly promotedBytes: number;
  /** Young objects a scavenge kept in the young generation (copied to the other half). */
  readonly survivedBytes: number;
  /** The pause's parts as V8 names them (`scavenge.roots`, `heap.external.epilogue`, ...), ms summed. */
  readonly phasesMs: ReadonlyMap<string, number>;
}

/** Fields of a line that time a part of the pause (not the totals, throughputs or sizes). */
const PHASE =
  /^(scavenge\.|heap\.|time_to_safepoint|clear|mark|evacuate|sweep|complete\.|fast_promote|background\.)/;

// `[pid:0x..]   1234 ms: pause=0.9 mutator=11.2 gc=s ... allocated=3960536 promoted=0 ...`
const PAIR = /(\S+)=(\S+)/g;

export function summarizeGcTrace(text: string): GcKind[] {
  const kinds = new Map<string, Omit<GcKind, 'kind'>>();
  for (const line of text.split('\n')) {
    if (!line.includes(' gc=')) continue;
    const field = new Map<string, string>();
    for (const [, name, value] of line.matchAll(PAIR)) field.set(name!, value!);
    const number = (name: string): number => Number(field.get(name) ?? 0) || 0;
    const kind = field.get('gc')!;
    const sums = kinds.get(kind) ?? {
      count: 0,
      pauseMs: 0,
      markingStepsMs: 0,
      allocatedBytes: 0,
      promotedBytes: 0,
      survivedBytes: 0,
      phasesMs: new Map<string, number>(),
    };
    const phasesMs = new Map(sums.phasesMs);
    for (const [name, value] of field) {
      if (PHASE.test(name)) phasesMs.set(name, (phasesMs.get(name) ?? 0) + (Number(value) || 0));
    }
    kinds.set(kind, {
      count: sums.count + 1,
      pauseMs: sums.pauseMs + number('pause'),
      markingStepsMs: sums.markingStepsMs + number('incremental.steps_took'),
      allocatedBytes: sums.allocatedBytes + number('allocated'),
      promotedBytes: sums.promotedBytes + number('promoted'),
      survivedBytes: sums.survivedBytes + number('new_space_survived'),
      phasesMs,
    });
  }
  return [...kinds].map(([kind, sums]) => ({ kind, ...sums }));
}
