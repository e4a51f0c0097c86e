/**
 * The floor cases: Apache in front of authorizers that do nothing but answer, with the
 * very bytes the daemon sends for a valid cookie. `floor-c` (bench/floor/*.c) is what
 * Apache and the kernel cost per check whatever the authorizer; `floor-node` adds only
 * node's per-connection work. Together they show how much of a check is ours.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { fcgiRequest } from '../test/support/fcgi-client.js';
import { freePort } from '../test/support/free-port.js';
import { spawnBenchProcess, type BenchDaemon } from './bench-daemon.js';

const floor = path.join(import.meta.dirname, 'floor');

/** The daemon's whole answer (through END_REQUEST) to an authorizer request with these params. */
export async function captureAnswer(port: number, params: Record<string, string>): Promise<Buffer> {
  const answer = await fcgiRequest({ port, role: 'authorizer', params });
  if (answer.status !== 200) throw new Error(`the daemon answered ${answer.status}, not 200`);
  return answer.raw;
}

/** Compiles and starts both floor authorizers; one that cannot be built is left out (with `skipped`). */
export async function startFloorAuthorizers(
  dir: string,
  answer: Buffer,
  skipped: (why: string) => void,
): Promise<BenchDaemon[]> {
  const answerFile = path.join(dir, 'allow-answer.bin');
  await writeFile(answerFile, answer);
  const started: BenchDaemon[] = [];
  const binary = path.join(dir, 'floor-authorizer');
  try {
    await promisify(execFile)('cc', ['-O2', '-o', binary, path.join(floor, 'floor-authorizer.c')]);
    const port = await freePort();
    started.push(
      await spawnBenchProcess({
        name: 'floor-c',
        port,
        command: binary,
        args: [String(port), answerFile],
        ready: 'listening',
      }),
    );
  } catch (error) {
    skipped(`floor-c: ${error instanceof Error ? error.message : String(error)}`);
  }
  const port = await freePort();
  started.push(
    await spawnBenchProcess({
      name: 'floor-node',
      port,
      command: process.execPath,
      args: ['--import', 'tsx', path.join(floor, 'floor-authorizer.ts'), String(port), answerFile],
      ready: 'listening',
    }),
  );
  return started;
}
