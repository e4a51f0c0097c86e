import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Clock } from '../tokens/clock.js';
import type { Store } from '../flows/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface MaintenanceOptions {
  readonly firstMs?: number;
  readonly everyMs?: number;
}

/**
 * Deletes tokens and rate-limit windows that ended over a day ago and audit
 * events older than `audit.retention`, shortly after
 * start and then every few minutes. A failed pass is logged and retried next time;
 * several daemons on one database may purge at once (the deletes are idempotent).
 */
export function startMaintenance(
  store: Store,
  clock: Clock,
  config: Config,
  log: Logger,
  options: MaintenanceOptions,
): { stop(): Promise<void> } {
  const firstMs = options.firstMs ?? 60_000;
  const everyMs = options.everyMs ?? 10 * 60_000;
  let running: Promise<void> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout;
  const pass = async (): Promise<void> => {
    const now = clock.now();
    try {
      // A link request (its code) lives no longer than its link: purged on the same day.
      const tokens =
        (await store.tokens.purge(now - DAY_MS)) + (await store.linkRequests.purge(now - DAY_MS));
      const limits = await store.limits.purge(now - Math.max(DAY_MS, config.limits.window * 1000));
      const retention = config.audit.retention;
      const audit = retention > 0 ? await store.audit.purge(now - retention * 1000) : 0;
      // Every ten minutes: an idle pass is not worth an info line.
      log[tokens + limits + audit > 0 ? 'info' : 'debug'](
        { event: 'maintenance', tokens, limits, audit },
        `purged ${tokens} tokens, ${limits} rate-limit windows and ${audit} audit events`,
      );
    } catch (error) {
      log.error({ event: 'maintenance-failed', err: error }, 'maintenance failed');
    }
  };
  const schedule = (ms: number): void => {
    timer = setTimeout(() => {
      running = pass().finally(() => {
        running = undefined;
        if (!stopped) schedule(everyMs);
      });
    }, ms);
    // Never the reason the process stays up.
    timer.unref();
  };
  schedule(firstMs);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
