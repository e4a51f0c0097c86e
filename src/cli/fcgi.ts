import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { AppError } from '../app/app-error.js';
import { startDaemon } from '../app/start-daemon.js';
import { createLogger } from '../log/create-logger.js';
import type { CliIo } from './cli-io.js';
import { readConfig } from './read-config.js';

interface FcgiOptions {
  listen?: string;
  port?: string;
  detach?: boolean;
  pid?: string;
}

const DETACHED = 'FORGETPW_DETACHED_CHILD';
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
    .action(async (options: FcgiOptions, command: Command) => {
      const overrides: Record<string, unknown> = {};
      if (options.listen !== undefined) overrides.host = options.listen;
      if (options.port !== undefined) overrides.port = options.port;
      if (options.pid !== undefined) overrides.pid = path.resolve(io.cwd, options.pid);
      const loaded = readConfig(command, io, { overrides });
      if (options.detach === true) return detach(io);
      await runDaemon(loaded, io);
    });
}

/** Starts the same command again without -z in a new session and returns once it listens. */
async function detach(io: CliIo): Promise<void> {
  const args = process.argv.slice(1).filter((a) => a !== '-z' && a !== '--detach');
  const child = spawn(process.execPath, [...process.execArgv, ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...io.env, [DETACHED]: '1' },
    cwd: io.cwd,
  });
  const message = await new Promise<{ ready?: string; error?: string }>((resolve) => {
    child.once('message', (m) => resolve(m as { ready?: string; error?: string }));
    child.once('exit', (code) => resolve({ error: `the daemon exited with code ${code ?? 'unknown'}` }));
  });
  child.disconnect();
  child.unref();
  if (message.error !== undefined)
    throw new AppError('INTERNAL', `could not start the daemon: ${message.error}`);
  io.out(`${message.ready ?? ''} (pid ${child.pid ?? '?'})`);
}

export async function runDaemon(loaded: ReturnType<typeof readConfig>, io: CliIo): Promise<void> {
  const { config } = loaded;
  const log = createLogger(config.log.level);
  const report = (m: object): void => {
    if (process.send !== undefined && io.env[DETACHED] === '1') process.send(m);
  };
  let daemon;
  try {
    daemon = await startDaemon(config, { configDir: loaded.dir, log });
  } catch (error) {
    report({ error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  if (config.pid !== undefined) await writeFile(config.pid, `${process.pid}\n`);
  const where = `Running authenticator daemon on fcgi://${daemon.host}:${daemon.port}/`;
  io.out(where);
  log.info({ event: 'listening', host: daemon.host, port: daemon.port }, where);
  report({ ready: where });
  if (process.connected) process.disconnect();

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      log.info({ event: 'stopping', signal }, 'finishing in-flight requests');
      setTimeout(() => {
        log.error({ event: 'shutdown-timeout' }, 'in-flight requests did not finish in time');
        resolve();
      }, SHUTDOWN_GRACE_MS).unref();
      daemon
        .close()
        .catch((error: unknown) => log.error({ event: 'shutdown-failed', err: error }, 'shutdown failed'))
        .finally(resolve);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  if (config.pid !== undefined) await rm(config.pid, { force: true });
}
