/**
 * Schema migrations through knex's migrator, fed from the list in migrations/index.ts.
 * `init`/`migrate` apply them; the daemon only checks that none is pending (fail at start).
 */
import type { Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrations, type NamedMigration } from '../../migrations/index.js';
import { AppError } from '../app/app-error.js';
import { isGemDatabase } from './gem-database.js';
import { importGemData, setAsideGemAcl } from './gem-upgrade.js';

/** Our own bookkeeping tables, so a database shared with another knex app does not mix lists. */
const TABLE = 'forgetpw_migrations';
/** pg_advisory_xact_lock key: "fgpw" in ASCII. */
const PG_LOCK_KEY = 0x66677077;
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

function isPostgres(knex: Knex): boolean {
  const client = (knex.client as { config: { client?: unknown } }).config.client;
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}

function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
