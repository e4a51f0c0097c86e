import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { http } from '../support/apache.js';
import { freePort } from '../support/free-port.js';

const MAIN = path.resolve(import.meta.dirname, '../../dist/src/main.js');

describe('forgetpw demo', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('serves a protected site through Apache where the printed link logs the demo address in', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fp-demo-'));
    const [httpPort, fcgiPort] = [await freePort(), await freePort()];
    // The quick-start defaults, but on a free FastCGI port so the test never meets a running daemon.
    await writeFile(
      path.join(dir, 'forgetpw.yml'),
      `port: ${fcgiPort}\nstate: {dsn: 'sqlite://forgetpw.sqlite'}\nemail: {from: forgetpw@localhost, method: file, options: {path: mail}}\n`,
    );
    child = spawn(process.execPath, [MAIN, 'demo', '--port', String(httpPort)], { cwd: dir });
    const lines: string[] = [];
    child.stdout!.on('data', (b: Buffer) => lines.push(...b.toString().split('\n')));
    child.stderr!.on('data', (b: Buffer) => lines.push(...b.toString().split('\n')));
    const waitFor = async (re: RegExp): Promise<string> => {
      for (let i = 0; i < 200; i++) {
        const hit = lines.find((l) => re.test(l));
        if (hit !== undefined) return hit;
        if (child!.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`not printed: ${re}\n${lines.join('\n')}`);
    };
    expect(await waitFor(/^Open http/)).toBe(
      `Open http://127.0.0.1:${httpPort}/ and log in as demo@example.org.`,
    );

    const site = `http://127.0.0.1:${httpPort}`;
    expect((await http(`${site}/`)).status).toBe(401);
    const sent = await http(`${site}/email-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site },
      body: `email=demo%40example.org&forward=${encodeURIComponent(`${site}/`)}`,
    });
    expect(sent.status).toBe(200);
    const pending = (sent.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const link = (await waitFor(/^Login link for demo@example.org: /)).split(': ')[1]!;
    const opened = await http(link, { headers: { cookie: pending } });
    expect(opened.status).toBe(303);
    const session = (opened.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('forgetpw='))!
      .split(';')[0]!;
    const who = await http(`${site}/cgi/whoami.cgi`, { headers: { cookie: session } });
    expect(who.body).toContain('REMOTE_USER=demo@example.org');
    // Protected content is revalidated, so "Back" after logout cannot show it from the cache.
    expect(who.headers['cache-control']).toBe('private, no-cache');

    const out = await http(`${site}/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site, cookie: session },
      body: '',
    });
    expect(out.status).toBe(303);
    expect(out.headers['clear-site-data']).toBe('"cache"');
    const location = String(out.headers['location']);
    expect(location).toBe(`${site}/logged-out`);
    const after = await http(location);
    expect(after.status).toBe(200);
    expect(after.body).toContain('You Are Logged Out');
  });
});
