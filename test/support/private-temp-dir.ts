import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PrivateTempDir {
  readonly dir: string;
  /**
   * Lists what the run left in the folder and removes the folder. Anything left is printed;
   * with CI=true it also fails the run, so a test that leaks temp folders cannot creep back.
   */
  check(): Promise<void>;
}

/**
 * Points TMPDIR (and so `os.tmpdir()` in every test worker and child process) at a fresh
 * folder of this run, so what the suite leaves behind is seen even while other runs share /tmp.
 */
export async function privateTempDir(): Promise<PrivateTempDir> {
  const previous = process.env['TMPDIR'];
  const dir = await mkdtemp(path.join(tmpdir(), 'fp-run-'));
  // Apache's children (nobody) and PostgreSQL (postgres) must reach their folders inside.
  await chmod(dir, 0o755);
  process.env['TMPDIR'] = dir;
  return {
    dir,
    check: async () => {
      if (previous === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = previous;
      // tsx keeps its compile cache of child processes in TMPDIR (`tsx-UID`): not a leak of ours.
      const left = (await readdir(dir)).filter((name) => !/^tsx-\d+$/.test(name));
      await rm(dir, { recursive: true, force: true });
      if (left.length === 0) return;
      const message = `the tests left ${left.length} temp entries behind (now removed):\n  ${left.sort().join('\n  ')}`;
      if (process.env['CI'] === 'true') throw new Error(message);
      console.warn(`warning: ${message}`);
    },
  };
}
