import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Measurement } from './measurement.js';

const run = promisify(execFile);

export interface HeyOptions {
  readonly port: number;
  readonly host: string;
  readonly path: string;
  /** Header lines sent with every request (hey cannot rotate them). */
  readonly headers: readonly string[];
  readonly seconds: number;
  /** Total requests per second: `workers` x `-q` (hey's rate is per worker). */
  readonly rate: number;
  readonly workers: number;
}

/**
 * One steady-rate run (issue 18): what a person feels far below saturation. hey paces each
 * of its workers at rate/workers requests per second, so latency is not queueing behind wrk.
 */
export async function runHey(o: HeyOptions): Promise<Measurement> {
  const { stdout } = await run(
    'hey',
    [
      '-z',
      `${String(o.seconds)}s`,
      '-c',
      String(o.workers),
      '-q',
      String(o.rate / o.workers),
      '-t',
      '5',
      '-host',
      o.host,
      ...o.headers.flatMap((h) => ['-H', h]),
      `http://127.0.0.1:${String(o.port)}${o.path}`,
    ],
    { timeout: (o.seconds + 30) * 1000, maxBuffer: 16 * 1024 * 1024 },
  );
  return parseHey(stdout);
}

export function parseHey(text: string): Measurement {
  const latency = (p: string): number =>
    Number(new RegExp(`^\\s+${p}% in ([\\d.]+) secs`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
  let requests = 0;
  let ok = 0;
  for (const m of text.matchAll(/^\s+\[(\d+)\]\s+(\d+) responses/gm)) {
    requests += Number(m[2]);
    if (m[1]!.startsWith('2') || m[1]!.startsWith('3')) ok += Number(m[2]);
  }
  let socketErrors = 0;
  const errors = /Error distribution:\n([\s\S]*)$/.exec(text)?.[1] ?? '';
  for (const m of errors.matchAll(/^\s+\[(\d+)\]/gm)) socketErrors += Number(m[1]);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? 0),
    p50: latency('50'),
    p99: latency('99'),
    requests: requests + socketErrors,
    nonSuccess: requests - ok,
    socketErrors,
  };
}
