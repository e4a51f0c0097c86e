import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Measurement } from './measurement.js';

const run = promisify(execFile);
const script = path.join(import.meta.dirname, 'wrk-rotate.lua');

export interface WrkOptions {
  readonly port: number;
  readonly host: string;
  readonly path: string;
  /** File of header lines, one per request in turn (may be empty). */
  readonly headersFile: string;
  readonly seconds: number;
  readonly connections: number;
}

/** One wrk run (one thread: wrk, Apache and node share the machine's cores). */
export async function runWrk(o: WrkOptions): Promise<Measurement> {
  const { stdout } = await run(
    'wrk',
    [
      '-t1',
      `-c${String(o.connections)}`,
      `-d${String(o.seconds)}s`,
      '--latency',
      '-s',
      script,
      `http://127.0.0.1:${String(o.port)}${o.path}`,
      '--',
      o.path,
      o.host,
      o.headersFile,
    ],
    { timeout: (o.seconds + 30) * 1000 },
  );
  return parseWrk(stdout);
}

export function parseWrk(text: string): Measurement {
  const number = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? 0);
  const requests = number(/(\d+) requests in/);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: latencyMs(text, '50%'),
    p99: latencyMs(text, '99%'),
    requests,
    nonSuccess: number(/Non-2xx or 3xx responses: (\d+)/),
    socketErrors: errors === null ? 0 : errors.slice(1).reduce((sum, n) => sum + Number(n), 0),
  };
}

function latencyMs(text: string, percentile: string): number {
  const match = new RegExp(`^\\s+${percentile}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
  if (match === null) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}
