import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import { startDaemon, type Daemon } from '../../src/app/start-daemon.js';
import type { Config, LogLevel } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Clock } from '../../src/tokens/clock.js';
import type { Random } from '../../src/tokens/random.js';
import { createLogger } from '../../src/log/create-logger.js';
import { migrateLatest } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open-store.js';
import { freePort } from './free-port.js';

export interface TestDaemon {
  readonly daemon: Daemon;
  readonly config: Config;
  readonly port: number;
  /** Stops the daemon and removes its temp folder. */
  close(): Promise<void>;
}

/**
 * The real daemon in this process, on a free port, over the given database,
 * sending mail by SMTP to `smtpPort` (the test's sink). `settings` are
 * forgetpw.yml settings layered over these. The log is the production logger
 * (with its redaction) writing to `logStream` when given.
 */
export async function startTestDaemon(p: {
  dsn: string;
  smtpPort: number;
  settings?: Record<string, unknown>;
  clock?: Clock;
  random?: Random;
  logLevel?: LogLevel;
  logStream?: DestinationStream;
}): Promise<TestDaemon> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fp-daemon-'));
  const port = await freePort();
  const base = {
    host: '127.0.0.1',
    port,
    state: { dsn: p.dsn },
    email: {
      from: 'robot@example.org',
      method: 'smtp',
      options: { host: '127.0.0.1', port: p.smtpPort, secure: false, ignoreTLS: true },
    },
    log: { level: p.logLevel ?? 'silent' },
  };
  const config = loadConfig(path.join(dir, 'forgetpw.yml'), {
    env: {},
    allowMissing: true,
    base: deepMerge(base, p.settings ?? {}),
  });
  const store = await openStore(config.state, { baseDir: dir });
  await migrateLatest(store.knex);
  await store.close();
  const log = createLogger(config.log.level, p.logStream);
  const daemon = await startDaemon(config, {
    configDir: dir,
    log,
    ...(p.clock === undefined ? {} : { clock: p.clock }),
    ...(p.random === undefined ? {} : { random: p.random }),
  }).catch(async (error: unknown) => {
    // A daemon that refuses to start (a test of the refusal) leaves no folder behind either.
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const close = async (): Promise<void> => {
    await daemon.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { daemon, config, port: daemon.port, close };
}

export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
