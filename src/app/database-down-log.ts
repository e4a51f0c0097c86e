import type { Logger } from 'pino';

/** How often a database that stays away is logged again. */
const INTERVAL_MS = 10_000;

/**
 * The `database-down` lines of the request boundary: the first failure with its error, then one
 * line per interval while failures go on, counting the requests failed in between. The soak
 * (issue 18) wrote 12,000 lines with the driver's error and stack in a 20 s PostgreSQL outage
 * at 500 req/s: CPU spent while the daemon should answer 503 at once, and a log in which the
 * lines that say something drown.
 */
export function databaseDownLog(
  log: Logger,
  now: () => number = () => performance.now(),
): (fields: Record<string, unknown>, error: unknown) => void {
  let lastAt = -Infinity;
  let failedSince = 0;
  return (fields, error) => {
    const at = now();
    if (at - lastAt < INTERVAL_MS) {
      failedSince++;
      return;
    }
    const repeated = failedSince === 0 ? {} : { failedSince };
    log.error({ event: 'database-down', ...fields, ...repeated, err: error }, 'the database is unavailable');
    lastAt = at;
    failedSince = 0;
  };
}
