/**
 * MariaDB goes away under a running store and comes back on the same port (issue 17): every
 * query, the two hot reads included, fails as "database down" (a 503 page, nobody let in) in
 * the meantime, and the store recovers without being reopened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseDown } from '../../src/store/is-database-down.js';
import { migrateLatest } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open-store.js';
import { mariadbMissing } from '../support/databases.js';
import { sql, startMariadb, type MariadbServer } from '../support/mariadb.js';

const HASH = 'a'.repeat(64);

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the query to fail while the server is down');
}

describe.skipIf(mariadbMissing() !== '')('a store whose MariaDB goes away', () => {
  let server: MariadbServer;

  beforeAll(async () => {
    server = await startMariadb();
  });

  afterAll(async () => {
    await server?.destroy();
  });

  for (const mode of ['fast', 'immediate'] as const) {
    it(`fails closed while it is down (${mode} stop) and recovers when it is back`, async () => {
      const database = `fp_${mode}`;
      await sql(server.port, `create database ${database}`);
      const store = await openStore({ dsn: `${server.appUrl}${database}` }, { baseDir: '.' });
      try {
        await migrateLatest(store.knex);
        const ann = await store.users.findOrCreate('ann@example.org', 1);
        await store.tokens.insert({
          hash: HASH,
          kind: 'session',
          userId: ann.id,
          site: 'site.test',
          createdAt: 1,
          expiresAt: Date.now() + 60_000,
          absoluteExpiresAt: Date.now() + 60_000,
        });
        // Connections in the pool that have been used, and so have prepared statements.
        expect((await store.tokens.session(HASH))?.user).toEqual(ann);

        await server.stop(mode);
        await expect(store.ping()).rejects.toMatchObject({ code: 'DB_UNAVAILABLE' });
        for (const query of [
          store.tokens.session(HASH),
          store.acl.find(['site.test'], ['ann@example.org']),
          store.users.byId(ann.id),
          store.limits.hit('ip:192.0.2.1', 0),
        ]) {
          expect(isDatabaseDown(await failure(query))).toBe(true);
        }

        await server.start();
        await expect(store.ping()).resolves.toBeUndefined();
        expect(await store.users.byId(ann.id)).toEqual(ann);
        expect((await store.tokens.session(HASH))?.user).toEqual(ann);
        expect(await store.limits.hit('ip:192.0.2.1', 0)).toBe(1);
      } finally {
        await store.close();
      }
    });
  }
});
