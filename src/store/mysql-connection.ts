/**
 * `mysql://user:pass@host:port/db` and `mariadb://...` (SPEC §12) as a `mysql2` connection.
 * Pure: no file system, no network. Query parameters: `socket` (a Unix socket instead of
 * TCP) and `connect_timeout` (seconds); driver settings go in `state.options`.
 */
import { AppError } from '../errors/app-error.js';

export interface MysqlCredentials {
  readonly user?: string | undefined;
  readonly password?: string | undefined;
}

/** Fail fast when the server does not answer (mysql2 waits 10 s). */
const CONNECT_TIMEOUT_MS = 5000;

export function mysqlConnection(
  dsn: string,
  state: MysqlCredentials,
  display: string,
): Record<string, unknown> {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw invalid(display, 'not a valid URL');
  }
  if (url.hash !== '') throw invalid(display, 'a fragment (#) is not allowed');
  const connection: Record<string, unknown> = { connectTimeout: CONNECT_TIMEOUT_MS };
  if (url.hostname !== '') connection['host'] = decode(url.hostname.replace(/^\[(.*)\]$/, '$1'), display);
  if (url.port !== '') connection['port'] = Number(url.port);
  const database = decode(url.pathname.replace(/^\//, ''), display);
  if (database.includes('/')) throw invalid(display, 'the database name may not contain "/"');
  if (database === '') throw invalid(display, 'name the database: mysql://user:pass@host:port/dbname');
  connection['database'] = database;
  if (url.username !== '') connection['user'] = decode(url.username, display);
  if (url.password !== '') connection['password'] = decode(url.password, display);
  for (const [key, value] of url.searchParams) {
    switch (key) {
      case 'socket':
        connection['socketPath'] = value;
        break;
      case 'connect_timeout': {
        const seconds = Number(value);
        if (!Number.isFinite(seconds) || seconds <= 0)
          throw invalid(display, 'connect_timeout must be a positive number');
        connection['connectTimeout'] = Math.round(seconds * 1000);
        break;
      }
      default:
        throw invalid(display, `unsupported parameter "${key}" (driver settings go in state.options)`);
    }
  }
  // state.user/state.password fill what the DSN leaves out (SPEC §1).
  if (connection['user'] === undefined && state.user !== undefined) connection['user'] = state.user;
  if (connection['password'] === undefined && state.password !== undefined)
    connection['password'] = state.password;
  return connection;
}

function decode(text: string, display: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(display, 'bad percent-encoding');
  }
}

function invalid(display: string, why: string): AppError {
  return new AppError('DSN_INVALID', `state.dsn ${display}: ${why}`);
}
