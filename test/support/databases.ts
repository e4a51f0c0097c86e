/**
 * A database of its own for every suite, and a schema of its own for every test:
 * a SQLite file in a temp folder, or a PostgreSQL database created in the run's shared
 * cluster (global-setup.ts). Creating a PostgreSQL database costs a few hundred
 * milliseconds, a schema one: so tests take a schema in their suite's database.
 * On MariaDB a schema is a database, and creating one is cheap: a database per test.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, inject } from 'vitest';

export interface FreshSqlite {
  /** `sqlite:///abs/path/forgetpw.db` */
  readonly dsn: string;
  /** Temp folder holding the file (and its -wal/-shm). */
  readonly dir: string;
  cleanup(): void;
}

export interface FreshPostgres {
  readonly dsn: string;
  /** Drops it, ending any connection still open to it. */
  cleanup(): Promise<void>;
}

export function freshSqlite(): FreshSqlite {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forgetpw-sqlite-'));
  return {
    dsn: `sqlite://${path.join(dir, 'forgetpw.db')}`,
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A new database in the shared cluster (superuser DSN). */
export async function freshPostgres(): Promise<FreshPostgres> {
  const adminUrl = inject('pgAdminUrl');
  const name = uniqueName();
  await run(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dsn: url.toString(),
    cleanup: () => run(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

/**
 * A new, empty schema in `database`; its DSN puts the schema first on the search
 * path (libpq `options`), so everything the store creates and reads lands there.
 */
export async function freshSchema(database: FreshPostgres): Promise<FreshPostgres> {
  const name = uniqueName();
  await run(database.dsn, `create schema ${name}`);
  const url = new URL(database.dsn);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    dsn: url.toString(),
    cleanup: () => run(database.dsn, `drop schema if exists ${name} cascade`),
  };
}

function uniqueName(): string {
  return `fp_${randomBytes(8).toString('hex')}`;
}

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface FreshMariadb {
  /** `mysql://forgetpw:...@127.0.0.1:PORT/fp_...`: the app's user, with the README's privileges. */
  readonly dsn: string;
  /** Drops it. */
  cleanup(): Promise<void>;
}

/**
 * Why the run has no MariaDB, or '' when it has one (global-setup.ts). Without CI its tests
 * skip with this reason; with CI=true the run has already failed.
 */
export function mariadbMissing(): string {
  return inject('mariadbMissing');
}

/**
 * `[entry]` when the run has a MariaDB; otherwise `[]` and a skipped suite named `label`
 * that says why (without CI only: with CI=true the run has already failed).
 */
export function ifMariadb<T>(label: string, entry: T): T[] {
  const missing = mariadbMissing();
  if (missing === '') return [entry];
  describe.skip(`${label} on MariaDB: ${missing.split('\n')[0]}`, () => undefined);
  return [];
}

/** A new database on the run's MariaDB. */
export async function freshMariadb(): Promise<FreshMariadb> {
  const adminUrl = inject('mariadbAdminUrl');
  if (adminUrl === '') throw new Error(inject('mariadbMissing'));
  const name = uniqueName();
  await runMariadb(adminUrl, `create database ${name}`);
  const url = new URL(inject('mariadbAppUrl'));
  url.pathname = `/${name}`;
  return {
    dsn: url.toString(),
    cleanup: () => runMariadb(adminUrl, `drop database if exists ${name}`),
  };
}

async function runMariadb(url: string, sql: string): Promise<void> {
  const connection = await mysql.createConnection(url);
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}
