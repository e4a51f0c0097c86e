import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Environment {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  /** 1-minute load average when the run started: other work on the machine skews every number. */
  readonly loadAverage: number;
  readonly node: string;
  readonly apache: string;
  readonly wrk: string;
  readonly kernel: string;
}

/** What the numbers were measured on (issue 5: CPU count and versions with the table). */
export function environment(): Environment {
  const firstLine = (command: string, args: string[]): string => {
    try {
      return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split(
        '\n',
      )[0]!;
    } catch (error) {
      // wrk -v prints its version and exits 1.
      const out = (error as { stdout?: string }).stdout ?? '';
      return out.split('\n')[0] ?? 'unknown';
    }
  };
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg()[0] ?? 0,
    node: process.version,
    apache: firstLine('/usr/sbin/apache2', ['-v']).replace('Server version: ', ''),
    wrk: firstLine('wrk', ['-v']).replace(/ Copyright.*$/, ''),
    kernel: `${os.type()} ${os.release()}`,
  };
}
