import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { http } from '../support/apache.js';
import { freePort } from '../support/free-port.js';
import { spawnCli, type CliProcess } from './cli-process.js';
import { makeDaemonFolder, type DaemonFolder } from './daemon-folder.js';

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('forgetpw http', () => {
  let folder: DaemonFolder | undefined;
  let daemon: CliProcess | undefined;

  afterEach(async () => {
    await daemon?.kill();
    await folder?.cleanup();
    daemon = undefined;
    folder = undefined;
  });

  /** What nginx's auth_request (or Caddy's forward_auth) asks about a visit to site.example/page. */
  const check = (port: number) =>
    http(`http://127.0.0.1:${port}/auth`, {
      headers: {
        accept: 'application/xhtml+xml',
        'x-forwarded-host': 'site.example',
        'x-forwarded-proto': 'http',
        'x-original-uri': '/page?x=1',
        'x-original-method': 'GET',
      },
    });
  const title = (body: string): string => /<title>([^<]*)<\/title>/.exec(body)?.[1] ?? '';

  async function start(args: readonly string[], settings: Record<string, unknown> = {}) {
    folder = await makeDaemonFolder({ settings });
    daemon = spawnCli(['-c', folder.config, 'http', ...args], folder.dir);
    await daemon.logged('listening');
    return { folder, daemon };
  }

  it('listens on -p, serves no FastCGI, and answers /auth with 401 and the login page', async () => {
    const port = await freePort();
    const { folder: f, daemon: d } = await start(['-p', String(port)]);
    expect(d.stdout()).toContain(`Running authenticator daemon on http://127.0.0.1:${port}/\n`);
    expect(await refused(f.port)).toBe(true);
    const answer = await check(port);
    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toMatch(/^application\/xhtml\+xml/);
    expect(answer.body).toContain('action="/email-link"');
    expect(answer.body).toContain('http://site.example/page?x=1');
    expect(title(answer.body)).toBe('Log In · site.example');
  });

  it('takes host and port from http.listen when no option names them', async () => {
    const port = await freePort();
    await start([], { http: { listen: `127.0.0.1:${port}` } });
    expect((await check(port)).status).toBe(401);
  });

  it('re-reads the templates on SIGHUP', async () => {
    const port = await freePort();
    const { folder: f, daemon: d } = await start(['-p', String(port)]);
    const file = path.join(f.templates, 'basic-401.xhtml');
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/<title>.*?<\/title>/);
    await writeFile(file, text.replace(/<title>.*?<\/title>/, '<title>Members Only</title>'));
    expect(title((await check(port)).body)).toBe('Log In · site.example');
    d.signal('SIGHUP');
    await d.logged('reloaded');
    expect(title((await check(port)).body)).toBe('Members Only');
  });

  it('exits 0 on SIGTERM, removes its pid file and frees its port', async () => {
    const port = await freePort();
    const { folder: f, daemon: d } = await start(['-p', String(port)]);
    expect(existsSync(f.pidFile)).toBe(true);
    expect((await readFile(f.pidFile, 'utf8')).trim()).toBe(String(d.pid));
    d.signal('SIGTERM');
    expect(await d.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(f.pidFile)).toBe(false);
    expect(await refused(port)).toBe(true);
  });

  it('refuses a port that is not a number with a usage error', async () => {
    folder = await makeDaemonFolder();
    daemon = spawnCli(['-c', folder.config, 'http', '-p', 'eighty'], folder.dir);
    const { code } = await daemon.exited;
    expect(code).toBe(2);
    expect(daemon.stderr()).toContain('-p: not a port number: eighty');
  });
});
