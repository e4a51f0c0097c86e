/**
 * Whether an error means "the database cannot be reached right now" (as
 * opposed to a bug): such requests get a 503 page, and nobody is let in.
 */
const CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  // mysql2 (MariaDB/MySQL)
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_GONE_ERROR',
  'ER_SERVER_LOST',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'DB_UNAVAILABLE',
]);

export function isDatabaseDown(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CODES.has(code)) return true;
    if (e.name === 'KnexTimeoutError') return true;
    if (
      /Connection terminated|connection is closed|Client has encountered a connection error|connection is in closed state|Connection lost/i.test(
        e.message,
      )
    ) {
      return true;
    }
    e = e.cause;
  }
  return false;
}
