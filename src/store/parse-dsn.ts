/**
 * The original's DSN forms (Sequel style, SPEC §1) turned into a knex config.
 * Pure: no file system, no network. Messages show the DSN with its password masked.
 */
import path from 'node:path';
import { AppError } from '../errors/app-error.js';
import { mysqlConnection } from './mysql-connection.js';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

export interface DsnState {
  readonly dsn: string;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** Merged into knex's `connection`; its `pool` key goes to knex's `pool`. */
  readonly options?: Readonly<Record<string, unknown>> | undefined;
}

export interface ParsedDsn {
  readonly dialect: Dialect;
  /** knex client name. */
  readonly client: 'better-sqlite3' | 'pg' | 'mysql2';
  readonly connection: Readonly<Record<string, unknown>>;
  readonly pool: Readonly<Record<string, unknown>>;
  /** The DSN with any password masked, for messages and logs. */
  readonly display: string;
}

const FORMS =
  'sqlite://relative/file.db, sqlite:///absolute/file.db, postgres:///dbname, postgres://user:pass@host:port/dbname, mysql://user:pass@host:port/dbname, mariadb://user:pass@host:port/dbname';

/** libpq query parameters we translate; anything else belongs in state.options. */
const PG_PARAMS = new Set([
  'host',
  'port',
  'user',
  'password',
  'dbname',
  'sslmode',
  'application_name',
  'connect_timeout',
  // Server settings at connection start, e.g. `-c search_path=forgetpw`.
  'options',
]);

/** Fail fast when the server does not answer (pg's default is to wait forever). */
const CONNECT_TIMEOUT_MS = 5000;

export function parseDsn(state: DsnState, baseDir: string): ParsedDsn {
  const dsn = state.dsn.trim();
  const display = redactDsn(dsn);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(dsn)?.[1]?.toLowerCase() ?? '';
  const { pool, ...extra } = state.options ?? {};
  const poolConfig = pool === undefined ? {} : asRecord(pool, display);
  switch (scheme) {
    case 'sqlite':
      return {
        dialect: 'sqlite',
        client: 'better-sqlite3',
        connection: { filename: sqliteFile(dsn, baseDir, display), ...extra },
        pool: poolConfig,
        display,
      };
    case 'postgres':
    case 'postgresql':
      return {
        dialect: 'postgres',
        client: 'pg',
        connection: { ...postgresConnection(dsn, state, display), ...extra },
        pool: poolConfig,
        display,
      };
    case 'mysql':
    case 'mysql2':
    case 'mariadb':
      return {
        dialect: 'mysql',
        client: 'mysql2',
        connection: { ...mysqlConnection(dsn, state, display), ...extra },
        pool: poolConfig,
        display,
      };
    default:
      throw invalid(display, `unknown database type; expected one of ${FORMS}`);
  }
}

function sqliteFile(dsn: string, baseDir: string, display: string): string {
  if (!dsn.toLowerCase().startsWith('sqlite://')) throw invalid(display, `expected one of ${FORMS}`);
  const rest = dsn.slice('sqlite://'.length);
  if (rest.includes('?') || rest.includes('#')) throw invalid(display, 'SQLite DSNs take no parameters');
  const file = decode(rest, display);
  if (file === '' || file.endsWith('/')) throw invalid(display, 'the SQLite DSN names no file');
  // sqlite:///abs has three slashes: the third starts an absolute path (Sequel's reading).
  return file.startsWith('/') ? path.normalize(file) : path.resolve(baseDir, file);
}

function postgresConnection(dsn: string, state: DsnState, display: string): Record<string, unknown> {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw invalid(display, 'not a valid URL');
  }
  if (url.hash !== '') throw invalid(display, 'a fragment (#) is not allowed');
  const connection: Record<string, unknown> = { connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
  // IPv6 literals come bracketed from URL; node-postgres wants them bare.
  if (url.hostname !== '') connection['host'] = decode(url.hostname.replace(/^\[(.*)\]$/, '$1'), display);
  if (url.port !== '') connection['port'] = Number(url.port);
  const database = decode(url.pathname.replace(/^\//, ''), display);
  if (database.includes('/')) throw invalid(display, 'the database name may not contain "/"');
  if (database !== '') connection['database'] = database;
  if (url.username !== '') connection['user'] = decode(url.username, display);
  if (url.password !== '') connection['password'] = decode(url.password, display);
  for (const [key, value] of url.searchParams) applyParam(connection, key, value, display);
  // state.user/state.password fill what the DSN leaves out (SPEC §1).
  if (connection['user'] === undefined && state.user !== undefined) connection['user'] = state.user;
  if (connection['password'] === undefined && state.password !== undefined)
    connection['password'] = state.password;
  return connection;
}

function applyParam(connection: Record<string, unknown>, key: string, value: string, display: string): void {
  if (!PG_PARAMS.has(key))
    throw invalid(display, `unsupported parameter "${key}" (driver settings go in state.options)`);
  switch (key) {
    case 'port': {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(display, 'port must be 1-65535');
      connection['port'] = port;
      return;
    }
    case 'dbname':
      connection['database'] = value;
      return;
    case 'connect_timeout': {
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds <= 0)
        throw invalid(display, 'connect_timeout must be a positive number');
      connection['connectionTimeoutMillis'] = Math.round(seconds * 1000);
      return;
    }
    case 'sslmode':
      connection['ssl'] = sslFor(value, display);
      return;
    default:
      connection[key] = value;
  }
}

/**
 * libpq sslmode -> node-postgres `ssl`. node-postgres cannot fall back from TLS to
 * plain text, so `allow` and `prefer` mean plain text; `require` encrypts without
 * verifying the certificate, as libpq does.
 */
function sslFor(mode: string, display: string): boolean | { rejectUnauthorized: boolean } {
  switch (mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return true;
    default:
      throw invalid(display, `unknown sslmode "${mode}"`);
  }
}

function decode(text: string, display: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(display, 'bad percent-encoding');
  }
}

function asRecord(value: unknown, display: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(display, 'state.options.pool must be a mapping');
  }
  return value as Record<string, unknown>;
}

/** Masks `user:password@` and `password=` so no message or log line carries the secret. */
export function redactDsn(dsn: string): string {
  return dsn
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/i, '$1***');
}

function invalid(display: string, why: string): AppError {
  return new AppError('DSN_INVALID', `state.dsn ${display}: ${why}`);
}
