import type { CaseResult } from './bench-case.js';
import type { DaemonMemory } from './bench-daemon.js';
import type { Environment } from './environment.js';
import type { CacheBound } from './probe-cache-bound.js';
import type { ProfileSummary } from './profile-summary.js';
import type { TargetCheck } from './targets.js';
import type { CommandTime } from './time-command.js';

/** Everything one run found; written as bench/results/latest.json. */
export interface BenchReport {
  readonly at: string;
  readonly environment: Environment;
  readonly settings: {
    readonly rounds: number;
    readonly seconds: number;
    readonly warmup: number;
    readonly connections: number;
    /** Sessions the valid-cookie cases rotate over. */
    readonly sample: number;
    readonly cacheTtl: number;
    readonly quick: boolean;
    readonly profile: boolean;
    readonly daemonNodeOptions: string | null;
    /** Flags put on the daemons' node command line (`--daemon-node-flag`). */
    readonly daemonNodeFlags?: readonly string[];
    /** The hey rows: requests per second, seconds per run. */
    readonly steadyRate: number;
    readonly steadySeconds: number;
  };
  readonly cases: readonly CaseResult[];
  readonly targets: readonly TargetCheck[];
  readonly writes: ReadonlyArray<{ store: string; rows: number; committed: boolean | undefined }>;
  readonly cacheBound: CacheBound;
  readonly memory: Readonly<Record<string, DaemonMemory>>;
  readonly cli: { readonly help: CommandTime; readonly privilegeList: CommandTime };
  readonly seedSeconds: Readonly<Record<string, number>>;
  readonly profiles?: Readonly<Record<string, ProfileSummary>>;
}
