import { afterAll, describe, expect, it } from 'vitest';
import { migrateLatest, pendingMigrations } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open-store.js';
import { freshPostgres, freshSchema, type FreshPostgres } from '../support/databases.js';

describe('migrateLatest', () => {
  let database: Promise<FreshPostgres> | undefined;
  afterAll(async () => {
    if (database !== undefined) await (await database).cleanup();
  });

  it('lets two processes migrate one PostgreSQL database at once', async () => {
    database ??= freshPostgres();
    const schema = await freshSchema(await database);
    // Two stores: two pools, as two daemons or two `forgetpw migrate` runs would have.
    const first = await openStore({ dsn: schema.dsn }, { baseDir: '.' });
    const second = await openStore({ dsn: schema.dsn }, { baseDir: '.' });
    try {
      const results = await Promise.all([migrateLatest(first.knex), migrateLatest(second.knex)]);
      expect(results.map((applied) => applied.join(',')).sort()).toEqual([
        '',
        '0001-initial,0002-app-passwords',
      ]);
      expect(await pendingMigrations(first.knex)).toEqual([]);
      expect(await first.knex('forgetpw_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
      expect(await first.knex('forgetpw_migrations').count({ n: '*' })).toEqual([{ n: 2 }]);
    } finally {
      await first.close();
      await second.close();
      await schema.cleanup();
    }
  });
});
