import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { npmCacheWithPrebuild } from '../support/npm-cache.js';
import { sectionCommands } from '../support/readme-commands.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/**
 * Commands that keep running: what they print once they serve, and what a person would then
 * check (the README's "Open http://127.0.0.1:8080/ and log in" done over HTTP). Every other
 * command must exit 0.
 */
const SERVERS: Record<string, { ready: RegExp; check?: (ns: number, out: () => string) => Promise<void> }> = {
  'npm install && npm start': { ready: /Running authenticator daemon on fcgi:\/\/127\.0\.0\.1:10101\// },
  'npm run demo': { ready: /^Open http:\/\/127\.0\.0\.1:8080\//m, check: logInAsDemo },
};

describe('README quick start', () => {
  const running: ChildProcess[] = [];
  let dir: string | undefined;
  afterAll(async () => {
    for (const child of running) await stopGroup(child);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('works as written in a fresh clone', { timeout: 300_000 }, async () => {
    const readme = await readFile(path.join(repo, 'README.md'), 'utf8');
    const commands = sectionCommands(readme, 'Quick start');
    expect(commands).toEqual(['npm install && npm start', 'npm run demo']);

    dir = await mkdtemp(path.join(tmpdir(), 'fp-quickstart-'));
    const clone = path.join(dir, 'clone');
    await freshClone(clone);
    // Only npm's cache is pointed elsewhere: a fresh install would otherwise compile better-sqlite3.
    const env = { ...process.env, ...(await npmCacheWithPrebuild(path.join(dir, 'cache'))) };
    delete env['FORGETPW_LOG_LEVEL'];
    // The commands take the documented ports (10101, 8080): they run in a network namespace of
    // their own, so nothing else on the machine is in the way. It has no network, so a warm-up
    // `npm install` on the host first fills npm's cache with the registry's metadata; the
    // README's own `npm install` then runs as written, offline.
    await run('npm', ['install'], { cwd: clone, env, maxBuffer: 16 * 1024 * 1024 });
    await rm(path.join(clone, 'node_modules'), { recursive: true, force: true });
    await rm(path.join(clone, 'dist'), { recursive: true, force: true });
    const holder = spawn('unshare', ['--net', 'sh', '-c', 'ip link set lo up && exec sleep 600'], {
      detached: true,
      stdio: 'ignore',
    });
    running.push(holder);
    const ns = holder.pid!;
    await new Promise((r) => setTimeout(r, 300));
    expect(holder.exitCode, 'unshare --net (root or user namespaces) is needed').toBeNull();
    env['npm_config_offline'] = 'true';

    for (const command of commands) {
      const server = SERVERS[command];
      const child = spawn('nsenter', [`--net=/proc/${ns}/ns/net`, 'sh', '-c', command], {
        cwd: clone,
        env,
        detached: true,
      });
      running.push(child);
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      const exited = new Promise<string>((resolve) =>
        child.once('exit', (code, signal) => resolve(String(code ?? signal))),
      );
      if (server === undefined) {
        expect(await exited, `${command}\n${out}`).toBe('0');
        continue;
      }
      for (let i = 0; !server.ready.test(out); i++) {
        if (child.exitCode !== null || i > 4000) throw new Error(`${command} did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await server.check?.(ns, () => out);
      // Ctrl-C, as the README says.
      await stopGroup(child);
    }
    expect(await readFile(path.join(clone, 'forgetpw.yml'), 'utf8')).toContain('sqlite://forgetpw.sqlite');
  });
});

/** The tracked (and not ignored) files of this checkout, as `git clone` would give them. */
async function freshClone(dest: string): Promise<void> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const file of stdout.split('\0')) {
    if (file === '' || file === 'node_modules' || file.startsWith('node_modules/')) continue;
    await mkdir(path.dirname(path.join(dest, file)), { recursive: true });
    await cp(path.join(repo, file), path.join(dest, file), { verbatimSymlinks: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error; // deleted but not yet committed
      },
    );
  }
}

/** `curl -si` from inside the namespace: the status and the raw response. */
async function curlIn(ns: number, args: string[]): Promise<{ status: number; raw: string }> {
  const { stdout } = await run('nsenter', [`--net=/proc/${ns}/ns/net`, 'curl', '-si', ...args]);
  return { status: Number(/^HTTP\/[\d.]+ (\d+)/.exec(stdout)?.[1]), raw: stdout };
}

function cookies(raw: string): string {
  return [...raw.matchAll(/^set-cookie: ([^;\r\n]+)/gim)].map((m) => m[1]!).join('; ');
}

async function logInAsDemo(ns: number, out: () => string): Promise<void> {
  const site = 'http://127.0.0.1:8080';
  expect((await curlIn(ns, [`${site}/`])).status).toBe(401);
  const sent = await curlIn(ns, [
    '-H',
    `Origin: ${site}`,
    '--data-urlencode',
    'email=demo@example.org',
    '--data-urlencode',
    `forward=${site}/`,
    `${site}/email-link`,
  ]);
  expect(sent.status).toBe(303);
  let link: string | undefined;
  for (let i = 0; i < 100 && link === undefined; i++) {
    link = /Login link for demo@example\.org: (\S+)/.exec(out())?.[1];
    if (link === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  expect(link, out()).toBeDefined();
  const opened = await curlIn(ns, ['-H', `Cookie: ${cookies(sent.raw)}`, link!]);
  expect(opened.status).toBe(303);
  const session = cookies(opened.raw)
    .split('; ')
    .find((c) => c.startsWith('forgetpw='))!;
  const who = await curlIn(ns, ['-H', `Cookie: ${session}`, `${site}/cgi/whoami.cgi`]);
  expect(who.raw).toContain('REMOTE_USER=demo@example.org');
}

/** SIGINT to the whole process group (a terminal's Ctrl-C), then waits until all of it is gone. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const group = child.pid;
  if (group === undefined) return;
  const alive = (): boolean => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(-group, 'SIGINT');
  for (let i = 0; i < 200 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive()) process.kill(-group, 'SIGKILL');
}
