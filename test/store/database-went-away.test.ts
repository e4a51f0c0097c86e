/**
 * The server goes away under a running store and comes back on the same port
 * (TESTING.md): queries fail with an error in the meantime, and the store recovers
 * without being reopened.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open-store.js';
import { startPostgres, type PostgresCluster } from '../support/postgres.js';

describe('a store whose PostgreSQL goes away', () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgres();
  });

  afterAll(async () => {
    await cluster.destroy();
  });

  for (const mode of ['fast', 'immediate'] as const) {
    it(`answers DB_UNAVAILABLE while it is down (${mode} stop) and recovers when it is back`, async () => {
      const database = `fp_${mode}`;
      const admin = new pg.Client({ connectionString: cluster.adminUrl });
      await admin.connect();
      await admin.query(`create database ${database}`);
      await admin.end();
      const store = await openStore(
        { dsn: cluster.adminUrl.replace(/\/postgres$/, `/${database}`) },
        { baseDir: '.' },
      );
      try {
        await migrateLatest(store.knex);
        const ann = await store.users.findOrCreate('ann@example.org', 1);

        await cluster.stop(mode);
        await expect(store.ping()).rejects.toMatchObject({ code: 'DB_UNAVAILABLE' });
        await expect(store.users.byId(ann.id)).rejects.toThrow();

        await cluster.start();
        await expect(store.ping()).resolves.toBeUndefined();
        expect(await store.users.byId(ann.id)).toEqual(ann);
      } finally {
        await store.close();
      }
    });
  }
});
