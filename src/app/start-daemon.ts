import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { createFcgiServer } from '../fastcgi/server.js';
import type { FlowDeps } from '../flows/flow-deps.js';
import type { Clock, Mailer, Random } from '../flows/ports.js';
import { createMailer } from '../mail/create-mailer.js';
import { assertMigrated } from '../store/migrate.js';
import { openStore, type StoreHandle } from '../store/open-store.js';
import { createPages } from '../templates/create-pages.js';
import { systemClock } from '../tokens/system-clock.js';
import { systemRandom } from '../tokens/system-random.js';
import { createRequestHandler } from './handle-request.js';

export interface Daemon {
  readonly host: string;
  readonly port: number;
  readonly store: StoreHandle;
  /** Stops accepting, finishes in-flight requests, closes the database and the mail transport. */
  close(): Promise<void>;
}

export interface DaemonOptions {
  /** Folder relative paths in the config (e.g. a sqlite DSN) resolve against. */
  readonly configDir: string;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Replaces the configured transport (tests). */
  readonly mailer?: Mailer;
}

/**
 * Wiring: config -> templates -> store -> mail -> flows -> FastCGI server.
 * Everything that can be wrong (templates, database, migrations) fails here,
 * before listen(), not on the first request.
 */
export async function startDaemon(config: Config, options: DaemonOptions): Promise<Daemon> {
  const { log } = options;
  const pages = createPages({
    path: config.templates.path,
    mapping: config.templates.mapping,
    transform: config.templates.transform,
    base: config.templates.base,
    log: log.child({ component: 'templates' }),
  });
  const store = await openStore(config.state, {
    baseDir: options.configDir,
    log: log.child({ component: 'store' }),
  });
  try {
    await assertMigrated(store.knex);
  } catch (error) {
    await store.close();
    throw error;
  }
  const mailer = options.mailer ?? createMailer(config.email, { log: log.child({ component: 'mail' }) });
  const deferred = new Set<Promise<void>>();
  const flowLog = log.child({ component: 'flows' });
  const deps: FlowDeps = {
    config,
    store,
    mailer,
    pages,
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    log: flowLog,
    defer: (work) => {
      const task = work()
        .catch((error: unknown) => flowLog.error({ event: 'deferred-failed', err: error }, 'background work failed'))
        .finally(() => deferred.delete(task));
      deferred.add(task);
    },
  };
  const server = createFcgiServer(createRequestHandler(deps), { log: log.child({ component: 'fastcgi' }) });
  let address: { host: string; port: number };
  try {
    address = await server.listen(config.port, config.host);
  } catch (error) {
    await store.close();
    mailer.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    ...address,
    store,
    close: () => {
      closing ??= (async () => {
        await server.close();
        await Promise.all(deferred);
        await store.close();
        mailer.close();
        log.info({ event: 'stopped' }, 'daemon stopped');
      })();
      return closing;
    },
  };
}
