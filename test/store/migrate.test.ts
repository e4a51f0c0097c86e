import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { migrateLatest, pendingMigrations } from '../../src/store/migrate.js';
import { openStore, type StoreHandle } from '../../src/store/open-store.js';
import {
  freshMariadb,
  freshPostgres,
  freshSchema,
  mariadbMissing,
  type FreshPostgres,
} from '../support/databases.js';

/** Two stores: two pools, as two daemons or two `forgetpw migrate` runs would have. */
async function migrateTwiceAtOnce(dsn: string): Promise<void> {
  const first = await openStore({ dsn }, { baseDir: '.' });
  const second = await openStore({ dsn }, { baseDir: '.' });
  try {
    const results = await Promise.all([migrateLatest(first.knex), migrateLatest(second.knex)]);
    expect(results.map((applied) => applied.join(',')).sort()).toEqual([
      '',
      migrations.map((m) => m.name).join(','),
    ]);
    await expectOneCleanRun(first);
    expect(await pendingMigrations(second.knex)).toEqual([]);
  } finally {
    await first.close();
    await second.close();
  }
}

async function expectOneCleanRun(store: StoreHandle): Promise<void> {
  expect(await pendingMigrations(store.knex)).toEqual([]);
  expect(await store.knex('forgetpw_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
  expect(await store.knex('forgetpw_migrations').count({ n: '*' })).toEqual([{ n: migrations.length }]);
}

describe('migrateLatest', () => {
  let database: Promise<FreshPostgres> | undefined;
  afterAll(async () => {
    if (database !== undefined) await (await database).cleanup();
  });

  it('lets two processes migrate one PostgreSQL database at once', async () => {
    database ??= freshPostgres();
    const schema = await freshSchema(await database);
    try {
      await migrateTwiceAtOnce(schema.dsn);
    } finally {
      await schema.cleanup();
    }
  });

  it.skipIf(mariadbMissing() !== '')('lets two processes migrate one MariaDB database at once', async () => {
    for (let round = 0; round < 3; round++) {
      const db = await freshMariadb();
      try {
        await migrateTwiceAtOnce(db.dsn);
      } finally {
        await db.cleanup();
      }
    }
  });
});
