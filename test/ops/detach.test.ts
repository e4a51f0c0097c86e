import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { gateClient } from '../support/gate-client.js';
import { spawnCli } from './cli-process.js';
import { makeDaemonFolder, type DaemonFolder } from './daemon-folder.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !alive(pid);
}

describe('fcgi -z', () => {
  let folder: DaemonFolder | undefined;
  let daemonPid: number | undefined;

  afterEach(async () => {
    if (daemonPid !== undefined && alive(daemonPid)) process.kill(daemonPid, 'SIGKILL');
    await folder?.cleanup();
    daemonPid = undefined;
    folder = undefined;
  });

  it('returns once the daemon listens, and the pid file holds the daemon’s pid', async () => {
    folder = await makeDaemonFolder();
    const starter = spawnCli(['-c', folder.config, 'fcgi', '-z'], folder.dir);
    const { code } = await starter.exited;
    expect(code, starter.stderr()).toBe(0);
    const printed = /^Running authenticator daemon on fcgi:\/\/127\.0\.0\.1:(\d+)\/ \(pid (\d+)\)$/m.exec(
      starter.stdout(),
    );
    expect(printed?.[1]).toBe(String(folder.port));
    daemonPid = Number(printed?.[2]);
    expect(daemonPid).not.toBe(starter.pid);
    expect((await readFile(folder.pidFile, 'utf8')).trim()).toBe(String(daemonPid));
    expect(alive(daemonPid)).toBe(true);
    expect((await gateClient(folder.port).authorize('/page.html')).status).toBe(401);

    process.kill(daemonPid, 'SIGTERM');
    expect(await gone(daemonPid)).toBe(true);
    expect(existsSync(folder.pidFile)).toBe(false);
  });

  it('exits 2 with the reason when the daemon cannot start', async () => {
    folder = await makeDaemonFolder({ migrate: false });
    const starter = spawnCli(['-c', folder.config, 'fcgi', '-z'], folder.dir);
    const { code } = await starter.exited;
    expect(code).toBe(2);
    expect(starter.stderr()).toContain('could not start the daemon');
    expect(starter.stderr()).toContain('migrations pending');
    expect(starter.stderr()).toContain('pending: 0001');
    expect(existsSync(folder.pidFile)).toBe(false);
  });
});
