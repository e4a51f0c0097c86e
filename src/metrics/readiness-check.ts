export type Readiness =
  | { readonly ready: true }
  /** `reason` may be shown to anyone; `cause` is for the log only. */
  | { readonly ready: false; readonly reason: string; readonly cause?: unknown };

export interface ReadinessOptions {
  /** store.ping(): a cheap query. */
  readonly ping: () => Promise<void>;
  /** Names of the migrations not yet applied. */
  readonly pendingMigrations: () => Promise<readonly string[]>;
  /** The database must answer within this (default 1 s). */
  readonly timeoutMs?: number;
  /** How long a migration check is believed (default 60 s): it costs queries, and changes only on deploys. */
  readonly migrationsTtlMs?: number;
  /** Milliseconds, for the cache; defaults to Date.now. */
  readonly now?: () => number;
}

/**
 * /readyz: ready when the database answers quickly and its schema is current.
 * Concurrent probes share one check, so a slow database is not hit once per
 * probe. Reasons are short and fixed: the listener never shows a DSN or an error
 * text (the caller logs the detail).
 */
export function createReadinessCheck(options: ReadinessOptions): () => Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 1000;
  const ttlMs = options.migrationsTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  let migrations: { pending: number; at: number } | undefined;
  let inFlight: Promise<Readiness> | undefined;

  const check = async (): Promise<Readiness> => {
    const answered = await within(options.ping(), timeoutMs);
    if (answered === 'timeout')
      return { ready: false, reason: `database did not answer within ${timeoutMs} ms` };
    if ('error' in answered) return { ready: false, reason: 'database unavailable', cause: answered.error };
    if (migrations === undefined || now() - migrations.at >= ttlMs) {
      const pending = await within(options.pendingMigrations(), timeoutMs);
      if (pending === 'timeout' || 'error' in pending) {
        const cause = pending === 'timeout' ? undefined : pending.error;
        return { ready: false, reason: 'database unavailable', cause };
      }
      migrations = { pending: pending.value.length, at: now() };
    }
    if (migrations.pending > 0) return { ready: false, reason: `${migrations.pending} migrations pending` };
    return { ready: true };
  };

  return () => {
    inFlight ??= check().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

type Settled<T> = { readonly value: T } | { readonly error: unknown };

async function within<T>(work: Promise<T>, ms: number): Promise<Settled<T> | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    const settled = work.then(
      (value): Settled<T> => ({ value }),
      (error: unknown): Settled<T> => ({ error }),
    );
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
