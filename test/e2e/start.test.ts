import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gateClient } from '../support/gate-client.js';

const MAIN = path.resolve(import.meta.dirname, '../../dist/src/main.js');

describe('forgetpw start (npm start)', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('creates a local config on first run, serves the form, and stops cleanly on SIGTERM', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fp-start-'));
    const child = spawn(process.execPath, [MAIN, 'start'], {
      cwd: dir,
      env: { ...process.env, FORGETPW_LOG_LEVEL: 'warn' },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    for (let i = 0; i < 200 && !out.includes('Running authenticator daemon'); i++) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(out).toContain('with local defaults');
    const where = /fcgi:\/\/([^:]+):(\d+)\//.exec(out);
    expect(where, out).not.toBeNull();
    const config = await readFile(path.join(dir, 'forgetpw.yml'), 'utf8');
    expect(config).toContain('sqlite://forgetpw.sqlite');
    const form = await gateClient(Number(where![2])).authorize('/');
    expect(form.status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
