import type { CpuPerRequest, Measurement } from './measurement.js';

/** One line of the table: a kind of request, measured once per round. */
export interface BenchCase {
  readonly id: string;
  readonly label: string;
  /** Status every answer should have. */
  readonly expect: 200 | 401;
  /** Processes whose CPU time is charged to this case. */
  readonly cpu: {
    readonly daemonPid?: number;
    /** The daemon is a `workers: N` supervisor: charge its workers too. */
    readonly daemonWorkers?: boolean;
    readonly apachePid?: number;
    readonly client?: boolean;
  };
  measure(seconds: number): Promise<Measurement>;
}

export interface CaseResult {
  readonly id: string;
  readonly label: string;
  readonly rounds: readonly Measurement[];
  /** Medians over the rounds. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Median over the rounds of this round's req/s over the static (Basic) case's of the same round. */
  readonly vsStatic: number;
  readonly vsBasic: number;
  /** Answers with another status than expected, or socket errors, over all rounds. */
  readonly failures: number;
  /** Medians over the rounds, microseconds of CPU per request. */
  readonly cpuUs: CpuPerRequest;
}
