/**
 * The two reads of every check are prepared once per connection on MariaDB (issue 17), as
 * on SQLite and PostgreSQL: the server's own per-session counters say so.
 */
import { describe, expect, it } from 'vitest';
import { migrateLatest } from '../../src/store/migrate.js';
import { openStore, type StoreHandle } from '../../src/store/open-store.js';
import { freshMariadb, mariadbMissing } from '../support/databases.js';

async function sessionStatus(store: StoreHandle, name: string): Promise<number> {
  const [rows] = (await store.knex.raw('show session status like ?', [name])) as [
    Array<{ Variable_name: string; Value: string }>,
  ];
  return Number(rows[0]?.Value);
}

describe.skipIf(mariadbMissing() !== '')('the hot reads on MariaDB', () => {
  it('prepares each once per connection and then only executes it', async () => {
    const database = await freshMariadb();
    // One connection, so every query below, the counters included, runs on it.
    const store = await openStore({ dsn: database.dsn, options: { pool: { max: 1 } } }, { baseDir: '.' });
    try {
      await migrateLatest(store.knex);
      const ann = await store.users.findOrCreate('ann@example.org', 1);
      const hash = 'b'.repeat(64);
      await store.tokens.insert({
        hash,
        kind: 'session',
        userId: ann.id,
        site: 'site.test',
        createdAt: 1,
        expiresAt: 2,
        absoluteExpiresAt: 3,
      });
      await store.acl.put([{ domain: 'site.test', address: 'example.org', allow: true }], 1);
      const prepared = await sessionStatus(store, 'Com_stmt_prepare');
      const executed = await sessionStatus(store, 'Com_stmt_execute');

      for (let i = 0; i < 25; i++) {
        expect((await store.tokens.session(hash))?.user).toEqual(ann);
        expect(await store.acl.find(['site.test', ''], ['ann@example.org', 'example.org'])).toEqual([
          { domain: 'site.test', address: 'example.org', allow: true },
        ]);
      }

      // Two statements (the session read, one access-list shape), fifty executions.
      expect((await sessionStatus(store, 'Com_stmt_prepare')) - prepared).toBe(2);
      expect((await sessionStatus(store, 'Com_stmt_execute')) - executed).toBe(50);
    } finally {
      await store.close();
      await database.cleanup();
    }
  });
});
