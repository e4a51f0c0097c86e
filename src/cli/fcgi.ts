import { spawn } from 'node:child_process';
import cluster from 'node:cluster';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { AppError, isAppError, type AppErrorCode } from '../errors/app-error.js';
import { startDaemon, type Daemon } from '../app/start-daemon.js';
import { isWorkerCommand, superviseWorkers, type WorkerPool } from '../app/supervise-workers.js';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../log/create-logger.js';
import type { CliIo } from './cli-io.js';
import type { Logger } from 'pino';
import { readConfig, type LoadedConfig } from './read-config.js';

interface FcgiOptions {
  listen?: string;
  port?: string;
  detach?: boolean;
  pid?: string;
  workers?: string;
}

const DETACHED = 'FORGETPW_DETACHED_CHILD';

/** What a detached daemon tells the process that started it, over IPC. */
interface StartReport {
  readonly ready?: string;
  readonly error?: string;
  readonly code?: AppErrorCode;
  readonly details?: readonly string[];
}
/** SIGTERM waits this long for in-flight requests before giving up. */
const SHUTDOWN_GRACE_MS = 20_000;

/** `forgetpw fcgi [-l HOST] [-p PORT] [-z] [-P PIDFILE]`: runs the daemon until SIGTERM. */
export function fcgiCommand(io: CliIo): Command {
  return new Command('fcgi')
    .description('run the FastCGI authorizer daemon')
    .option('-l, --listen <host>', 'address to listen on (overrides `host`)')
    .option('-p, --port <port>', 'port to listen on (overrides `port`)')
    .option('-z, --detach', 'detach from the terminal and run in the background')
    .option('-P, --pid <file>', 'write the process id to this file (overrides `pid`)')
    .option('-w, --workers <n>', 'processes serving the port (overrides `workers`)')
    .action(async (options: FcgiOptions, command: Command) => {
      const overrides: Record<string, unknown> = {};
      if (options.workers !== undefined) overrides.workers = options.workers;
      if (options.listen !== undefined) overrides.host = options.listen;
      if (options.port !== undefined) overrides.port = options.port;
      if (options.pid !== undefined) overrides.pid = path.resolve(io.cwd, options.pid);
      const loaded = readConfig(command, io, { overrides });
      if (options.detach === true) return detach(io);
      await runDaemon(loaded, io, { overrides });
    });
}

/** Starts the same command again without -z in a new session and returns once it listens. */
export async function detach(io: CliIo): Promise<void> {
  const args = process.argv.slice(1).filter((a) => a !== '-z' && a !== '--detach');
  const child = spawn(process.execPath, [...process.execArgv, ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...io.env, [DETACHED]: '1' },
    cwd: io.cwd,
  });
  const message = await new Promise<StartReport>((resolve) => {
    child.once('message', (m) => resolve(m as StartReport));
    child.once('exit', (code) => resolve({ error: `the daemon exited with code ${code ?? 'unknown'}` }));
  });
  child.disconnect();
  child.unref();
  if (message.error !== undefined) {
    // The same code (and so exit status) as the failure would have in the foreground.
    throw new AppError(message.code ?? 'INTERNAL', `could not start the daemon: ${message.error}`, {
      details: message.details ?? [],
    });
  }
  io.out(`${message.ready ?? ''} (pid ${child.pid ?? '?'})`);
}

/**
 * Runs until SIGTERM/SIGINT. SIGHUP re-reads the config file (with the same
 * command-line `overrides`) and hands it to the daemon; a config that does not
 * load is logged, problem by problem, and the daemon goes on as it was.
 */
export async function runDaemon(
  loaded: LoadedConfig,
  io: CliIo,
  options: { overrides?: Record<string, unknown>; fcgi?: boolean } = {},
): Promise<void> {
  const { config } = loaded;
  const root = createLogger(config.log.level);
  if (cluster.isPrimary && config.workers > 1) return runSupervisor(loaded, io, root);
  // A cluster worker reports to its supervisor, which alone prints, announces and keeps the pid file.
  const worker = cluster.isWorker;
  const log = worker ? root.child({ worker: Number(io.env['FORGETPW_WORKER'] ?? 0) }) : root;
  const report = async (m: StartReport): Promise<void> => {
    if (process.send === undefined || !(worker || io.env[DETACHED] === '1')) return;
    // Awaited: the process exits right after a failed start, and must not lose the message.
    await new Promise<void>((resolve) => process.send?.(m, undefined, {}, () => resolve()));
  };
  // Listening before anything is announced: a signal sent as soon as the daemon says it
  // runs (a supervisor, a test) must find the handlers, not node's default (death).
  const stop = stopSignal();
  let daemon: Daemon;
  try {
    daemon = await startDaemon(config, { configDir: loaded.dir, log, fcgi: options.fcgi ?? true });
    if (config.pid !== undefined && !worker) await writePid(config.pid, daemon);
  } catch (error) {
    stop.dispose();
    await report(
      isAppError(error)
        ? { error: error.message, code: error.code, details: error.details }
        : { error: errorText(error) },
    );
    throw error;
  }
  const reloadNow = async (): Promise<void> => {
    log.info({ event: 'reloading', signal: 'SIGHUP' }, `re-reading ${loaded.file}`);
    try {
      await daemon.reload(loadConfig(loaded.file, { env: io.env, overrides: options.overrides ?? {} }));
    } catch (error) {
      // An AppError is an expected refusal (its message says it all); anything else is a bug.
      const known = isAppError(error);
      const problems = known ? error.details : [];
      log.error(
        { event: 'reload-failed', problems, ...(known ? { code: error.code } : { err: error }) },
        `reload failed, still running with the previous settings: ${errorText(error)}` +
          problems.map((line) => `\n  ${line}`).join(''),
      );
    }
  };
  // The stylesheet of transform_on: server is read again asynchronously; its failure is logged above.
  const reload = (): void => void reloadNow();
  process.on('SIGHUP', reload);
  const onCommand = (message: unknown): void => {
    if (!isWorkerCommand(message)) return;
    if (message.forgetpw === 'reload') reload();
    else stop.request('stop');
  };
  if (worker) process.on('message', onCommand);

  const urls = [
    ...(options.fcgi === false ? [] : [`fcgi://${daemon.host}:${daemon.port}/`]),
    ...(daemon.http === undefined ? [] : [`http://${daemon.http.host}:${daemon.http.port}/`]),
  ];
  const where = `Running authenticator daemon on ${urls.join(' and ')}`;
  if (!worker) io.out(where);
  log.info(
    {
      event: worker ? 'worker-listening' : 'listening',
      host: daemon.host,
      port: daemon.port,
      http: daemon.http,
    },
    where,
  );
  await report({ ready: where });
  if (process.connected && !worker) process.disconnect();

  const signal = await stop.received;
  log.info({ event: 'stopping', signal }, 'finishing in-flight requests');
  const closed = daemon
    .close()
    .catch((error: unknown) => log.error({ event: 'shutdown-failed', err: error }, 'shutdown failed'));
  await Promise.race([
    closed,
    sleep(SHUTDOWN_GRACE_MS, undefined, { ref: false }).then(() =>
      log.error({ event: 'shutdown-timeout' }, 'in-flight requests did not finish in time'),
    ),
  ]);
  stop.dispose();
  process.off('SIGHUP', reload);
  process.off('message', onCommand);
  if (config.pid !== undefined && !worker) await rm(config.pid, { force: true });
}

/**
 * `workers: N`: this process forks N copies of the same command (cluster workers, which
 * take the branch above), keeps the pid file, prints the ready line once, passes SIGHUP on
 * and, on SIGTERM/SIGINT, lets every worker finish its in-flight requests.
 */
async function runSupervisor(loaded: LoadedConfig, io: CliIo, log: Logger): Promise<void> {
  const { config } = loaded;
  const report = (m: StartReport): void => {
    if (process.send !== undefined && io.env[DETACHED] === '1') process.send(m);
  };
  const stop = stopSignal();
  const supervisorLog = log.child({ component: 'supervisor' });
  let pool: WorkerPool;
  try {
    pool = await superviseWorkers(config.workers, supervisorLog);
    if (config.pid !== undefined) await writePid(config.pid, pool);
  } catch (error) {
    stop.dispose();
    report(
      isAppError(error)
        ? { error: error.message, code: error.code, details: error.details }
        : { error: errorText(error) },
    );
    throw error;
  }
  const reload = (): void => {
    log.info({ event: 'reloading', signal: 'SIGHUP', workers: pool.pids() }, 'passing SIGHUP to the workers');
    pool.reload();
  };
  process.on('SIGHUP', reload);
  const where = `${pool.ready} with ${config.workers} workers`;
  io.out(where);
  log.info({ event: 'listening', host: config.host, port: config.port, workers: pool.pids() }, where);
  report({ ready: where });
  if (process.connected) process.disconnect();

  const signal = await stop.received;
  log.info({ event: 'stopping', signal }, 'stopping the workers');
  await pool.stop(SHUTDOWN_GRACE_MS + 5_000);
  stop.dispose();
  process.off('SIGHUP', reload);
  if (config.pid !== undefined) await rm(config.pid, { force: true });
  log.info({ event: 'stopped' }, 'all workers stopped');
}

/**
 * The first SIGTERM or SIGINT. Only the first is caught: a second one (Ctrl-C
 * again) finds node's default handler and ends the process at once.
 */
function stopSignal(): {
  received: Promise<NodeJS.Signals | 'stop'>;
  /** The supervisor's `stop` command: the same as a signal. */
  request(reason: 'stop'): void;
  dispose(): void;
} {
  let handler: (signal: NodeJS.Signals | 'stop') => void = () => undefined;
  const received = new Promise<NodeJS.Signals | 'stop'>((resolve) => {
    handler = (signal) => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      resolve(signal);
    };
  });
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return {
    received,
    request: (reason) => handler(reason),
    dispose: () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    },
  };
}

async function writePid(
  file: string,
  daemon: { close(): Promise<void> } | { stop(graceMs: number): Promise<void> },
): Promise<void> {
  try {
    await writeFile(file, `${process.pid}\n`);
  } catch (error) {
    await ('close' in daemon ? daemon.close() : daemon.stop(5_000));
    throw new AppError('INTERNAL', `cannot write the pid file ${file}: ${errorText(error)}`, {
      cause: error,
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
