import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { freePort } from '../support/free-port.js';
import { gateClient } from '../support/gate-client.js';
import { copyPackage } from '../support/package-copy.js';

describe('npm start', () => {
  let dir: string | undefined;
  let group: number | undefined;
  afterAll(async () => {
    // A failed assertion must not leave npm or the daemon behind.
    if (group !== undefined) await groupGone(group);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("runs the package's start script: a local config on first run, the form served, a clean stop", async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fp-start-'));
    await copyPackage(dir);
    const port = await freePort();
    // Through npm, as a newcomer types it; only the port is moved off 10101 (npm passes `-- -p`).
    const child = spawn('npm', ['start', '--silent', '--', '-p', String(port)], {
      cwd: dir,
      detached: true,
      env: { ...process.env, FORGETPW_LOG_LEVEL: 'warn' },
    });
    group = child.pid;
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<string>((resolve) =>
      child.once('exit', (code, signal) => resolve(String(code ?? signal))),
    );
    for (let i = 0; i < 300 && !out.includes('Running authenticator daemon'); i++) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(out).toContain('with local defaults');
    expect(out).toContain(`Running authenticator daemon on fcgi://127.0.0.1:${port}/`);

    const file = path.join(dir, 'forgetpw.yml');
    expect(await readFile(file, 'utf8')).toContain('sqlite://forgetpw.sqlite');
    // Without `-p`, the written config is where Apache is told to connect: 127.0.0.1:10101.
    const written = loadConfig(file, { env: {} });
    expect([written.host, written.port]).toEqual(['localhost', 10101]);

    // The first-run config serves this machine's own names (`sites`).
    const form = await gateClient(port).authorize('/', { host: '127.0.0.1' });
    expect(form.status).toBe(401);
    expect(form.body).toContain('<form');
    // Ctrl-C in a terminal: SIGINT to the whole foreground group (npm does not pass a SIGTERM
    // sent to it alone on to the script, so that would leave the daemon running).
    // npm then ends by the same signal, as it does in a terminal; the daemon must be gone too.
    process.kill(-child.pid!, 'SIGINT');
    expect(['0', 'SIGINT']).toContain(await exited);
    expect(await groupGone(child.pid!)).toBe(true);
    await expect(gateClient(port).authorize('/')).rejects.toThrow(/ECONNREFUSED/);
    expect(out).not.toMatch(/error/i);
  });
});

/** Whether every process of the group has exited (within 5 s). */
async function groupGone(pgid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(-pgid, 'SIGKILL');
  return false;
}
