import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { netAddress } from '../config/net-address.js';
import { createFcgiServer } from '../fastcgi/server.js';
import { createHttpListener, type StaticPage } from '../forward-auth/http-listener.js';
import type { FlowDeps } from '../flows/flow-deps.js';
import { isKnownSite } from '../flows/known-site.js';
import { siteName } from '../flows/site-name.js';
import type { Clock } from '../tokens/clock.js';
import type { Mailer } from '../flows/mailer.js';
import type { Pages } from '../flows/pages.js';
import type { Random } from '../tokens/random.js';
import { createMailer } from '../mail/create-mailer.js';
import type { GateMetrics } from '../metrics/gate-metrics.js';
import { createReadinessCheck } from '../metrics/readiness-check.js';
import { startOpsListener, type OpsListener } from '../metrics/start-ops-listener.js';
import { assertMigrated, pendingMigrations } from '../store/migrate.js';
import { openStore, type StoreHandle } from '../store/open-store.js';
import { BASE_LANGUAGE, languageFolder } from '../templates/languages.js';
import { systemClock } from '../tokens/system-clock.js';
import { systemRandom } from '../tokens/system-random.js';
import { AppError } from '../errors/app-error.js';
import { assertSitesKnown } from './assert-sites-known.js';
import { createCachedStore } from './cached-store.js';
import { changedSettings } from './changed-settings.js';
import { loadPages } from './load-pages.js';
import { createGateHandler, createRequestHandler } from './handle-request.js';
import { packageRoot } from './package-root.js';
import { startMaintenance } from './start-maintenance.js';

export interface Daemon {
  /** The FastCGI listener's address (the HTTP listener's when FastCGI is off). */
  readonly host: string;
  readonly port: number;
  /** The HTTP forward-auth listener's address; undefined when `http.listen` is unset. */
  readonly http: { readonly host: string; readonly port: number } | undefined;
  readonly store: StoreHandle;
  /** Where /healthz, /readyz and /metrics are served; undefined when `metrics.listen` is unset. */
  readonly ops: { readonly host: string; readonly port: number } | undefined;
  /**
   * SIGHUP: swaps in the templates (and a server-side stylesheet, read again) and the log
   * level of `next` and names the changed settings that only a restart applies. Rejects
   * (and changes nothing) when the new templates or stylesheet cannot be loaded.
   */
  reload(next: Config): Promise<ReloadReport>;
  /** Stops accepting, finishes in-flight requests, closes the database and the mail transport. */
  close(): Promise<void>;
}

export interface ReloadReport {
  readonly reloaded: readonly string[];
  /** Key paths whose new values are ignored until a restart (values are never reported). */
  readonly restartNeeded: readonly string[];
}

export interface DaemonOptions {
  /** Folder relative paths in the config (e.g. a sqlite DSN) resolve against. */
  readonly configDir: string;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Replaces the configured transport (tests). */
  readonly mailer?: Mailer;
  /** When the purge of expired tokens and old rate-limit windows runs (default: after 1 min, then every 10). */
  readonly maintenance?: { readonly firstMs?: number; readonly everyMs?: number };
  /** Serve the FastCGI port (default); `forgetpw http` turns it off and serves `http.listen` only. */
  readonly fcgi?: boolean;
}

/**
 * Wiring: config -> templates -> store -> mail -> flows -> FastCGI server (and the
 * ops listener). Everything that can be wrong (templates, database, migrations,
 * ports) fails here, before the daemon answers, not on the first request.
 */
export async function startDaemon(config: Config, options: DaemonOptions): Promise<Daemon> {
  const { log } = options;
  const templatesLog = log.child({ component: 'templates' });
  let pages = await loadPages(config, templatesLog);
  // The flows hold this one Pages for good; SIGHUP changes what it delegates to.
  const livePages: Pages = {
    page: (state, vars, render) => pages.page(state, vars, render),
    serve: (state, vars, render) => pages.serve(state, vars, render),
    mail: (vars, documentRoot, state, where) => pages.mail(vars, documentRoot, state, where),
  };
  const store = await openStore(config.state, {
    baseDir: options.configDir,
    log: log.child({ component: 'store' }),
  });
  try {
    await assertMigrated(store.knex);
    await assertSitesKnown(config, store.acl);
  } catch (error) {
    await store.close();
    throw error;
  }
  // prom-client is loaded only when metrics are served (issue 5: the daemon's RSS).
  const metrics =
    config.metrics.listen === undefined
      ? undefined
      : (await import('../metrics/gate-metrics.js')).createGateMetrics();
  const transport = options.mailer ?? createMailer(config.email, { log: log.child({ component: 'mail' }) });
  const mailer = metrics === undefined ? transport : countingSends(transport, metrics);
  const deferred = new Set<Promise<void>>();
  const flowLog = log.child({ component: 'flows' });
  const clock = options.clock ?? systemClock;
  const deps: FlowDeps = {
    config,
    // The hot path's reads, from memory for at most cache.ttl; readiness and maintenance use the store itself.
    store: createCachedStore(store, { ttlSeconds: config.cache.ttl, size: config.cache.size, clock }),
    mailer,
    pages: livePages,
    clock,
    random: options.random ?? systemRandom,
    log: flowLog,
    defer: (work) => {
      const task = work()
        .catch((error: unknown) =>
          flowLog.error({ event: 'deferred-failed', err: error }, 'background work failed'),
        )
        .finally(() => deferred.delete(task));
      deferred.add(task);
    },
  };
  const gate = createGateHandler(deps, metrics);
  const server =
    options.fcgi === false
      ? undefined
      : createFcgiServer(createRequestHandler(deps, metrics, gate), {
          log: log.child({ component: 'fastcgi' }),
          maxStdinBytes: config.fastcgi.max_body,
          maxConnections: config.fastcgi.max_connections,
          requestTimeoutMs: config.fastcgi.request_timeout * 1000,
          idleTimeoutMs: config.fastcgi.idle_timeout * 1000,
        });
  const httpWhere =
    config.http.listen === undefined ? undefined : netAddress.splitHostPort(config.http.listen);
  const httpListener =
    httpWhere === undefined
      ? undefined
      : createHttpListener(gate, {
          config,
          log: log.child({ component: 'http' }),
          staticPages: await loadStaticPages(config),
          // The logged-out page shows even when the database does not answer, naming no site then.
          siteNameOf: (host) =>
            isKnownSite(deps, host).then(
              (known) => (known ? siteName(deps.config, host) : undefined),
              () => undefined,
            ),
        });
  if (server === undefined && httpListener === undefined) {
    throw new AppError('CONFIG_INVALID', 'http.listen: nothing to serve (expected host:port)');
  }
  let address: { host: string; port: number } | undefined;
  let httpAddress: { host: string; port: number } | undefined;
  let ops: OpsListener | undefined;
  try {
    // `localhost` may resolve to ::1 first, while Apache is told fcgi://127.0.0.1 (NOTES G13).
    address = await server?.listen(config.port, config.host === 'localhost' ? '127.0.0.1' : config.host);
    if (httpListener !== undefined && httpWhere !== undefined) {
      httpAddress = await httpListener.listen(
        httpWhere.port,
        httpWhere.host === 'localhost' ? '127.0.0.1' : httpWhere.host,
      );
    }
    if (metrics !== undefined) ops = await startOps(config, store, metrics, log);
  } catch (error) {
    await server?.close();
    await httpListener?.close();
    await store.close();
    mailer.close();
    throw error;
  }
  const maintenance = startMaintenance(
    store,
    clock,
    config,
    log.child({ component: 'maintenance' }),
    options.maintenance ?? {},
  );

  let closing: Promise<void> | undefined;
  return {
    ...(address ?? httpAddress ?? { host: '', port: 0 }),
    http: httpAddress,
    store,
    ops: ops === undefined ? undefined : { host: ops.host, port: ops.port },
    async reload(next) {
      pages = await loadPages(next, templatesLog);
      log.level = next.log.level;
      const report = { reloaded: ['templates', 'log.level'], restartNeeded: changedSettings(config, next) };
      const restart =
        report.restartNeeded.length === 0
          ? 'nothing else changed'
          : `restart to apply: ${report.restartNeeded.join(', ')}`;
      log.info(
        { event: 'reloaded', ...report },
        `reloaded templates and log level (${next.log.level}); ${restart}`,
      );
      return report;
    },
    close: () => {
      closing ??= (async () => {
        ops?.markStopping();
        await maintenance.stop();
        await Promise.all([server?.close(), httpListener?.close()]);
        await Promise.all(deferred);
        await ops?.close();
        await store.close();
        mailer.close();
        log.info({ event: 'stopped' }, 'daemon stopped');
      })();
      return closing;
    },
  };
}

/** Only link mails go through the daemon's mailer: an accepted send is a link sent. */
function countingSends(mailer: Mailer, metrics: GateMetrics): Mailer {
  return {
    send: async (message) => {
      await mailer.send(message);
      metrics.linkSent();
    },
    verify: () => mailer.verify(),
    close: () => mailer.close(),
  };
}

async function startOps(
  config: Config,
  store: StoreHandle,
  metrics: GateMetrics,
  log: Logger,
): Promise<OpsListener> {
  const where = netAddress.splitHostPort(config.metrics.listen ?? '');
  // Unreachable: the schema already refused anything but host:port.
  if (where === undefined) throw new AppError('CONFIG_INVALID', 'metrics.listen: expected host:port');
  return startOpsListener({
    ...where,
    registry: metrics.registry,
    readiness: createReadinessCheck({
      ping: () => store.ping(),
      pendingMigrations: () => pendingMigrations(store.knex),
    }),
    log: log.child({ component: 'ops' }),
  });
}

/**
 * The logged-out pages the HTTP listener serves at targets.logout_one/_all (Apache serves the
 * extracted copies itself), in every configured language the package has them in; read once,
 * so a missing English file stops the start, not a logout.
 */
async function loadStaticPages(config: Config): Promise<ReadonlyMap<string, StaticPage>> {
  const folder = path.join(packageRoot(), 'static');
  const read = async (name: string): Promise<StaticPage> => {
    const page = new Map<string, string>();
    try {
      page.set(BASE_LANGUAGE, await readFile(path.join(folder, name), 'utf8'));
    } catch (error) {
      throw new AppError('TEMPLATE_MISSING', `cannot read the static page ${name} in ${folder}`, {
        cause: error,
      });
    }
    for (const language of config.templates.languages.filter((l) => l !== BASE_LANGUAGE)) {
      const translated = await readFile(path.join(languageFolder(folder, language), name), 'utf8').catch(
        () => undefined,
      );
      if (translated !== undefined) page.set(language, translated);
    }
    return { fallback: BASE_LANGUAGE, byLanguage: page };
  };
  // A target that is a URL elsewhere is served by whatever is there.
  const pages: Array<[string, StaticPage]> = [];
  for (const [target, file] of [
    [config.targets.logout_one, 'logged-out.xhtml'],
    [config.targets.logout_all, 'logged-out-all.xhtml'],
  ] as const) {
    if (target.startsWith('/')) pages.push([target, await read(file)]);
  }
  return new Map(pages);
}
