import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));

export interface CliProcess {
  readonly pid: number;
  /** Every line written so far, stdout and stderr interleaved as they arrived. */
  readonly lines: string[];
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** The first JSON log line with this `event` (already written or still to come). */
  logged(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  signal(name: NodeJS.Signals): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if it still runs (test cleanup). */
  kill(): Promise<void>;
}

/**
 * The built CLI as an operator runs it: `node dist/src/main.js ARGS` in its own
 * process, so signals, exit codes, pid files and detaching are the real thing.
 * Needs `npm run build` first (as `npm test` does).
 */
export function spawnCli(args: readonly string[], cwd: string): CliProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not start node');
  const lines: string[] = [];
  const streams = { out: '', err: '' };
  const partial = { out: '', err: '' };
  const watchers = new Set<() => void>();
  const collect = (which: 'out' | 'err') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    streams[which] += text;
    const parts = (partial[which] + text).split('\n');
    partial[which] = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line !== ''));
    for (const watch of watchers) watch();
  };
  child.stdout.on('data', collect('out'));
  child.stderr.on('data', collect('err'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => {
    done = true;
    for (const watch of watchers) watch();
  });

  const find = (event: string): Record<string, unknown> | undefined => {
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry['event'] === event) return entry;
    }
    return undefined;
  };

  return {
    pid: child.pid,
    lines,
    stdout: () => streams.out,
    stderr: () => streams.err,
    logged: (event, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(watch);
          reject(new Error(`no "${event}" log line within ${timeoutMs} ms:\n${lines.join('\n')}`));
        }, timeoutMs);
        const watch = (): void => {
          const entry = find(event);
          if (entry === undefined && !done) return;
          clearTimeout(timer);
          watchers.delete(watch);
          if (entry !== undefined) resolve(entry);
          else reject(new Error(`exited without a "${event}" log line:\n${lines.join('\n')}`));
        };
        watchers.add(watch);
        watch();
      }),
    signal: (name) => {
      child.kill(name);
    },
    exited,
    kill: async () => {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
}
