import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { http } from '../support/apache.js';
import { freePort } from '../support/free-port.js';
import { npmCacheWithPrebuild } from '../support/npm-cache.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe('npm pack, then npm install -g of the tarball', () => {
  let dir: string | undefined;
  let demo: ChildProcess | undefined;
  afterAll(async () => {
    if (demo !== undefined && demo.exitCode === null) {
      const exited = new Promise((resolve) => demo!.once('exit', resolve));
      demo.kill('SIGTERM');
      await exited;
    }
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('installs a forgetpw whose demo logs a person in through Apache', { timeout: 120_000 }, async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fp-pack-'));
    // The tarball carries the built dist/ (`npm test` builds first); packing must not rebuild
    // it under the other tests' feet, so its scripts are off.
    await access(path.join(repo, 'dist/src/main.js'));
    await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: repo });
    const tgz = (await readdir(dir)).find((f) => /^forget-passwords-.*\.tgz$/.test(f));
    expect(tgz).toBeDefined();

    const env = { ...process.env, ...(await npmCacheWithPrebuild(path.join(dir, 'cache'))) };
    const prefix = path.join(dir, 'prefix');
    // As the README says, from the folder holding the tarball; no build runs during the install.
    await run('npm', ['install', '-g', '--prefix', prefix, `./${tgz!}`], { cwd: dir, env });
    const forgetpw = path.join(prefix, 'bin', 'forgetpw');
    const { stdout: help } = await run(forgetpw, ['--help'], { cwd: dir });
    expect(help).toContain('demo');

    const site = path.join(dir, 'site');
    await mkdir(site);
    const [httpPort, fcgiPort] = [await freePort(), await freePort()];
    // The quick-start defaults, on a free FastCGI port so the test never meets a running daemon.
    await writeFile(
      path.join(site, 'forgetpw.yml'),
      `port: ${fcgiPort}\nstate: {dsn: 'sqlite://forgetpw.sqlite'}\nemail: {from: forgetpw@localhost, method: file, options: {path: mail}}\n`,
    );
    demo = spawn(forgetpw, ['demo', '--port', String(httpPort)], { cwd: site });
    const lines: string[] = [];
    demo.stdout!.on('data', (b: Buffer) => lines.push(...b.toString().split('\n')));
    demo.stderr!.on('data', (b: Buffer) => lines.push(...b.toString().split('\n')));
    const waitFor = async (re: RegExp): Promise<string> => {
      for (let i = 0; i < 300; i++) {
        const hit = lines.find((l) => re.test(l));
        if (hit !== undefined) return hit;
        if (demo!.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`not printed: ${re}\n${lines.join('\n')}`);
    };
    await waitFor(/^Open http/);

    const url = `http://127.0.0.1:${httpPort}`;
    expect((await http(`${url}/`)).status).toBe(401);
    const sent = await http(`${url}/email-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
      body: `email=demo%40example.org&forward=${encodeURIComponent(`${url}/`)}`,
    });
    expect(sent.status).toBe(303);
    const pending = (sent.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const link = (await waitFor(/^Login link for demo@example.org: /)).split(': ')[1]!;
    const opened = await http(link, { headers: { cookie: pending } });
    expect(opened.status).toBe(303);
    const session = (opened.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('forgetpw='))!
      .split(';')[0]!;
    const who = await http(`${url}/cgi/whoami.cgi`, { headers: { cookie: session } });
    expect(who.body).toContain('REMOTE_USER=demo@example.org');
  });
});
