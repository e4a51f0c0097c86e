/**
 * Schema migrations through knex's migrator, fed from the list in migrations/index.ts.
 * `init`/`migrate` apply them; the daemon only checks that none is pending (fail at start).
 */
import knexFactory, { type Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrations, type NamedMigration } from '../../migrations/index.js';
import { AppError } from '../errors/app-error.js';
import { isGemDatabase } from './gem-database.js';
import { importGemData, setAsideGemAcl } from './gem-upgrade.js';

/** Our own bookkeeping tables, so a database shared with another knex app does not mix lists. */
const TABLE = 'forgetpw_migrations';
/** pg_advisory_xact_lock key: "fgpw" in ASCII. */
const PG_LOCK_KEY = 0x66677077;
/** MariaDB/MySQL named lock (GET_LOCK), per server: the database name keeps databases apart. */
const MYSQL_LOCK_PREFIX = 'forgetpw-migrate:';
const MYSQL_LOCK_WAIT_SECONDS = 60;
const ATTEMPTS = 20;
/** How the upgrade of a Ruby gem database is named among the applied steps. */
const GEM_STEP = 'ruby-gem-import';

const source: Knex.MigrationSource<NamedMigration> = {
  getMigrations: () => Promise.resolve([...migrations]),
  getMigrationName: (migration) => migration.name,
  getMigration: (migration) => Promise.resolve(migration),
};

/** Applies every pending migration; returns the names applied (none when up to date). */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  if (isMysql(knex)) return migrateMysql(knex);
  for (let attempt = 1; ; attempt++) {
    try {
      return await knex.transaction(async (trx) => {
        // knex creates its bookkeeping tables and lock row before taking its lock, and two
        // processes doing that at once can leave two lock rows (then nobody can ever lock).
        // So the whole run is one transaction: on PostgreSQL behind an advisory lock, on
        // SQLite behind the database's single-writer lock (the loser gets SQLITE_BUSY and
        // retries, then finds nothing left to do).
        if (isPostgres(trx)) await trx.raw('select pg_advisory_xact_lock(?)', [PG_LOCK_KEY]);
        // The Ruby gem's database: its acl table is set aside before ours is made (gem-upgrade.ts).
        const gem = await isGemDatabase(trx);
        if (gem) await setAsideGemAcl(trx);
        const [, applied] = (await trx.migrate.latest({ migrationSource: source, tableName: TABLE })) as [
          number,
          string[],
        ];
        if (!gem) return applied;
        const got = await importGemData(trx, Date.now());
        return [
          ...applied,
          `${GEM_STEP} (${got.users} users, ${got.acl} access-list rows, ${got.sessions} live sessions kept, ${got.dropped} links and dead sessions dropped)`,
        ];
      });
    } catch (error) {
      if (!isSqliteBusy(error) || attempt >= ATTEMPTS) throw error;
      await sleep(25 * attempt);
    }
  }
}

/** Names of the migrations not yet applied. Reads only: never creates the bookkeeping tables. */
export async function pendingMigrations(knex: Knex): Promise<string[]> {
  const applied = new Set<string>();
  if (await knex.schema.hasTable(TABLE)) {
    const rows: Array<{ name: string }> = await knex(TABLE).select('name');
    for (const row of rows) applied.add(row.name);
  }
  return migrations.filter((migration) => !applied.has(migration.name)).map((migration) => migration.name);
}

/** Throws DB_NOT_MIGRATED unless every migration has been applied. */
export async function assertMigrated(knex: Knex): Promise<void> {
  if (await isGemDatabase(knex)) {
    throw new AppError(
      'DB_NOT_MIGRATED',
      "this is the Ruby gem's database: run `forgetpw migrate` once to upgrade it in place (users, the access list and live sessions are kept)",
    );
  }
  const pending = await pendingMigrations(knex);
  if (pending.length > 0) {
    throw new AppError(
      'DB_NOT_MIGRATED',
      `the database needs \`forgetpw init\` (or \`forgetpw migrate\`): ${pending.length} migrations pending`,
      { details: pending.map((name) => `pending: ${name}`) },
    );
  }
}

/**
 * MariaDB/MySQL commit at every CREATE TABLE, so a transaction cannot hold the run together.
 * A named lock does instead: taken on a connection of its own (a second pool of one, so a
 * store whose pool has a single connection still migrates) and held while the migrator works,
 * then released. The lock is the session's, not a transaction's, and dies with it.
 */
async function migrateMysql(knex: Knex): Promise<string[]> {
  const config = (knex.client as { config: Knex.Config }).config;
  const holder = knexFactory({ ...config, pool: { ...config.pool, min: 0, max: 1 } });
  try {
    return await holder.transaction(async (lock) => {
      const [rows] = (await lock.raw('select get_lock(concat(?, database()), ?) as got', [
        MYSQL_LOCK_PREFIX,
        MYSQL_LOCK_WAIT_SECONDS,
      ])) as [Array<{ got: number | null }>];
      if (rows[0]?.got !== 1) {
        throw new AppError(
          'DB_UNAVAILABLE',
          `another migration held the database's migration lock for ${MYSQL_LOCK_WAIT_SECONDS} s`,
        );
      }
      try {
        const [, applied] = (await knex.migrate.latest({ migrationSource: source, tableName: TABLE })) as [
          number,
          string[],
        ];
        return applied;
      } finally {
        await lock.raw('select release_lock(concat(?, database()))', [MYSQL_LOCK_PREFIX]);
      }
    });
  } finally {
    await holder.destroy();
  }
}

function isMysql(knex: Knex): boolean {
  const client = (knex.client as { config: { client?: unknown } }).config.client;
  return client === 'mysql2' || client === 'mysql';
}

function isPostgres(knex: Knex): boolean {
  const client = (knex.client as { config: { client?: unknown } }).config.client;
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}

function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
