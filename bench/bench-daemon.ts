/**
 * The daemon as production runs it: `node dist/src/main.js fcgi -c forgetpw.yml` in a
 * child process of its own, so its RSS and CPU profile are its own.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { freePort } from '../test/support/free-port.js';

export interface BenchDaemon {
  readonly name: string;
  readonly port: number;
  /** The HTTP forward-auth listener's port, when it serves one. */
  readonly httpPort?: number;
  readonly pid: number;
  /** Resident set size in MB, from /proc: all, its anonymous part (heap; the rest is mostly the node binary), peak. */
  memory(): Promise<DaemonMemory>;
  /** Everything it has printed so far, stdout and stderr (e.g. node's `--trace-gc` lines). */
  output(): string;
  /** SIGTERM and wait (the CPU profile, if any, is written on the way out). */
  stop(): Promise<void>;
}

export interface DaemonMemory {
  readonly rssMb: number;
  readonly anonMb: number;
  readonly peakMb: number;
}

export interface BenchDaemonOptions {
  readonly name: string;
  /** Folder for the config (and the profile). */
  readonly dir: string;
  readonly dsn: string;
  /** `cache.ttl` in seconds; 0 turns the session cache off. */
  readonly cacheTtl: number;
  /** Write a V8 CPU profile into this folder. */
  readonly profileDir?: string;
  /** Flags for node's own command line, e.g. `--trace-gc` (V8 flags NODE_OPTIONS does not take). */
  readonly nodeFlags?: readonly string[];
  /** NODE_OPTIONS for the daemon, e.g. `--max-semi-space-size=4` (V8's young generation bounds RSS). */
  readonly nodeOptions?: string;
  /** Serve the HTTP forward-auth listener too (`http.listen`), for nginx. */
  readonly http?: boolean;
  /** `workers: N` (issue 18): N processes on the one port. */
  readonly workers?: number;
}

const repo = path.resolve(import.meta.dirname, '..');

export async function startBenchDaemon(o: BenchDaemonOptions): Promise<BenchDaemon> {
  const port = await freePort();
  const httpPort = o.http === true ? await freePort() : undefined;
  const configFile = path.join(o.dir, `${o.name}.yml`);
  const config = {
    host: '127.0.0.1',
    port,
    state: { dsn: o.dsn },
    email: { from: 'bench@example.org', method: 'file', options: { path: path.join(o.dir, 'mail') } },
    cache: { ttl: o.cacheTtl },
    ...(o.workers === undefined ? {} : { workers: o.workers }),
    log: { level: 'warn' },
    ...(httpPort === undefined ? {} : { http: { listen: `127.0.0.1:${String(httpPort)}` } }),
  };
  await writeFile(configFile, stringify(config));
  const flags = [
    ...(o.nodeFlags ?? []),
    ...(o.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`]),
  ];
  const daemon = await spawnBenchProcess({
    name: o.name,
    port,
    command: process.execPath,
    args: [...flags, path.join(repo, 'dist/src/main.js'), '-c', configFile, 'fcgi'],
    ready: 'Running authenticator daemon',
    env: o.nodeOptions === undefined ? process.env : { ...process.env, NODE_OPTIONS: o.nodeOptions },
  });
  return httpPort === undefined ? daemon : { ...daemon, httpPort };
}

export interface BenchProcessOptions {
  readonly name: string;
  /** The FastCGI port it listens on. */
  readonly port: number;
  readonly command: string;
  readonly args: readonly string[];
  /** Text it prints once it listens. */
  readonly ready: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Starts a FastCGI authorizer process and waits until it says it listens (20 s at most). */
export async function spawnBenchProcess(o: BenchProcessOptions): Promise<BenchDaemon> {
  const child = spawn(o.command, o.args, { stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env });
  const said: string[] = [];
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      said.push(chunk.toString('utf8'));
      if (said.join('').includes(o.ready)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => said.push(chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`${o.name} exited (${String(code)}):\n${said.join('')}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([
    listening,
    sleep(20_000).then(() => Promise.reject(new Error(`${o.name} did not start:\n${said.join('')}`))),
  ]);
  const pid = child.pid ?? 0;
  return {
    name: o.name,
    port: o.port,
    pid,
    output: () => said.join(''),
    async memory() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = (field: string): number =>
        Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      return { rssMb: kb('VmRSS') / 1024, anonMb: kb('RssAnon') / 1024, peakMb: kb('VmHWM') / 1024 };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
