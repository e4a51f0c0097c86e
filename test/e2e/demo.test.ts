import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { http } from '../support/apache.js';
import { freePort } from '../support/free-port.js';

const MAIN = path.resolve(import.meta.dirname, '../../dist/src/main.js');
const BINARY = {
  apache: '/usr/sbin/apache2',
  nginx: '/usr/sbin/nginx',
  caddy: '/usr/bin/caddy',
  lighttpd: '/usr/sbin/lighttpd',
} as const;

describe.each(['apache', 'nginx', 'caddy', 'lighttpd'] as const)('forgetpw demo --server %s', (server) => {
  // With CI=true a missing server fails this test rather than skipping it (.ci/run installs it).
  const present = existsSync(BINARY[server]) || process.env.CI === 'true';
  const maybe = present ? it : it.skip;
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  maybe(
    'serves the login page, and the printed link logs the demo address in',
    { timeout: 30_000 },
    async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'fp-demo-'));
      const [sitePort, fcgiPort] = [await freePort(), await freePort()];
      // The quick-start defaults, but on a free FastCGI port so the test never meets a running daemon.
      await writeFile(
        path.join(dir, 'forgetpw.yml'),
        `port: ${fcgiPort}\nstate: {dsn: 'sqlite://forgetpw.sqlite'}\nemail: {from: forgetpw@localhost, method: file, options: {path: mail}}\n`,
      );
      const args = [
        MAIN,
        'demo',
        '--port',
        String(sitePort),
        ...(server === 'apache' ? [] : ['--server', server]),
      ];
      child = spawn(process.execPath, args, { cwd: dir });
      const lines: string[] = [];
      child.stdout!.on('data', (b: Buffer) => lines.push(...b.toString().split('\n')));
      child.stderr!.on('data', (b: Buffer) => lines.push(...b.toString().split('\n')));
      const waitFor = async (re: RegExp): Promise<string> => {
        for (let i = 0; i < 300; i++) {
          const hit = lines.find((l) => re.test(l));
          if (hit !== undefined) return hit;
          if (child!.exitCode !== null) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`not printed: ${re}\n${lines.join('\n')}`);
      };
      expect(await waitFor(/^Open http/)).toBe(
        `Open http://127.0.0.1:${sitePort}/ and log in as demo@example.org.`,
      );
      expect(lines).toContain(`Served by ${server}. Stop with Ctrl-C.`);

      const site = `http://127.0.0.1:${sitePort}`;
      const login = await http(`${site}/`, { headers: { accept: 'text/html' } });
      expect(login.status).toBe(401);
      expect(login.body).toContain('action="/email-link"');
      const sent = await http(`${site}/email-link`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site },
        body: `email=demo%40example.org&forward=${encodeURIComponent(`${site}/`)}`,
      });
      expect(sent.status).toBe(303);
      const pending = (sent.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      const link = (await waitFor(/^Login link for demo@example.org: /)).split(': ')[1]!;
      expect(await waitFor(/^One-time code for demo@example.org: /)).toMatch(
        /: [2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/,
      );
      expect(link.startsWith(`${site}/`)).toBe(true);
      const opened = await http(link, { headers: { cookie: pending } });
      // The link opens the login target, which answers 303 through every server.
      expect(opened.status).toBe(303);
      const session = (opened.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith('forgetpw='))!
        .split(';')[0]!;
      const page = await http(`${site}/`, { headers: { cookie: session } });
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>You are in</h1>');
      if (server !== 'lighttpd') {
        const who = await http(`${site}/cgi/whoami.cgi`, { headers: { cookie: session } });
        expect(who.body).toContain('REMOTE_USER=demo@example.org');
      }
      if (server === 'apache') {
        // Protected content is revalidated, so "Back" after logout cannot show it from the cache.
        const who = await http(`${site}/cgi/whoami.cgi`, { headers: { cookie: session } });
        expect(who.headers['cache-control']).toBe('private, no-cache');
      }
      {
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
        // Logging out ends on a page that names the demo's site, whichever server serves it.
        expect(after.body).toContain('<title>You Are Logged Out · 127.0.0.1</title>');
      }
    },
  );
});
