import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { assertMigrated, migrateLatest, pendingMigrations } from '../../src/store/migrate.js';
import { gemTime } from '../../src/store/gem-time.js';
import { openStore, type StoreHandle } from '../../src/store/open-store.js';
import { gemTokenFromUuid } from '../../src/tokens/gem-token.js';
import { hashSecret } from '../../src/tokens/hash-secret.js';
import { freshPostgres, freshSchema, freshSqlite, type FreshPostgres } from '../support/databases.js';
import { GEM, makeGemDatabase } from './gem-fixture.js';

interface Db {
  readonly dsn: string;
  cleanup(): Promise<void> | void;
}

let cluster: Promise<FreshPostgres> | undefined;
afterAll(async () => {
  if (cluster !== undefined) await (await cluster).cleanup();
});

const DIALECTS: Array<[string, () => Promise<Db>]> = [
  ['SQLite', () => Promise.resolve(freshSqlite())],
  [
    'PostgreSQL',
    async () => {
      cluster ??= freshPostgres();
      return freshSchema(await cluster);
    },
  ],
];

describe.each(DIALECTS)('the Ruby gem database upgrade on %s', (_name, fresh) => {
  async function arrange(): Promise<{ store: StoreHandle; liveExpires: number; db: Db }> {
    const db = await fresh();
    const { liveExpires } = await makeGemDatabase(db.dsn);
    const store = await openStore({ dsn: db.dsn }, { baseDir: '.' });
    return { store, liveExpires, db };
  }

  it('refuses to serve the gem database and names forgetpw migrate', async () => {
    const { store, db } = await arrange();
    try {
      await expect(assertMigrated(store.knex)).rejects.toThrow(/Ruby gem's database: run `forgetpw migrate`/);
    } finally {
      await store.close();
      await db.cleanup();
    }
  });

  it('carries over users, the access list and live sessions, and drops links', async () => {
    const { store, liveExpires, db } = await arrange();
    try {
      const applied = await migrateLatest(store.knex);
      // Our migrations, then the import of the gem's data into them.
      expect(applied.slice(0, migrations.length)).toEqual(migrations.map((m) => m.name));
      expect(applied[migrations.length]).toMatch(
        /^ruby-gem-import \(3 users, 3 access-list rows, 1 live sessions kept, 3 links/,
      );
      await expect(assertMigrated(store.knex)).resolves.toBeUndefined();

      const users = await store.knex('users').select('email', 'principal', 'disabled_at').orderBy('email');
      expect(users.map((u: { email: string; principal: string }) => [u.email, u.principal])).toEqual([
        ['ann@example.org', 'ann@example.org'],
        ['bob@example.org', 'Bob'],
        ['carl@example.org', 'carl@example.org'],
      ]);
      expect(users.map((u: { disabled_at: unknown }) => u.disabled_at !== null)).toEqual([
        false,
        false,
        true,
      ]);

      const acl = await store.knex('acl').select('domain', 'address', 'allow').orderBy(['domain', 'address']);
      expect(
        acl.map((r: { domain: string; address: string; allow: unknown }) => [
          r.domain,
          r.address,
          Boolean(r.allow),
        ]),
      ).toEqual([
        ['', 'example.org', true],
        ['', 'mallory@example.org', false],
        ['site.test', 'partner.example', true],
      ]);

      const tokens = await store.knex('tokens').select('hash', 'kind', 'site', 'expires_at');
      expect(tokens).toEqual([
        { hash: hashSecret(GEM.liveCookie), kind: 'session', site: '', expires_at: liveExpires },
      ]);
      // The gem's own tables stay readable (its acl under a new name).
      expect(await store.knex('user').count({ n: '*' })).toEqual([{ n: expect.anything() }]);
      expect(await store.knex('gem_acl').select('address').orderBy('address')).toHaveLength(3);
      expect(await store.knex('token').select('token')).toHaveLength(4);
    } finally {
      await store.close();
      await db.cleanup();
    }
  });

  it('changes nothing when run a second time', async () => {
    const { store, db } = await arrange();
    try {
      await migrateLatest(store.knex);
      const before = await snapshot(store);
      expect(await migrateLatest(store.knex)).toEqual([]);
      expect(await snapshot(store)).toEqual(before);
    } finally {
      await store.close();
      await db.cleanup();
    }
  });

  it('leaves the gem tables as they were when the upgrade fails half way', async () => {
    const { store, db } = await arrange();
    try {
      // Something in the way of the last table our schema creates: the run fails after
      // the gem's acl was renamed and four of our tables were made.
      await store.knex.schema.createTable('audit', (t) => t.integer('x'));
      await expect(migrateLatest(store.knex)).rejects.toThrow(/audit/);
      expect(await store.knex.schema.hasTable('users')).toBe(false);
      expect(await store.knex.schema.hasTable('gem_acl')).toBe(false);
      expect(await store.knex('acl').select('address', 'ok')).toHaveLength(3);
      expect(await pendingMigrations(store.knex)).toEqual(migrations.map((m) => m.name));
      await store.knex.schema.dropTable('audit');
      await migrateLatest(store.knex);
      expect(await store.knex('users').count({ n: '*' })).toEqual([{ n: expect.anything() }]);
      expect(await store.knex('acl').select('address')).toHaveLength(3);
    } finally {
      await store.close();
      await db.cleanup();
    }
  });
});

async function snapshot(store: StoreHandle): Promise<unknown> {
  const all = async (table: string, order: string[]) => store.knex(table).select('*').orderBy(order);
  return {
    users: await all('users', ['email']),
    acl: await all('acl', ['domain', 'address']),
    tokens: await all('tokens', ['hash']),
    gem: await all('gem_acl', ['domain', 'address']),
  };
}

describe('gemTokenFromUuid', () => {
  it('gives the NCName form the gem put in its cookies and links', () => {
    expect(gemTokenFromUuid(GEM.liveUuid)).toBe(GEM.liveCookie);
    expect(gemTokenFromUuid('not-a-uuid')).toBeUndefined();
  });
});

describe('gemTime', () => {
  it('reads a zone-less SQLite stamp as local time and a PostgreSQL one as UTC', () => {
    expect(gemTime('2024-03-05 06:07:08.250000', 'local')).toBe(new Date(2024, 2, 5, 6, 7, 8, 250).getTime());
    expect(gemTime('2024-03-05 06:07:08', 'utc')).toBe(Date.UTC(2024, 2, 5, 6, 7, 8));
  });

  it('honours an offset when Sequel wrote one', () => {
    expect(gemTime('2024-03-05 06:07:08+0100', 'local')).toBe(Date.UTC(2024, 2, 5, 5, 7, 8));
    expect(gemTime('garbage', 'utc')).toBeUndefined();
  });
});
