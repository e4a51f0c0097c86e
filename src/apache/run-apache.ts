import { execFile, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors/app-error.js';

export interface RunApacheParams {
  /** Folder for httpd.conf, logs/ and run/ (the config's ServerRoot). */
  readonly root: string;
  /** Full config text, e.g. from hermeticConfig(). */
  readonly config: string;
  /** The port the config listens on, 127.0.0.1. */
  readonly httpPort: number;
  /** Receives what Apache prints on stdout/stderr (start-up warnings, crashes). */
  readonly log?: (line: string) => void;
}

export interface RunningApache {
  readonly pid: number;
  /** SIGTERM, then waits until Apache and its children are gone. Safe to call twice. */
  stop(): Promise<void>;
  /** Every `*error.log` under root/logs (server and virtual hosts), oldest name first. */
  errorLog(): Promise<string>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Runs `apache2 -f root/httpd.conf -DFOREGROUND` as a child process (NOTES §2: the only way to
 * get a reliable stop is our own child plus SIGTERM plus wait; `-k stop` returns early).
 * The config is checked with `-t` first so a bad one fails with Apache's own words.
 */
export async function runApache(p: RunApacheParams): Promise<RunningApache> {
  const binary = await findApache();
  const confPath = join(p.root, 'httpd.conf');
  const pidPath = join(p.root, 'run', 'httpd.pid');
  await mkdir(join(p.root, 'logs'), { recursive: true });
  await mkdir(join(p.root, 'run'), { recursive: true });
  await writeFile(confPath, p.config);
  await checkConfig(binary, confPath);

  const child = spawn(binary, ['-f', confPath, '-DFOREGROUND'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      output.push(line);
      p.log?.(line);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawned = new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? 0));
    child.once('error', reject);
  });
  const pid = await spawned;

  const watchdog = watch(pid, confPath);

  const errorLog = (): Promise<string> => readErrorLogs(join(p.root, 'logs'));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timeout = sleep(STOP_TIMEOUT_MS, 'timeout' as const, { ref: false });
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
      }
      watchdog.end();
    })();
    return stopping;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let early: number | null | undefined;
  void exited.then((code) => (early = code));
  // Ready means our process bound the port (it writes the pid file after listening); a port
  // answering alone could be someone else's server while Apache fails with "in use".
  while (!((await pidFileNames(pidPath, pid)) && (await portAnswers(p.httpPort)))) {
    if (early !== undefined || Date.now() > deadline) {
      await stop();
      const why = early !== undefined ? `exited with code ${String(early)}` : 'did not answer within 10 s';
      const said = [...output, await errorLog()].join('\n').trim();
      throw new AppError('INTERNAL', `apache2 ${why} on port ${String(p.httpPort)}:\n${said}`);
    }
    await sleep(20);
  }
  return { pid, stop, errorLog };
}

/**
 * Apache must not outlive us, however we end (test runners kill their workers without an
 * 'exit' event). A shell holds the read end of a pipe only we write to: when we are gone it
 * reads EOF and sends SIGTERM, if that pid is still this Apache. Returns the write end.
 */
function watch(pid: number, confPath: string): { end(): void } {
  const script = 'cat >/dev/null; grep -qF "$2" "/proc/$1/cmdline" 2>/dev/null && kill -TERM "$1"';
  const shell = spawn('/bin/sh', ['-c', script, 'watchdog', String(pid), confPath], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  shell.unref();
  // child_process gives stdin as a net.Socket; unref it so the pipe alone keeps nothing running.
  (shell.stdin as unknown as Socket).unref();
  shell.stdin.on('error', () => undefined);
  return { end: () => shell.stdin.end() };
}

async function findApache(): Promise<string> {
  // /usr/sbin is often missing from PATH for non-root users.
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== ''), '/usr/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'apache2');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new AppError('INTERNAL', 'apache2 is not installed; install it: apt-get install -y apache2');
}

function checkConfig(binary: string, confPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, ['-f', confPath, '-t'], (error, stdout, stderr) => {
      if (error === null) {
        resolve();
        return;
      }
      const said = `${stdout}${stderr}`.trim();
      reject(new AppError('INTERNAL', `apache2 rejects ${confPath}:\n${said}`, { cause: error }));
    });
  });
}

async function pidFileNames(pidPath: string, pid: number): Promise<boolean> {
  try {
    return Number((await readFile(pidPath, 'utf8')).trim()) === pid;
  } catch {
    return false;
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function readErrorLogs(logs: string): Promise<string> {
  const names = (await readdir(logs).catch(() => [])).filter((n) => n.endsWith('error.log')).sort();
  const texts = await Promise.all(names.map((n) => readFile(join(logs, n), 'utf8')));
  return texts.join('');
}
