import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median } from './median.js';

export interface CommandTime {
  /** Median wall time, ms. */
  readonly wallMs: number;
  /** Median user + system CPU time, ms (from /usr/bin/time; undefined without it): less moved by other load. */
  readonly cpuMs: number | undefined;
}

const TIME = '/usr/bin/time';

/** Runs a command `runs` times (each must exit 0). */
export function timeCommand(command: string, args: readonly string[], runs: number): CommandTime {
  const dir = mkdtempSync(path.join(tmpdir(), 'forgetpw-time-'));
  const report = path.join(dir, 'time');
  const withTime = existsSync(TIME);
  const walls: number[] = [];
  const cpus: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const result = withTime
        ? spawnSync(TIME, ['-o', report, '-f', '%U %S', command, ...args], {
            stdio: ['ignore', 'ignore', 'pipe'],
          })
        : spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      walls.push(performance.now() - started);
      if (result.status !== 0) {
        throw new Error(
          `${command} ${args.join(' ')} exited ${String(result.status)}: ${String(result.stderr)}`,
        );
      }
      if (withTime) {
        const [user, system] = readFileSync(report, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
        cpus.push(((user ?? 0) + (system ?? 0)) * 1000);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { wallMs: median(walls), cpuMs: withTime ? median(cpus) : undefined };
}
