import type { BenchCase, CaseResult } from './bench-case.js';
import type { CpuPerRequest, Measurement } from './measurement.js';
import { median } from './median.js';

/**
 * Medians over rounds; ratios are taken within each round first (the rounds alternate the
 * cases, so a noisy moment hits a case and its reference alike) and their median reported.
 */
export function summarizeCase(
  bench: BenchCase,
  rounds: readonly Measurement[],
  staticRounds: readonly Measurement[],
  basicRounds: readonly Measurement[],
): CaseResult {
  const ratio = (reference: readonly Measurement[]): number =>
    median(rounds.map((m, i) => m.rps / (reference[i]?.rps ?? Number.NaN)));
  const failures = rounds.reduce(
    (sum, m) => sum + m.socketErrors + (bench.expect === 200 ? m.nonSuccess : m.requests - m.nonSuccess),
    0,
  );
  return {
    id: bench.id,
    label: bench.label,
    rounds,
    rps: median(rounds.map((m) => m.rps)),
    p50: median(rounds.map((m) => m.p50)),
    p99: median(rounds.map((m) => m.p99)),
    vsStatic: ratio(staticRounds),
    vsBasic: ratio(basicRounds),
    failures,
    cpuUs: {
      ...cpuMedian(rounds, 'daemon'),
      ...cpuMedian(rounds, 'apache'),
      ...cpuMedian(rounds, 'client'),
    },
  };
}

function cpuMedian(rounds: readonly Measurement[], side: keyof CpuPerRequest): CpuPerRequest {
  const values = rounds.map((m) => m.cpuUs?.[side]).filter((v) => v !== undefined);
  return values.length === 0 ? {} : { [side]: median(values) };
}
