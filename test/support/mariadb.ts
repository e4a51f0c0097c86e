/**
 * A throwaway MariaDB for tests (TESTING.md "A throwaway MariaDB"): mariadb-install-db into a
 * temp folder owned by `mysql`, the server as an ordinary child process on a free port of
 * 127.0.0.1, no durability (a throwaway). `stop()`/`start()` take the server away and bring it
 * back on the same port, for the "database went away" tests.
 *
 * The tests connect as an ordinary user, `forgetpw`, holding only the privileges the README
 * lists, on every database named `fp_...`: so the suites prove those privileges are enough.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** The privileges README "MariaDB and MySQL" asks for; the tests hold no others. */
export const APP_PRIVILEGES = 'SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES';
export const APP_USER = 'forgetpw';
export const APP_PASSWORD = 'test-password';

export interface MariadbServer {
  readonly port: number;
  /** root over TCP: create and drop databases through it. */
  readonly adminUrl: string;
  /** `mysql://forgetpw:...@127.0.0.1:PORT/` plus a database name: the app's user. */
  readonly appUrl: string;
  readonly dir: string;
  /** Takes the server away: `fast` is a shutdown (SIGTERM), `immediate` a crash (SIGKILL). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Brings it back on the same port. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

export async function startMariadb(): Promise<MariadbServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'forgetpw-mariadb-'));
  const data = path.join(dir, 'data');
  const runDir = path.join(dir, 'run');
  const errorLog = path.join(runDir, 'err.log');
  let child: ChildProcess | undefined;
  let port = 0;
  const ids = asRoot ? await mysqlIds() : undefined;

  const launch = async (): Promise<void> => {
    const args = serverArgs({ data, runDir, errorLog, port });
    // As `mysql` itself (not through runuser), so a signal to the child reaches the server.
    const started = spawn('mariadbd', args, { stdio: 'ignore', ...(ids ?? {}) });
    child = started;
    let exited = false;
    started.once('exit', () => {
      exited = true;
    });
    for (let waited = 0; waited < 60_000; waited += 100) {
      if (exited) throw new Error(`mariadbd exited at start:\n${await tail(errorLog)}`);
      if (await answers(port)) return;
      await sleep(100);
    }
    started.kill('SIGKILL');
    throw new Error(`mariadbd did not answer within 60 s:\n${await tail(errorLog)}`);
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  // If the run dies without teardown, do not leave a server behind.
  const killSync = () => child?.kill('SIGKILL');
  process.on('exit', killSync);

  try {
    await mkdir(data);
    await mkdir(runDir);
    if (ids !== undefined) await chownAll([dir, data, runDir], ids);
    await run(
      'mariadb-install-db',
      [
        ...(asRoot ? ['--user=mysql'] : []),
        '--no-defaults',
        `--datadir=${data}`,
        // Its own temp folder: the test run's TMPDIR belongs to root (private-temp-dir.ts).
        `--tmpdir=${runDir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
      ],
      { timeout: 120_000 },
    );
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await launch();
        break;
      } catch (error) {
        // Another process may have taken the port between probing and binding.
        if (attempt >= 3) throw error;
      }
    }
    await sql(
      port,
      `create user '${APP_USER}'@'127.0.0.1' identified by '${APP_PASSWORD}';` +
        `grant ${APP_PRIVILEGES} on \`fp\\_%\`.* to '${APP_USER}'@'127.0.0.1';`,
    );
  } catch (error) {
    await halt('SIGKILL');
    process.off('exit', killSync);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    port,
    adminUrl: `mysql://root@127.0.0.1:${port}/`,
    appUrl: `mysql://${APP_USER}:${APP_PASSWORD}@127.0.0.1:${port}/`,
    dir,
    stop: (mode = 'fast') => halt(mode === 'fast' ? 'SIGTERM' : 'SIGKILL'),
    start: launch,
    async destroy() {
      await halt('SIGKILL');
      process.off('exit', killSync);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function serverArgs(p: { data: string; runDir: string; errorLog: string; port: number }): string[] {
  return [
    '--no-defaults',
    `--datadir=${p.data}`,
    `--tmpdir=${p.runDir}`,
    `--socket=${path.join(p.runDir, 'sock')}`,
    `--pid-file=${path.join(p.runDir, 'pid')}`,
    `--log-error=${p.errorLog}`,
    `--port=${p.port}`,
    '--bind-address=127.0.0.1',
    '--skip-name-resolve',
    // The server's own default is latin1: the schema must not depend on it (migrations set utf8mb4).
    '--character-set-server=latin1',
    // A throwaway: small, and a commit need not reach the disk (a SIGKILL still loses nothing
    // the server acknowledged to a client that is still connected: the tests reconnect anyway).
    '--innodb-buffer-pool-size=32M',
    '--innodb-log-file-size=16M',
    '--innodb-flush-log-at-trx-commit=2',
    '--innodb-doublewrite=0',
    '--skip-log-bin',
    '--max-connections=300',
  ];
}

/** Whether root can run `select 1` over TCP yet. */
async function answers(port: number): Promise<boolean> {
  try {
    await sql(port, 'select 1');
    return true;
  } catch {
    return false;
  }
}

/** Runs statements as root through the `mariadb` client. */
export async function sql(port: number, statements: string): Promise<void> {
  await run(
    'mariadb',
    ['--no-defaults', '-h', '127.0.0.1', '-P', String(port), '-u', 'root', '-e', statements],
    {
      timeout: 30_000,
    },
  );
}

async function tail(file: string): Promise<string> {
  const log = await readFile(file, 'utf8').catch(() => '');
  return log.trim().split('\n').slice(-20).join('\n');
}

async function mysqlIds(): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').find((line) => line.startsWith('mysql:'));
  const [, , uid, gid] = entry?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('running as root, but there is no `mysql` user to run mariadbd as');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

async function chownAll(targets: readonly string[], ids: { uid: number; gid: number }): Promise<void> {
  for (const target of targets) await chown(target, ids.uid, ids.gid);
}
