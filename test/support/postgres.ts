/**
 * A throwaway PostgreSQL cluster for tests (TESTING.md "A throwaway PostgreSQL"):
 * initdb into a temp folder owned by `postgres` (initdb refuses root), a free port on
 * 127.0.0.1, fsync off. `stop()`/`start()` take the server away and bring it back on
 * the same port, for the "database went away" tests.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostgresCluster {
  readonly port: number;
  /** Superuser URL of the `postgres` database: create and drop databases through it. */
  readonly adminUrl: string;
  readonly dir: string;
  /** Takes the server away; `fast` ends sessions cleanly, `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Brings it back on the same port. */
  start(): Promise<void>;
  /** Stops it (immediate) and removes its folder. */
  destroy(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

export async function startPostgres(): Promise<PostgresCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'forgetpw-pg-'));
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  const logFile = path.join(sock, 'pg.log');
  const ctl = (args: string[]) => pg('pg_ctl', ['-D', data, ...args], logFile);
  const startOn = (port: number) =>
    ctl(['-l', logFile, '-w', '-t', '60', '-o', serverOptions(port, sock), 'start']);

  let port: number;
  try {
    await mkdir(data);
    await mkdir(sock);
    if (asRoot) await chownAll([dir, data, sock], await postgresIds());
    const initdb = ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions'];
    await pg('initdb', [...initdb, '-E', 'UTF8', '--locale=C'], logFile);
    port = await startOnFreePort(startOn);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  let running = true;
  // If the run dies without teardown, do not leave a server behind.
  const stopSync = () => {
    if (!running) return;
    try {
      execFileSync(...command('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
    } catch {
      // Nothing more can be done while the process exits.
    }
  };
  process.on('exit', stopSync);

  return {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    async stop(mode = 'fast') {
      await ctl(['-m', mode, '-w', 'stop']);
      running = false;
    },
    async start() {
      await startOn(port);
      running = true;
    },
    async destroy() {
      process.off('exit', stopSync);
      if (running) await ctl(['-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function startOnFreePort(startOn: (port: number) => Promise<void>): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      await startOn(port);
      return port;
    } catch (error) {
      // Another process may have taken the port between probing and binding.
      if (attempt >= 3) throw error;
    }
  }
}

function serverOptions(port: number, sock: string): string {
  return [
    `-p ${port}`,
    `-k ${sock}`,
    '-c listen_addresses=127.0.0.1',
    // fsync off is safe for a throwaway cluster: a commit still reaches the OS, so an
    // immediate stop (a crash) loses nothing. synchronous_commit stays on for that reason.
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
}

/** Runs a PostgreSQL binary (as `postgres` when we are root); a failure carries the log's tail. */
async function pg(binary: string, args: string[], logFile: string): Promise<void> {
  try {
    await run(...command(binary, args), { timeout: 90_000 });
  } catch (error) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    const tail = log.trim().split('\n').slice(-20).join('\n');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${binary} failed: ${message.trim()}${tail === '' ? '' : `\n${tail}`}`, { cause: error });
  }
}

function command(binary: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').find((line) => line.startsWith('postgres:'));
  const [, , uid, gid] = entry?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('running as root, but there is no `postgres` user to run initdb as');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

async function chownAll(targets: readonly string[], ids: { uid: number; gid: number }): Promise<void> {
  for (const target of targets) await chown(target, ids.uid, ids.gid);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
