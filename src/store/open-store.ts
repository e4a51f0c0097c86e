/**
 * Connects to the database named by `state` and hands out the Store the flows use.
 * Opening proves the database answers (fail at start, STYLE "Fail at start"); whether
 * it is migrated is checked separately (`assertMigrated`).
 */
import type Database from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import type pgModule from 'pg';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.js';
import type { Store } from '../flows/store.js';
import type { AuditStore } from '../flows/audit-store.js';
import type { AuditReader } from './audit-listing.js';
import { aclRepository } from './acl-repository.js';
import { appPasswordRepository } from './app-password-repository.js';
import { auditRepository } from './audit-repository.js';
import { hotReads } from './hot-reads.js';
import { limitRepository } from './limit-repository.js';
import { linkRequestRepository } from './link-request-repository.js';
import { localSocketDir } from './local-socket-dir.js';
import { mysqlSession } from './mysql-session.js';
import { parseDsn, type Dialect, type DsnState, type ParsedDsn } from './parse-dsn.js';
import { tokenRepository } from './token-repository.js';
import { userRepository } from './user-repository.js';

type PgModule = typeof pgModule;

/** The flows' Store plus what only the CLI and maintenance use: the audit trail read back, knex. */
export interface StoreHandle extends Store {
  readonly audit: AuditStore & AuditReader;
  readonly knex: Knex;
  readonly dialect: Dialect;
}

export interface OpenStoreOptions {
  /** Folder relative SQLite paths are resolved against (the config file's folder). */
  readonly baseDir: string;
  readonly log?: Logger;
}

/** Fail fast when the server does not answer (parse-dsn sets pg's own timeout to this too). */
const CONNECT_TIMEOUT_MS = 5000;

export async function openStore(state: DsnState, options: OpenStoreOptions): Promise<StoreHandle> {
  const parsed = parseDsn(state, options.baseDir);
  // pg only for PostgreSQL: it costs an SQLite site's CLI commands a tenth of a second.
  const driver = parsed.dialect === 'postgres' ? (await import('pg')).default : undefined;
  const knex = knexFactory(knexConfig(parsed, options.log, driver));
  const ping = async (): Promise<void> => {
    try {
      await knex.raw('select 1');
    } catch (error) {
      throw unavailable(parsed, error);
    }
  };
  try {
    await ping();
  } catch (error) {
    await knex.destroy().catch(() => undefined);
    throw error;
  }
  const reads = hotReads(knex, parsed.dialect);
  options.log?.debug({ event: 'store-opened', dialect: parsed.dialect, dsn: parsed.display });
  return {
    knex,
    dialect: parsed.dialect,
    users: userRepository(knex),
    acl: aclRepository(knex, reads),
    tokens: tokenRepository(knex, reads, parsed.dialect),
    appPasswords: appPasswordRepository(knex),
    linkRequests: linkRequestRepository(knex),
    limits: limitRepository(knex, parsed.dialect),
    audit: auditRepository(knex),
    ping,
    close: () => knex.destroy(),
  };
}

function knexConfig(parsed: ParsedDsn, log: Logger | undefined, driver: PgModule | undefined): Knex.Config {
  const common = {
    client: parsed.client,
    log: knexLog(log),
    // Bindings (addresses, token hashes) stay out of error messages and so out of logs.
    compileSqlOnError: false,
    acquireConnectionTimeout: acquireTimeout(parsed),
  };
  if (parsed.dialect === 'sqlite') {
    return {
      ...common,
      connection: parsed.connection,
      useNullAsDefault: true,
      pool: { min: 1, max: 1, ...parsed.pool, afterCreate: sqlitePragmas },
    };
  }
  if (parsed.dialect === 'mysql') {
    // mysql2 is loaded by knex, and only for these DSNs.
    return {
      ...common,
      connection: mysqlConnectionConfig(parsed.connection),
      pool: { min: 0, max: 10, ...parsed.pool, afterCreate: mysqlSession },
    };
  }
  return {
    ...common,
    connection: postgresConnection(parsed.connection, driver!),
    // min 0: no idle connection is kept to break when the server restarts.
    pool: { min: 0, max: 10, ...parsed.pool },
  };
}

function mysqlConnectionConfig(connection: Readonly<Record<string, unknown>>): Knex.MySql2ConnectionConfig {
  // The Sequel `connect_timeout` option arrives in pg's spelling.
  const { connectionTimeoutMillis, ...rest } = connection;
  return {
    // utf8mb4 on the wire: every address and site name arrives as sent.
    charset: 'utf8mb4',
    // BIGINT (times in ms, counts) as JS numbers: every value we store is below 2^53.
    supportBigNumbers: false,
    ...(typeof connectionTimeoutMillis === 'number' ? { connectTimeout: connectionTimeoutMillis } : {}),
    ...rest,
  };
}

/** Past the driver's connect timeout, so that its error (the cause) is the one reported. */
function acquireTimeout(parsed: ParsedDsn): number {
  const connect = parsed.connection['connectionTimeoutMillis'] ?? parsed.connection['connectTimeout'];
  return (typeof connect === 'number' ? connect : CONNECT_TIMEOUT_MS) + 1000;
}

function postgresConnection(
  connection: Readonly<Record<string, unknown>>,
  pg: PgModule,
): Knex.PgConnectionConfig {
  const types = new pg.TypeOverrides();
  // BIGINT (times in ms, counts) as JS numbers: every value we store is below 2^53.
  types.setTypeParser(pg.types.builtins.INT8, 'text', Number);
  const port =
    typeof connection['port'] === 'number' ? connection['port'] : Number(process.env['PGPORT'] ?? 5432);
  const host = connection['host'] ?? process.env['PGHOST'] ?? localSocketDir(port);
  return {
    application_name: 'forgetpw',
    ...connection,
    ...(host === undefined ? {} : { host }),
    types,
  } as unknown as Knex.PgConnectionConfig;
}

/**
 * Per connection: WAL for readers beside the writer, waits instead of SQLITE_BUSY, FKs enforced,
 * and SQLite's own default page cache (2 MB). better-sqlite3 builds SQLite with a 16 MB one,
 * which a store of 100,000 sessions filled, adding 30 MB to the daemon's RSS (issue 18); the
 * session cache answers the hot reads, and the kernel's page cache the rest.
 */
function sqlitePragmas(
  db: Database.Database,
  done: (error: Error | null, db: Database.Database) => void,
): void {
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -2000');
    done(null, db);
  } catch (error) {
    done(error as Error, db);
  }
}

function knexLog(log: Logger | undefined): Knex.Logger {
  const child = log?.child({ component: 'store' });
  const write = (level: 'warn' | 'error' | 'debug') => (message: unknown) => {
    child?.[level]({ event: 'knex' }, String(message));
  };
  return { warn: write('warn'), error: write('error'), deprecate: write('warn'), debug: write('debug') };
}

function unavailable(parsed: ParsedDsn, error: unknown): AppError {
  let reason = error instanceof Error ? error.message : String(error);
  reason = reason.replace(/^select 1 - /, '');
  const password = parsed.connection['password'];
  if (typeof password === 'string' && password !== '') reason = reason.split(password).join('***');
  return new AppError('DB_UNAVAILABLE', `cannot use the database ${parsed.display}: ${reason}`, {
    cause: error,
  });
}
