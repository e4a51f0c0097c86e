/**
 * One contract for every database (STYLE "Tests that prove something"): the same
 * behaviours on SQLite, PostgreSQL and MariaDB, each test on an empty database of its own
 * (a SQLite file; a PostgreSQL schema in this file's database; a MariaDB database, as the
 * app's user with only the privileges the README lists). Tests run concurrently.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import type { LinkRedemption } from '../../src/flows/token-store.js';
import type { NewAppPassword } from '../../src/tokens/app-password.js';
import type { NewToken, TokenRecord } from '../../src/tokens/token-record.js';
import type { User } from '../../src/policy/user.js';
import type { NewLinkRequest } from '../../src/tokens/link-request.js';
import { assertMigrated, migrateLatest, pendingMigrations } from '../../src/store/migrate.js';
import { openStore, type StoreHandle } from '../../src/store/open-store.js';
import {
  freshMariadb,
  freshPostgres,
  freshSchema,
  freshSqlite,
  ifMariadb,
  type FreshPostgres,
} from '../support/databases.js';

const T0 = Date.UTC(2025, 0, 15, 9, 30);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * 60 * MINUTE;

interface Backend {
  readonly name: string;
  open(): Promise<{ store: StoreHandle; cleanup: () => Promise<void> }>;
}

function sqliteBackend(): Backend {
  return {
    name: 'SQLite',
    async open() {
      const db = freshSqlite();
      const store = await openStore({ dsn: db.dsn }, { baseDir: db.dir });
      return { store, cleanup: () => store.close().finally(() => db.cleanup()) };
    },
  };
}

/** One database for this file, a fresh schema in it per test. */
function postgresBackend(): Backend {
  let database: Promise<FreshPostgres> | undefined;
  afterAll(async () => {
    if (database !== undefined) await (await database).cleanup();
  });
  return {
    name: 'PostgreSQL',
    async open() {
      database ??= freshPostgres();
      const schema = await freshSchema(await database);
      const store = await openStore({ dsn: schema.dsn }, { baseDir: process.cwd() });
      return { store, cleanup: () => store.close().finally(() => schema.cleanup()) };
    },
  };
}

/** A database of its own per test (cheap on MariaDB). */
function mariadbBackend(): Backend {
  return {
    name: 'MariaDB',
    async open() {
      const database = await freshMariadb();
      const store = await openStore({ dsn: database.dsn }, { baseDir: process.cwd() });
      return { store, cleanup: () => store.close().finally(() => database.cleanup()) };
    },
  };
}

const backends: Backend[] = [sqliteBackend(), postgresBackend(), ...ifMariadb('store', mariadbBackend())];

const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

function token(kind: NewToken['kind'], userId: number | null, overrides: Partial<NewToken> = {}): NewToken {
  return {
    hash: hashOf(`${kind}-${userId ?? 'none'}-${overrides.site ?? 'site.test'}`),
    kind,
    userId,
    site: 'site.test',
    createdAt: T0,
    expiresAt: T0 + 10 * MINUTE,
    absoluteExpiresAt: T0 + 90 * DAY,
    ...overrides,
  };
}

/** Redeems `link` on `site` at `now`, starting a fresh session of its user unless told otherwise. */
function redeem(
  store: StoreHandle,
  link: NewToken,
  site: string,
  now: number,
  overrides: Partial<LinkRedemption> = {},
): Promise<TokenRecord | undefined> {
  return store.tokens.redeemLink({
    hash: link.hash,
    site,
    now,
    session: token('session', link.userId, {
      hash: hashOf(randomBytes(16).toString('hex')),
      createdAt: now,
      expiresAt: now + DAY,
    }),
    replaces: undefined,
    audit: { at: now, event: 'login', site, address: 'ann@example.org' },
    ...overrides,
  });
}

describe.concurrent.each(backends)('store on $name', (backend) => {
  const it = test.extend<{ store: StoreHandle; empty: StoreHandle }>({
    // A fresh, migrated database per test.
    // eslint-disable-next-line no-empty-pattern
    store: async ({}, use) => {
      const { store, cleanup } = await backend.open();
      await migrateLatest(store.knex);
      await use(store);
      await cleanup();
    },
    // A fresh database with no tables at all.
    // eslint-disable-next-line no-empty-pattern
    empty: async ({}, use) => {
      const { store, cleanup } = await backend.open();
      await use(store);
      await cleanup();
    },
  });

  const person = (store: StoreHandle, email = 'ann@example.org'): Promise<User> =>
    store.users.findOrCreate(email, T0);

  describe('users', () => {
    it('creates a user on first sight, with the address as principal', async ({ store }) => {
      const user = await store.users.findOrCreate('ann@example.org', T0);
      expect(user).toEqual({
        id: expect.any(Number),
        email: 'ann@example.org',
        principal: 'ann@example.org',
        createdAt: T0,
        disabledAt: null,
      });
    });

    it('finds the same user the second time without changing it', async ({ store }) => {
      const first = await store.users.findOrCreate('ann@example.org', T0);
      const again = await store.users.findOrCreate('ann@example.org', T0 + DAY);
      expect(again).toEqual(first);
    });

    it('creates one user when twenty first logins race', async ({ store }) => {
      const users = await Promise.all(
        Array.from({ length: 20 }, () => store.users.findOrCreate('ann@example.org', T0)),
      );
      expect(new Set(users.map((user) => user.id)).size).toBe(1);
      expect(await store.users.list()).toHaveLength(1);
    });

    it('looks users up by address and id', async ({ store }) => {
      const ann = await person(store);
      expect(await store.users.byEmail('ann@example.org')).toEqual(ann);
      expect(await store.users.byId(ann.id)).toEqual(ann);
      expect(await store.users.byEmail('bob@example.org')).toBeUndefined();
      expect(await store.users.byId(ann.id + 1)).toBeUndefined();
    });

    it('disables and re-enables a user', async ({ store }) => {
      await person(store);
      expect(await store.users.setDisabled('ann@example.org', T0 + MINUTE)).toBe(true);
      expect((await store.users.byEmail('ann@example.org'))?.disabledAt).toBe(T0 + MINUTE);
      expect(await store.users.setDisabled('ann@example.org', null)).toBe(true);
      expect((await store.users.byEmail('ann@example.org'))?.disabledAt).toBeNull();
    });

    it('reports that an unknown address cannot be disabled', async ({ store }) => {
      expect(await store.users.setDisabled('nobody@example.org', T0)).toBe(false);
    });

    it('lists users with the newest use of their sessions', async ({ store }) => {
      const ann = await person(store);
      const bob = await person(store, 'bob@example.org');
      await store.tokens.insert(token('session', ann.id, { hash: hashOf('a1'), createdAt: T0 + MINUTE }));
      await store.tokens.insert(token('session', ann.id, { hash: hashOf('a2'), createdAt: T0 + 2 * MINUTE }));
      await store.tokens.touch(hashOf('a1'), T0 + DAY, T0 + 5 * MINUTE);
      await store.tokens.insert(token('link', bob.id, { hash: hashOf('b1') }));
      expect(await store.users.list()).toEqual([
        { ...ann, lastSeenAt: T0 + 5 * MINUTE },
        { ...bob, lastSeenAt: null },
      ]);
    });
  });

  describe('acl', () => {
    it('stores rows and finds them by domain and address', async ({ store }) => {
      await store.acl.put(
        [
          { domain: 'site.test', address: 'example.org', allow: true },
          { domain: '', address: 'bob@example.org', allow: false },
        ],
        T0,
      );
      const found = await store.acl.find(['site.test', ''], ['bob@example.org', 'example.org']);
      expect(found).toHaveLength(2);
      expect(found).toEqual(
        expect.arrayContaining([
          { domain: 'site.test', address: 'example.org', allow: true },
          { domain: '', address: 'bob@example.org', allow: false },
        ]),
      );
    });

    it('finds only the requested pairs', async ({ store }) => {
      await store.acl.put(
        [
          { domain: 'site.test', address: 'example.org', allow: true },
          { domain: 'other.test', address: 'example.org', allow: true },
        ],
        T0,
      );
      expect(await store.acl.find(['site.test'], ['example.org'])).toEqual([
        { domain: 'site.test', address: 'example.org', allow: true },
      ]);
      expect(await store.acl.find([], ['example.org'])).toEqual([]);
      expect(await store.acl.find(['site.test'], [])).toEqual([]);
    });

    it('turns an allow row into a deny row', async ({ store }) => {
      await store.acl.put([{ domain: 'site.test', address: 'ann@example.org', allow: true }], T0);
      await store.acl.put([{ domain: 'site.test', address: 'ann@example.org', allow: false }], T0 + MINUTE);
      expect(await store.acl.list()).toEqual([
        { domain: 'site.test', address: 'ann@example.org', allow: false },
      ]);
    });

    it('lists every row or one domain, sorted', async ({ store }) => {
      await store.acl.put(
        [
          { domain: 'site.test', address: 'z.example', allow: true },
          { domain: '', address: 'example.org', allow: true },
          { domain: 'site.test', address: 'a.example', allow: false },
        ],
        T0,
      );
      expect((await store.acl.list()).map((row) => `${row.domain}|${row.address}`)).toEqual([
        '|example.org',
        'site.test|a.example',
        'site.test|z.example',
      ]);
      expect((await store.acl.list('site.test')).map((row) => row.address)).toEqual([
        'a.example',
        'z.example',
      ]);
    });

    it('stores all rows of a put or none', async ({ store }) => {
      const put = store.acl.put(
        [
          { domain: 'site.test', address: 'ann@example.org', allow: true },
          { domain: 'site.test', address: '', allow: true },
        ],
        T0,
      );
      await expect(put).rejects.toThrow();
      expect(await store.acl.list()).toEqual([]);
    });
  });

  describe('tokens', () => {
    it('returns an inserted token as stored', async ({ store }) => {
      const ann = await person(store);
      const link = token('link', ann.id, {
        forward: 'https://site.test/a?b=c',
        pendingHash: hashOf('pending'),
      });
      await store.tokens.insert(link);
      expect(await store.tokens.get(link.hash)).toEqual({
        hash: link.hash,
        kind: 'link',
        userId: ann.id,
        site: 'site.test',
        createdAt: T0,
        expiresAt: T0 + 10 * MINUTE,
        absoluteExpiresAt: T0 + 90 * DAY,
        usedAt: null,
        revokedAt: null,
        lastSeenAt: null,
        forward: 'https://site.test/a?b=c',
        pendingHash: hashOf('pending'),
        clientIp: null,
        language: null,
      });
    });

    it('keeps the language of the browser that asked for a link', async ({ store }) => {
      const ann = await person(store);
      const link = token('link', ann.id, { language: 'de' });
      await store.tokens.insert(link);
      expect((await store.tokens.get(link.hash))?.language).toBe('de');
    });

    it('stores a pending-browser token without a user', async ({ store }) => {
      const pending = token('pending', null);
      await store.tokens.insert(pending);
      expect(await store.tokens.get(pending.hash)).toMatchObject({ kind: 'pending', userId: null });
    });

    it('answers undefined for an unknown hash', async ({ store }) => {
      expect(await store.tokens.get(hashOf('unknown'))).toBeUndefined();
      expect(await store.tokens.session(hashOf('unknown'))).toBeUndefined();
    });

    it('joins a session or API token with its user', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(token('session', ann.id));
      await store.tokens.insert(token('api', ann.id));
      const session = await store.tokens.session(token('session', ann.id).hash);
      expect(session?.user).toEqual(ann);
      expect(session?.token).toMatchObject({ kind: 'session', userId: ann.id, lastSeenAt: T0 });
      expect((await store.tokens.session(token('api', ann.id).hash))?.token.kind).toBe('api');
    });

    it('does not accept a link or pending token as a session', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(token('link', ann.id));
      await store.tokens.insert(token('pending', null));
      expect(await store.tokens.session(token('link', ann.id).hash)).toBeUndefined();
      expect(await store.tokens.session(token('pending', null).hash)).toBeUndefined();
    });

    it('slides a session and records when it was seen', async ({ store }) => {
      const ann = await person(store);
      const session = token('session', ann.id, { expiresAt: T0 + 14 * DAY });
      await store.tokens.insert(session);
      await store.tokens.touch(session.hash, T0 + 15 * DAY, T0 + DAY);
      expect(await store.tokens.get(session.hash)).toMatchObject({
        expiresAt: T0 + 15 * DAY,
        lastSeenAt: T0 + DAY,
      });
    });

    it('revokes a token once, keeping the first time', async ({ store }) => {
      const ann = await person(store);
      const session = token('session', ann.id);
      await store.tokens.insert(session);
      await store.tokens.revoke(session.hash, T0 + MINUTE);
      await store.tokens.revoke(session.hash, T0 + 2 * MINUTE);
      expect((await store.tokens.get(session.hash))?.revokedAt).toBe(T0 + MINUTE);
    });

    it("revokes a user's sessions and links but not their API tokens", async ({ store }) => {
      const ann = await person(store);
      const bob = await person(store, 'bob@example.org');
      for (const kind of ['session', 'link', 'api'] as const) await store.tokens.insert(token(kind, ann.id));
      await store.tokens.insert(token('session', bob.id));
      expect(await store.tokens.revokeUser(ann.id, T0 + MINUTE)).toBe(2);
      expect((await store.tokens.get(token('session', ann.id).hash))?.revokedAt).toBe(T0 + MINUTE);
      expect((await store.tokens.get(token('link', ann.id).hash))?.revokedAt).toBe(T0 + MINUTE);
      expect((await store.tokens.get(token('api', ann.id).hash))?.revokedAt).toBeNull();
      expect((await store.tokens.get(token('session', bob.id).hash))?.revokedAt).toBeNull();
    });

    it("revokes a user's API tokens too when asked", async ({ store }) => {
      const ann = await person(store);
      for (const kind of ['session', 'api'] as const) await store.tokens.insert(token(kind, ann.id));
      expect(await store.tokens.revokeUser(ann.id, T0 + MINUTE, true)).toBe(2);
      expect((await store.tokens.get(token('api', ann.id).hash))?.revokedAt).toBe(T0 + MINUTE);
    });

    it('counts only what was still usable when revoking a user', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(token('link', ann.id, { hash: hashOf('used') }));
      // The session it starts has run out by the time the user is revoked.
      const session = token('session', ann.id, { hash: hashOf('from-link'), expiresAt: T0 + MINUTE });
      await redeem(store, token('link', ann.id, { hash: hashOf('used') }), 'site.test', T0 + MINUTE, {
        session,
      });
      await store.tokens.insert(token('session', ann.id, { hash: hashOf('idle'), expiresAt: T0 + MINUTE }));
      await store.tokens.insert(token('session', ann.id, { hash: hashOf('live'), expiresAt: T0 + DAY }));
      expect(await store.tokens.revokeUser(ann.id, T0 + 2 * MINUTE)).toBe(1);
      expect((await store.tokens.get(hashOf('live')))?.revokedAt).toBe(T0 + 2 * MINUTE);
      expect((await store.tokens.get(hashOf('used')))?.revokedAt).toBeNull();
    });

    it('removes a token', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(token('link', ann.id));
      await store.tokens.remove(token('link', ann.id).hash);
      expect(await store.tokens.get(token('link', ann.id).hash)).toBeUndefined();
    });

    it('purges tokens expired before the given time and keeps the others', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(token('link', ann.id, { hash: hashOf('old'), expiresAt: T0 - MINUTE }));
      await store.tokens.insert(
        token('session', ann.id, { hash: hashOf('capped'), expiresAt: T0 + DAY, absoluteExpiresAt: T0 - 1 }),
      );
      await store.tokens.insert(token('session', ann.id, { hash: hashOf('live'), expiresAt: T0 + DAY }));
      expect(await store.tokens.purge(T0)).toBe(2);
      expect(await store.tokens.get(hashOf('live'))).toBeDefined();
      expect(await store.tokens.get(hashOf('old'))).toBeUndefined();
    });

    it('keeps the hash of a secret and never the secret', async ({ store }) => {
      const ann = await person(store);
      const secret = randomBytes(32).toString('base64url');
      await store.tokens.insert(token('session', ann.id, { hash: hashOf(secret) }));
      const rows = JSON.stringify(await store.knex('tokens').select('*'));
      expect(rows).toContain(hashOf(secret));
      expect(rows).not.toContain(secret);
    });

    it('lists live sessions and API tokens with their owner, newest first', async ({ store }) => {
      const ann = await person(store);
      const bob = await person(store, 'bob@example.org');
      await store.tokens.insert(token('session', ann.id, { hash: hashOf('s1'), createdAt: T0 }));
      await store.tokens.insert(token('api', ann.id, { hash: hashOf('a1'), createdAt: T0 + MINUTE }));
      await store.tokens.insert(token('session', bob.id, { hash: hashOf('b1'), createdAt: T0 + 2 * MINUTE }));
      await store.tokens.insert(token('link', ann.id, { hash: hashOf('l1') }));
      await store.tokens.insert(token('pending', null, { hash: hashOf('p1') }));
      const live = await store.tokens.live(T0 + 3 * MINUTE);
      expect(live.map((row) => [row.email, row.token.kind, row.token.hash])).toEqual([
        ['bob@example.org', 'session', hashOf('b1')],
        ['ann@example.org', 'api', hashOf('a1')],
        ['ann@example.org', 'session', hashOf('s1')],
      ]);
      expect(live[2]?.token).toEqual(await store.tokens.get(hashOf('s1')));
    });

    it('lists the live tokens of one user only', async ({ store }) => {
      const ann = await person(store);
      const bob = await person(store, 'bob@example.org');
      await store.tokens.insert(token('session', ann.id));
      await store.tokens.insert(token('session', bob.id));
      const live = await store.tokens.live(T0, bob.id);
      expect(live.map((row) => row.email)).toEqual(['bob@example.org']);
    });

    it('leaves revoked and expired tokens out of the live list', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(token('session', ann.id, { hash: hashOf('revoked') }));
      await store.tokens.revoke(hashOf('revoked'), T0);
      await store.tokens.insert(token('session', ann.id, { hash: hashOf('idle'), expiresAt: T0 + MINUTE }));
      await store.tokens.insert(
        token('api', ann.id, { hash: hashOf('capped'), expiresAt: T0 + DAY, absoluteExpiresAt: T0 + MINUTE }),
      );
      await store.tokens.insert(token('session', ann.id, { hash: hashOf('live'), expiresAt: T0 + DAY }));
      const live = await store.tokens.live(T0 + MINUTE);
      expect(live.map((row) => row.token.hash)).toEqual([hashOf('live')]);
    });

    it('refuses a raw secret where the hash belongs', async ({ store }) => {
      const ann = await person(store);
      const secret = randomBytes(32).toString('base64url');
      await expect(store.tokens.insert(token('session', ann.id, { hash: secret }))).rejects.toThrow();
      expect(await store.knex('tokens').count({ n: '*' })).toEqual([{ n: 0 }]);
    });
  });

  describe('tokens.redeemLink', () => {
    const link = (userId: number, overrides: Partial<NewToken> = {}) => token('link', userId, overrides);
    const tokenCount = async (store: StoreHandle) =>
      Number((await store.knex('tokens').count({ n: '*' }))[0]?.n);
    const logins = async (store: StoreHandle) =>
      (await store.audit.list({ limit: 100 })).filter((entry) => entry.event === 'login');

    it('hands an unused link to its first user and marks it used', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(link(ann.id, { forward: '/page' }));
      const consumed = await redeem(store, link(ann.id), 'site.test', T0 + MINUTE);
      expect(consumed).toMatchObject({
        hash: link(ann.id).hash,
        userId: ann.id,
        usedAt: T0 + MINUTE,
        forward: '/page',
      });
      expect((await store.tokens.get(link(ann.id).hash))?.usedAt).toBe(T0 + MINUTE);
    });

    it('starts the session, revokes the one it replaces and records the login', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(link(ann.id));
      const old = token('session', ann.id, { hash: hashOf('old'), expiresAt: T0 + DAY });
      await store.tokens.insert(old);
      const session = token('session', ann.id, { hash: hashOf('new'), expiresAt: T0 + DAY });
      await redeem(store, link(ann.id), 'site.test', T0 + MINUTE, { session, replaces: old.hash });
      expect((await store.tokens.session(session.hash))?.user.id).toBe(ann.id);
      expect((await store.tokens.get(old.hash))?.revokedAt).toBe(T0 + MINUTE);
      expect(await logins(store)).toMatchObject([{ at: T0 + MINUTE, site: 'site.test', address: ann.email }]);
    });

    it('writes nothing and leaves the link usable when the session cannot be inserted', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(link(ann.id));
      const taken = token('session', ann.id, { hash: hashOf('taken'), expiresAt: T0 + DAY });
      await store.tokens.insert(taken);
      const before = await tokenCount(store);
      await expect(
        redeem(store, link(ann.id), 'site.test', T0 + MINUTE, { session: taken }),
      ).rejects.toThrow();
      expect((await store.tokens.get(link(ann.id).hash))?.usedAt).toBeNull();
      expect(await tokenCount(store)).toBe(before);
      expect(await logins(store)).toEqual([]);
      expect(await redeem(store, link(ann.id), 'site.test', T0 + 2 * MINUTE)).toBeDefined();
    });

    it('writes nothing and leaves the link usable when the login cannot be recorded', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(link(ann.id));
      const old = token('session', ann.id, { hash: hashOf('old'), expiresAt: T0 + DAY });
      await store.tokens.insert(old);
      const before = await tokenCount(store);
      // The audit table refuses an entry without an event name (NOT NULL).
      const broken = { at: T0 + MINUTE, event: null as unknown as string };
      await expect(
        redeem(store, link(ann.id), 'site.test', T0 + MINUTE, { replaces: old.hash, audit: broken }),
      ).rejects.toThrow();
      expect((await store.tokens.get(link(ann.id).hash))?.usedAt).toBeNull();
      expect((await store.tokens.get(old.hash))?.revokedAt).toBeNull();
      expect(await tokenCount(store)).toBe(before);
      expect(await redeem(store, link(ann.id), 'site.test', T0 + 2 * MINUTE)).toBeDefined();
    });

    it('refuses a link that was already used, starting no second session', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(link(ann.id));
      await redeem(store, link(ann.id), 'site.test', T0 + MINUTE);
      const before = await tokenCount(store);
      expect(await redeem(store, link(ann.id), 'site.test', T0 + 2 * MINUTE)).toBeUndefined();
      expect((await store.tokens.get(link(ann.id).hash))?.usedAt).toBe(T0 + MINUTE);
      expect(await tokenCount(store)).toBe(before);
      expect(await logins(store)).toHaveLength(1);
    });

    it('refuses an expired link, also at the exact expiry time', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(link(ann.id));
      expect(await redeem(store, link(ann.id), 'site.test', T0 + 10 * MINUTE)).toBeUndefined();
      expect((await store.tokens.get(link(ann.id).hash))?.usedAt).toBeNull();
    });

    it('refuses a revoked link', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(link(ann.id));
      await store.tokens.revoke(link(ann.id).hash, T0);
      expect(await redeem(store, link(ann.id), 'site.test', T0 + MINUTE)).toBeUndefined();
    });

    it('refuses a link on another site and leaves it usable on its own', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(link(ann.id));
      expect(await redeem(store, link(ann.id), 'other.test', T0 + MINUTE)).toBeUndefined();
      expect(await redeem(store, link(ann.id), 'site.test', T0 + MINUTE)).toBeDefined();
    });

    it('refuses a token that is not a link', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(token('session', ann.id));
      expect(await redeem(store, token('session', ann.id), 'site.test', T0 + MINUTE)).toBeUndefined();
    });

    it('gives the link to exactly one of twenty simultaneous users', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(link(ann.id));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => redeem(store, link(ann.id), 'site.test', T0 + i + 1)),
      );
      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      expect((await store.tokens.get(link(ann.id).hash))?.usedAt).toBe(winners[0]?.usedAt);
      expect(await logins(store)).toHaveLength(1);
      expect(await tokenCount(store)).toBe(2);
    });
  });

  describe('appPasswords', () => {
    const newPassword = (userId: number, overrides: Partial<NewAppPassword> = {}): NewAppPassword => ({
      id: 'a1b2c3d4e5f6',
      userId,
      site: 'site.test',
      label: 'feed reader',
      createdAt: T0,
      expiresAt: T0 + 90 * DAY,
      revealHash: hashOf('reveal'),
      revealSite: 'site.test',
      revealExpiresAt: T0 + DAY,
      ...overrides,
    });

    it('reveals once: exactly one of twenty simultaneous reveals makes the token', async ({ store }) => {
      const ann = await person(store);
      await store.appPasswords.create(newPassword(ann.id));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appPasswords.reveal(hashOf('reveal'), 'site.test', hashOf(`password-${i}`), T0 + MINUTE),
        ),
      );
      const won = results.flatMap((r, i) => (r.kind === 'revealed' ? [i] : []));
      expect(won).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'used')).toHaveLength(19);
      const view = await store.tokens.session(hashOf(`password-${won[0]!}`));
      expect(view?.token).toMatchObject({ kind: 'api', site: 'site.test', expiresAt: T0 + 90 * DAY });
      expect(view?.user.email).toBe('ann@example.org');
      const [listed] = await store.appPasswords.list(ann.id);
      expect(listed).toMatchObject({ label: 'feed reader', revealedAt: T0 + MINUTE, lastUsedAt: null });
      expect(listed?.tokenHash).toBe(hashOf(`password-${won[0]!}`));
    });

    it('refuses a reveal on another site, past its expiry or after revoke', async ({ store }) => {
      const ann = await person(store);
      await store.appPasswords.create(newPassword(ann.id));
      expect((await store.appPasswords.reveal(hashOf('reveal'), 'other.test', hashOf('p'), T0)).kind).toBe(
        'not-found',
      );
      expect((await store.appPasswords.reveal(hashOf('nothing'), 'site.test', hashOf('p'), T0)).kind).toBe(
        'not-found',
      );
      expect(
        (await store.appPasswords.reveal(hashOf('reveal'), 'site.test', hashOf('p'), T0 + DAY)).kind,
      ).toBe('expired');
      await store.appPasswords.create(newPassword(ann.id, { id: 'second', revealHash: hashOf('reveal-2') }));
      expect(await store.appPasswords.revoke('second', T0)).toMatchObject({ id: 'second', revokedAt: T0 });
      expect((await store.appPasswords.reveal(hashOf('reveal-2'), 'site.test', hashOf('p'), T0)).kind).toBe(
        'expired',
      );
      expect(await store.tokens.get(hashOf('p'))).toBeUndefined();
    });

    it("revokes only the owner's password, and its token with it", async ({ store }) => {
      const ann = await person(store);
      const bob = await person(store, 'bob@example.org');
      await store.appPasswords.create(newPassword(ann.id));
      await store.appPasswords.reveal(hashOf('reveal'), 'site.test', hashOf('p'), T0);
      expect(await store.appPasswords.revoke('a1b2c3d4e5f6', T0 + MINUTE, bob.id)).toBeUndefined();
      expect((await store.tokens.session(hashOf('p')))?.token.revokedAt).toBeNull();
      expect(await store.appPasswords.revoke('a1b2c3d4e5f6', T0 + MINUTE, ann.id)).toBeDefined();
      expect((await store.tokens.session(hashOf('p')))?.token.revokedAt).toBe(T0 + MINUTE);
      expect(await store.appPasswords.list()).toEqual([]);
      expect(await store.appPasswords.revoke('a1b2c3d4e5f6', T0 + 2 * MINUTE)).toBeUndefined();
    });

    it('ends unrevealed app passwords with the API tokens of a user', async ({ store }) => {
      const ann = await person(store);
      await store.appPasswords.create(newPassword(ann.id));
      await store.tokens.revokeUser(ann.id, T0, false);
      expect(await store.appPasswords.list(ann.id)).toHaveLength(1);
      await store.tokens.revokeUser(ann.id, T0, true);
      expect(await store.appPasswords.list(ann.id)).toEqual([]);
      expect((await store.appPasswords.reveal(hashOf('reveal'), 'site.test', hashOf('p'), T0)).kind).toBe(
        'expired',
      );
    });

    it('records the client address of a session', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(token('session', ann.id, { clientIp: '192.0.2.7' }));
      const [live] = await store.tokens.live(T0, ann.id);
      expect(live?.token.clientIp).toBe('192.0.2.7');
    });
  });

  describe('linkRequests', () => {
    const pendingHash = hashOf('pending-1');
    const request = (overrides: Partial<NewLinkRequest> = {}): NewLinkRequest => ({
      pendingHash,
      site: 'site.test',
      address: 'ann@example.org',
      forward: 'http://site.test/page',
      codeHash: hashOf('code-1'),
      createdAt: T0,
      expiresAt: T0 + 10 * MINUTE,
      ...overrides,
    });
    /** A link mailed for the request, as request-link issues it. */
    const linkOf = (userId: number) => token('link', userId, { hash: hashOf('link-1'), pendingHash });

    it('keeps a request under its pending hash, with no wrong tries yet', async ({ store }) => {
      await store.linkRequests.insert(request());
      expect(await store.linkRequests.get(pendingHash)).toEqual({
        ...request(),
        codeTries: 0,
        endedAt: null,
      });
      expect(await store.linkRequests.get(hashOf('other'))).toBeUndefined();
    });

    it('finds the link mailed for a request by its pending hash', async ({ store }) => {
      const ann = await person(store);
      await store.tokens.insert(linkOf(ann.id));
      await store.tokens.insert(token('session', ann.id, { hash: hashOf('s'), pendingHash }));
      expect((await store.tokens.linkByPending(pendingHash))?.hash).toBe(linkOf(ann.id).hash);
      expect(await store.tokens.linkByPending(hashOf('other'))).toBeUndefined();
    });

    it('counts wrong codes down, and the fifth ends the request and revokes its link', async ({ store }) => {
      const ann = await person(store);
      await store.linkRequests.insert(request());
      await store.tokens.insert(linkOf(ann.id));
      const left = [];
      for (let i = 1; i <= 5; i++)
        left.push(await store.linkRequests.wrongCode(pendingHash, 5, T0 + i * 1000));
      expect(left).toEqual([4, 3, 2, 1, 0]);
      expect(await store.linkRequests.get(pendingHash)).toMatchObject({ codeTries: 5, endedAt: T0 + 5000 });
      expect((await store.tokens.get(linkOf(ann.id).hash))?.revokedAt).toBe(T0 + 5000);
      expect(await redeem(store, linkOf(ann.id), 'site.test', T0 + MINUTE)).toBeUndefined();
      // Further tries change nothing.
      expect(await store.linkRequests.wrongCode(pendingHash, 5, T0 + MINUTE)).toBe(0);
      expect(await store.linkRequests.get(pendingHash)).toMatchObject({ codeTries: 5, endedAt: T0 + 5000 });
    });

    it('counts no more than five of twenty parallel wrong codes, and ends the request once', async ({
      store,
    }) => {
      const ann = await person(store);
      await store.linkRequests.insert(request());
      await store.tokens.insert(linkOf(ann.id));
      const left = await Promise.all(
        Array.from({ length: 20 }, () => store.linkRequests.wrongCode(pendingHash, 5, T0 + MINUTE)),
      );
      expect([...left].sort()).toEqual([...Array<number>(16).fill(0), 1, 2, 3, 4]);
      expect(await store.linkRequests.get(pendingHash)).toMatchObject({ codeTries: 5, endedAt: T0 + MINUTE });
      expect((await store.tokens.get(linkOf(ann.id).hash))?.revokedAt).toBe(T0 + MINUTE);
    });

    it('leaves a link already used alone when the tries run out', async ({ store }) => {
      const ann = await person(store);
      await store.linkRequests.insert(request());
      await store.tokens.insert(linkOf(ann.id));
      expect(await redeem(store, linkOf(ann.id), 'site.test', T0 + MINUTE)).toBeDefined();
      for (let i = 0; i < 5; i++) await store.linkRequests.wrongCode(pendingHash, 5, T0 + 2 * MINUTE);
      expect(await store.tokens.get(linkOf(ann.id).hash)).toMatchObject({
        usedAt: T0 + MINUTE,
        revokedAt: null,
      });
    });

    it('lets one of parallel tries win: a link use against the fifth wrong code', async ({ store }) => {
      const ann = await person(store);
      await store.linkRequests.insert(request());
      await store.tokens.insert(linkOf(ann.id));
      for (let i = 0; i < 4; i++) await store.linkRequests.wrongCode(pendingHash, 5, T0);
      const [used, left] = await Promise.all([
        redeem(store, linkOf(ann.id), 'site.test', T0 + MINUTE),
        store.linkRequests.wrongCode(pendingHash, 5, T0 + MINUTE),
      ]);
      expect(left).toBe(0);
      const link = await store.tokens.get(linkOf(ann.id).hash);
      // Exactly one of the two took the link: used (and so not revoked), or revoked (and not used).
      if (used === undefined) expect(link).toMatchObject({ usedAt: null, revokedAt: T0 + MINUTE });
      else expect(link).toMatchObject({ usedAt: T0 + MINUTE, revokedAt: null });
    });

    it('purges requests expired before the given time', async ({ store }) => {
      await store.linkRequests.insert(request());
      await store.linkRequests.insert(request({ pendingHash: hashOf('later'), expiresAt: T0 + DAY }));
      expect(await store.linkRequests.purge(T0 + HOUR)).toBe(1);
      expect(await store.linkRequests.get(pendingHash)).toBeUndefined();
      expect(await store.linkRequests.get(hashOf('later'))).toBeDefined();
    });
  });

  describe('limits', () => {
    it('counts hits per key and window', async ({ store }) => {
      expect(await store.limits.hit('ip:192.0.2.1', T0)).toBe(1);
      expect(await store.limits.hit('ip:192.0.2.1', T0)).toBe(2);
      expect(await store.limits.hit('ip:192.0.2.2', T0)).toBe(1);
      expect(await store.limits.hit('ip:192.0.2.1', T0 + 15 * MINUTE)).toBe(1);
    });

    it('loses no hit when twenty arrive at once', async ({ store }) => {
      const counts = await Promise.all(
        Array.from({ length: 20 }, () => store.limits.hit('addr:ann@example.org', T0)),
      );
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store.limits.hit('addr:ann@example.org', T0)).toBe(21);
    });

    it('purges windows that started before the given time', async ({ store }) => {
      await store.limits.hit('k', T0 - 15 * MINUTE);
      await store.limits.hit('k', T0);
      expect(await store.limits.purge(T0)).toBe(1);
      expect(await store.limits.hit('k', T0)).toBe(2);
      expect(await store.limits.hit('k', T0 - 15 * MINUTE)).toBe(1);
    });
  });

  describe('audit', () => {
    it('records an event', async ({ store }) => {
      await store.audit.record({ at: T0, event: 'link-sent', site: 'site.test', address: 'ann@example.org' });
      expect(await store.knex('audit').select('at', 'event', 'site', 'address', 'ip', 'detail')).toEqual([
        { at: T0, event: 'link-sent', site: 'site.test', address: 'ann@example.org', ip: null, detail: null },
      ]);
    });
  });

  describe('audit.list', () => {
    const record = (store: StoreHandle, at: number, event: string, site: string, address: string) =>
      store.audit.record({ at, event, site, address, ip: '192.0.2.1', detail: `${event} at ${at}` });

    it('reads events back newest first, same-time events in reverse order of recording', async ({
      store,
    }) => {
      await record(store, T0, 'link-sent', 'site.test', 'ann@example.org');
      await record(store, T0 + MINUTE, 'login', 'site.test', 'ann@example.org');
      await record(store, T0 + MINUTE, 'logout', 'site.test', 'ann@example.org');
      const entries = await store.audit.list({ limit: 10 });
      expect(entries.map((entry) => entry.event)).toEqual(['logout', 'login', 'link-sent']);
      expect(entries[2]).toEqual({
        id: expect.any(Number),
        at: T0,
        event: 'link-sent',
        site: 'site.test',
        address: 'ann@example.org',
        ip: '192.0.2.1',
        detail: `link-sent at ${T0}`,
      });
    });

    it('filters by time, address and site, and stops at the limit', async ({ store }) => {
      await record(store, T0, 'login', 'site.test', 'ann@example.org');
      await record(store, T0 + MINUTE, 'login', 'other.test', 'ann@example.org');
      await record(store, T0 + 2 * MINUTE, 'login', 'site.test', 'bob@example.org');
      await record(store, T0 + 3 * MINUTE, 'denied', 'site.test', 'ann@example.org');
      const ats = async (query: Parameters<StoreHandle['audit']['list']>[0]) =>
        (await store.audit.list(query)).map((entry) => entry.at - T0);
      expect(await ats({ since: T0 + MINUTE, limit: 10 })).toEqual([3, 2, 1].map((m) => m * MINUTE));
      expect(await ats({ address: 'ann@example.org', limit: 10 })).toEqual([3, 1, 0].map((m) => m * MINUTE));
      expect(await ats({ site: 'site.test', address: 'ann@example.org', limit: 10 })).toEqual([
        3 * MINUTE,
        0,
      ]);
      expect(await ats({ limit: 2 })).toEqual([3 * MINUTE, 2 * MINUTE]);
    });

    it('purges events older than the given time and keeps the others', async ({ store }) => {
      await record(store, T0 - DAY, 'login', 'site.test', 'ann@example.org');
      await record(store, T0, 'logout', 'site.test', 'ann@example.org');
      expect(await store.audit.purge(T0)).toBe(1);
      expect((await store.audit.list({ limit: 10 })).map((entry) => entry.event)).toEqual(['logout']);
    });
  });

  describe('ping', () => {
    it('resolves while the database answers', async ({ store }) => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });

  describe('migrations', () => {
    it('lists every migration as pending on an empty database, without creating anything', async ({
      empty,
    }) => {
      expect(await pendingMigrations(empty.knex)).toEqual([
        '0001-initial',
        '0002-app-passwords',
        '0003-link-codes',
        '0004-link-language',
      ]);
      expect(await empty.knex.schema.hasTable('forgetpw_migrations')).toBe(false);
    });

    it('applies the pending migrations once; a second run is a no-op', async ({ empty }) => {
      expect(await migrateLatest(empty.knex)).toEqual([
        '0001-initial',
        '0002-app-passwords',
        '0003-link-codes',
        '0004-link-language',
      ]);
      expect(await migrateLatest(empty.knex)).toEqual([]);
      expect(await pendingMigrations(empty.knex)).toEqual([]);
      expect(await empty.users.list()).toEqual([]);
    });

    it('refuses an unmigrated database with DB_NOT_MIGRATED', async ({ empty }) => {
      await expect(assertMigrated(empty.knex)).rejects.toMatchObject({
        code: 'DB_NOT_MIGRATED',
        message: expect.stringContaining('forgetpw init'),
      });
    });

    it('accepts a migrated database', async ({ store }) => {
      await expect(assertMigrated(store.knex)).resolves.toBeUndefined();
    });
  });
});
