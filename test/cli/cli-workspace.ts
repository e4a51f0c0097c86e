/**
 * The CLI run in-process, as `forgetpw` would run it, in a temp folder of its own:
 * every call of `run` gets fresh captured stdout/stderr lines and the exit code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIo } from '../../src/cli/cli-io.js';
import { run } from '../../src/cli/run-cli.js';
import { openStore, type StoreHandle } from '../../src/store/open-store.js';

export interface CliRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  /** stdout joined with newlines. */
  readonly text: string;
}

export interface CliWorkspace {
  /** The temp folder: the working directory, holding forgetpw.yml. */
  readonly dir: string;
  run(...argv: string[]): Promise<CliRun>;
  /** `--json` output parsed. */
  json<T = unknown>(...argv: string[]): Promise<T>;
  /** `forgetpw init` with this database (default a SQLite file in the folder); must succeed. */
  init(dsn?: string, ...options: string[]): Promise<void>;
  /** The database of the last `init`, opened directly (to arrange and to look behind the CLI). */
  withStore<T>(work: (store: StoreHandle) => Promise<T>): Promise<T>;
  cleanup(): void;
}

export const OPERATOR = 'tester';

export function cliWorkspace(): CliWorkspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forgetpw-cli-'));
  let database: string | undefined;
  const self: CliWorkspace = {
    dir,
    async run(...argv) {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = {
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        // No FORGETPW_* from the developer's shell: only the file counts.
        env: { USER: OPERATOR },
        cwd: dir,
      };
      const restore = [captureStream(process.stdout, out), captureStream(process.stderr, err)];
      let code: number;
      try {
        code = await run(argv, io);
      } finally {
        for (const undo of restore) undo();
      }
      return { code, out, err, text: out.join('\n') };
    },
    async json<T>(...argv: string[]): Promise<T> {
      const result = await self.run(...argv);
      if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.err.join('\n')}`);
      return JSON.parse(result.text) as T;
    },
    async init(dsn = 'sqlite://forgetpw.db', ...options) {
      const result = await self.run('init', '-d', dsn, '-f', 'robot@example.org', ...options);
      if (result.code !== 0) throw new Error(`init failed (${result.code}): ${result.err.join('\n')}`);
      database = dsn;
    },
    async withStore(work) {
      if (database === undefined) throw new Error('withStore before init');
      const store = await openStore({ dsn: database }, { baseDir: dir });
      try {
        return await work(store);
      } finally {
        await store.close();
      }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  return self;
}

/**
 * commander prints a verb's `--help` and its parse errors to the process streams, not
 * through the CliIo: `addCommand` does not pass the program's output settings on. Both
 * reach the terminal in real use; the tests collect both.
 */
function captureStream(stream: NodeJS.WriteStream, lines: string[]): () => void {
  const original = stream.write.bind(stream);
  stream.write = (chunk: string | Uint8Array) => {
    lines.push(...Buffer.from(chunk).toString('utf8').trimEnd().split('\n'));
    return true;
  };
  return () => {
    stream.write = original;
  };
}
