import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
  const check = (port: number, headers: Record<string, string> = {}, where = '/auth') =>
    http(`http://127.0.0.1:${port}${where}`, {
      headers: {
        accept: 'application/xhtml+xml',
        'x-forwarded-host': 'site.example',
        'x-forwarded-proto': 'http',
        'x-original-uri': '/page?x=1',
        'x-original-method': 'GET',
        ...headers,
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

  it('lets an app password from `token create --print` in with Basic and Bearer, and not after `token revoke`', async () => {
    const ann = 'ann@example.org';
    const port = await freePort();
    folder = await makeDaemonFolder({
      acl: [{ domain: 'site.example', address: ann, allow: true }],
      settings: { cache: { ttl: 1 } },
    });
    daemon = spawnCli(['-c', folder.config, 'http', '-p', String(port)], folder.dir);
    await daemon.logged('listening');
    const admin = async (...args: string[]): Promise<string> => {
      const run = spawnCli(['-c', folder!.config, ...args], folder!.dir);
      const { code } = await run.exited;
      expect(code, run.stderr()).toBe(0);
      return run.stdout().trim();
    };
    const secret = (await admin('token', 'create', ann, '-d', 'site.example', '--print')).split('\n').pop()!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const basic = `Basic ${Buffer.from(`${ann}:${secret}`).toString('base64')}`;
    for (const authorization of [basic, `Bearer ${secret}`]) {
      for (const where of ['/auth', '/auth-request']) {
        const allowed = await check(port, { authorization }, where);
        expect(allowed.status, `${where} ${authorization.slice(0, 6)}`).toBe(200);
        expect(allowed.headers['remote-user']).toBe(ann);
      }
    }
    const wrong = await check(port, { authorization: `Bearer ${'x'.repeat(43)}` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['remote-user']).toBeUndefined();

    const [listed] = JSON.parse(await admin('token', 'list', ann, '--json')) as Array<{ id: string }>;
    await admin('token', 'revoke', listed!.id);
    // Revoked by another process: refused once the daemon's cache (cache.ttl, 1 s here) lets go.
    await sleep(1200);
    for (const authorization of [basic, `Bearer ${secret}`]) {
      const refused = await check(port, { authorization });
      expect(refused.status).toBe(401);
      expect(refused.headers['remote-user']).toBeUndefined();
    }
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
