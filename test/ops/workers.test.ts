import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gateClient } from '../support/gate-client.js';
import { spawnCli, type CliProcess } from './cli-process.js';
import { makeDaemonFolder, type DaemonFolder } from './daemon-folder.js';

const SITE = 'site.example';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, test: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every JSON log line with this `event`, in order. */
function events(cli: CliProcess, event: string): Record<string, unknown>[] {
  return cli.lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry['event'] === event);
}

describe('fcgi --workers', () => {
  let folder: DaemonFolder | undefined;
  let daemon: CliProcess | undefined;
  let workerPids: number[] = [];

  afterEach(async () => {
    await daemon?.kill();
    // The supervisor was SIGKILLed if a test failed half-way: its workers must not outlive it.
    for (const pid of workerPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await folder?.cleanup();
    daemon = undefined;
    folder = undefined;
    workerPids = [];
  });

  async function start(args: readonly string[] = ['--workers', '2']): Promise<{
    folder: DaemonFolder;
    daemon: CliProcess;
    pids: number[];
  }> {
    folder = await makeDaemonFolder();
    daemon = spawnCli(['-c', folder.config, 'fcgi', ...args], folder.dir);
    const listening = await daemon.logged('listening', 20_000);
    const pids = listening['workers'] as number[];
    workerPids = [...pids];
    return { folder, daemon, pids };
  }

  async function formStatus(port: number): Promise<number> {
    return (await gateClient(port).authorize('/page.html', { host: SITE })).status;
  }

  it('runs two worker processes on the one port, announced once, with the supervisor in the pid file', async () => {
    const { folder: f, daemon: d, pids } = await start();
    expect(pids).toHaveLength(2);
    expect(pids.every(alive)).toBe(true);
    expect(pids).not.toContain(d.pid);
    expect(d.stdout()).toContain(
      `Running authenticator daemon on fcgi://127.0.0.1:${f.port}/ with 2 workers`,
    );
    expect(d.stdout().match(/^Running authenticator daemon/gm)).toHaveLength(1);
    expect((await readFile(f.pidFile, 'utf8')).trim()).toBe(String(d.pid));
    // Round-robin across the workers: every connection gets the login form.
    for (let i = 0; i < 6; i++) expect(await formStatus(f.port)).toBe(401);
    expect(events(d, 'worker-listening').map((e) => e['worker'])).toEqual(expect.arrayContaining([1, 2]));
  });

  it('takes the count from `workers` in forgetpw.yml too', async () => {
    folder = await makeDaemonFolder({ settings: { workers: 3 } });
    daemon = spawnCli(['-c', folder.config, 'fcgi'], folder.dir);
    const listening = await daemon.logged('listening', 20_000);
    workerPids = listening['workers'] as number[];
    expect(workerPids).toHaveLength(3);
    expect(await formStatus(folder.port)).toBe(401);
  });

  it('restarts a worker killed with SIGKILL, and the port keeps answering meanwhile', async () => {
    const { folder: f, daemon: d, pids } = await start();
    const [victim, survivor] = pids as [number, number];
    process.kill(victim, 'SIGKILL');
    const died = await d.logged('worker-died');
    expect(died['pid']).toBe(victim);
    expect(died['signal']).toBe('SIGKILL');
    // The survivor serves while the replacement starts.
    expect(await formStatus(f.port)).toBe(401);
    await until('a replacement worker', () => events(d, 'worker-started').length === 3);
    const replacement = events(d, 'worker-started')[2]!;
    const pid = replacement['pid'] as number;
    workerPids.push(pid);
    expect(replacement['worker']).toBe(died['worker']);
    expect(pid).not.toBe(victim);
    expect(alive(pid)).toBe(true);
    expect(alive(survivor)).toBe(true);
    for (let i = 0; i < 6; i++) expect(await formStatus(f.port)).toBe(401);
  });

  it('passes SIGHUP to every worker: each one serves the edited template', async () => {
    const { folder: f, daemon: d } = await start();
    const file = path.join(f.templates, 'basic-401.xhtml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/<title>[\s\S]*?<\/title>/, '<title>Members Only</title>'));
    d.signal('SIGHUP');
    await until('both workers reloaded', () => events(d, 'reloaded').length === 2);
    for (let i = 0; i < 6; i++) {
      const answer = await gateClient(f.port).authorize('/page.html', { host: SITE });
      expect(answer.body).toContain('<title>Members Only</title>');
    }
  });

  it('stops every worker on SIGTERM, removes the pid file and exits 0', async () => {
    const { folder: f, daemon: d, pids } = await start();
    d.signal('SIGTERM');
    expect(await d.exited).toEqual({ code: 0, signal: null });
    await until('the workers to exit', () => !pids.some(alive), 5_000);
    expect(existsSync(f.pidFile)).toBe(false);
    await expect(gateClient(f.port).authorize('/page.html', { host: SITE })).rejects.toThrow(/ECONNREFUSED/);
    expect(events(d, 'stopped').length).toBe(3);
  });

  it('refuses to start as one process would: exit 2, the reason printed once', async () => {
    folder = await makeDaemonFolder({ migrate: false });
    daemon = spawnCli(['-c', folder.config, 'fcgi', '-w', '2'], folder.dir);
    const { code } = await daemon.exited;
    expect(code).toBe(2);
    expect(daemon.stderr().match(/forgetpw init/g)).toHaveLength(1);
    expect(existsSync(folder.pidFile)).toBe(false);
    expect(events(daemon, 'worker-started')).toEqual([]);
  });
});
