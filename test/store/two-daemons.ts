/**
 * Two stores over one SQLite file, as two daemons sharing a database: `here` is the
 * daemon under test (its store gets the cache), `elsewhere` is another daemon or the
 * admin CLI on another host. Seeds one listed user with one live session on SITE.
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { pino } from 'pino';
import { createCachedStore } from '../../src/app/cached-store.js';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { checkSession, checkSessionNow, type SessionCheck } from '../../src/flows/check-session.js';
import type { FlowDeps } from '../../src/flows/flow-deps.js';
import type { Store } from '../../src/flows/store.js';
import type { User } from '../../src/policy/user.js';
import type { GateRequest } from '../../src/http/gate-request.js';
import { migrateLatest } from '../../src/store/migrate.js';
import { openStore, type StoreHandle } from '../../src/store/open-store.js';
import { freshSqlite } from '../support/databases.js';

export const SITE = 'site.test';
export const TTL_SECONDS = 5;
const HOUR = 3_600_000;

export class TestClock {
  constructor(public ms = Date.UTC(2026, 0, 12, 9, 0, 0)) {}
  now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface TwoDaemons {
  readonly clock: TestClock;
  readonly config: Config;
  /** The raw store of the daemon under test (its knex counts queries). */
  readonly raw: StoreHandle;
  /** The same store behind the cache, as the daemon under test uses it. */
  readonly cached: Store;
  /** Another daemon's store on the same database, without any cache. */
  readonly elsewhere: StoreHandle;
  readonly user: User;
  /** Secret of a live session of `user` on SITE. */
  readonly secret: string;
  /** Adds another live session of `user`; returns its secret. */
  addSession(o?: { expiresInMs?: number }): Promise<string>;
  /** checkSession as the daemon under test runs it for a request to SITE. */
  check(secret: string): Promise<SessionCheck>;
  /** checkSessionNow, the same check from the reads at hand alone (undefined: not decided there). */
  checkNow(secret: string): SessionCheck | undefined;
  /** The flows' dependencies of the daemon under test (its store is `cached`). */
  readonly deps: FlowDeps;
  /** SQL statements the daemon under test has sent so far, by their first word. */
  queries(kind?: 'select' | 'update'): number;
  close(): Promise<void>;
}

export const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export async function twoDaemons(o: { size?: number; slide?: string } = {}): Promise<TwoDaemons> {
  const db = freshSqlite();
  const clock = new TestClock();
  const config = loadConfig(path.join(db.dir, 'forgetpw.yml'), {
    env: {},
    allowMissing: true,
    base: {
      state: { dsn: db.dsn, expiry: { slide: o.slide ?? 'PT1H' } },
      email: { from: 'robot@example.org' },
      cache: { ttl: TTL_SECONDS, size: o.size ?? 100 },
    },
  });
  const raw = await openStore(config.state, { baseDir: db.dir });
  await migrateLatest(raw.knex);
  const elsewhere = await openStore(config.state, { baseDir: db.dir });
  const sql: string[] = [];
  raw.knex.on('query', (q: { sql: string }) => sql.push(q.sql.trimStart().split(/\s/)[0]!.toLowerCase()));
  const cached = createCachedStore(raw, { ttlSeconds: config.cache.ttl, size: config.cache.size, clock });

  const user = await elsewhere.users.findOrCreate('ada@example.org', clock.now());
  await elsewhere.acl.put([{ domain: SITE, address: user.email, allow: true }], clock.now());
  const addSession = async (s: { expiresInMs?: number } = {}): Promise<string> => {
    const secret = randomBytes(32).toString('base64url');
    await elsewhere.tokens.insert({
      hash: hashOf(secret),
      kind: 'session',
      userId: user.id,
      site: SITE,
      createdAt: clock.now(),
      expiresAt: clock.now() + (s.expiresInMs ?? 14 * 24 * HOUR),
      absoluteExpiresAt: clock.now() + 90 * 24 * HOUR,
    });
    return secret;
  };
  const secret = await addSession();
  const deps = flowDeps(config, cached, clock);
  return {
    clock,
    config,
    raw,
    cached,
    elsewhere,
    user,
    secret,
    addSession,
    check: (s) => checkSession(deps, request(), s),
    checkNow: (s) => checkSessionNow(deps, request(), s),
    deps,
    queries: (kind) => sql.filter((word) => kind === undefined || word === kind).length,
    close: async () => {
      await raw.close();
      await elsewhere.close();
      db.cleanup();
    },
  };
}

/** Runs `test` against fresh daemons and closes them, whatever it does. */
export async function withDaemons(
  test: (d: TwoDaemons) => Promise<void>,
  o?: Parameters<typeof twoDaemons>[0],
): Promise<void> {
  const d = await twoDaemons(o);
  try {
    await test(d);
  } finally {
    await d.close();
  }
}

function flowDeps(config: Config, store: Store, clock: TestClock): FlowDeps {
  const unused = (): never => {
    throw new Error('not used by checkSession');
  };
  return {
    config,
    store,
    clock,
    mailer: { send: unused, verify: unused, close: unused },
    pages: { page: unused, serve: unused, mail: unused },
    random: { bytes: unused },
    log: pino({ level: 'silent' }),
    defer: unused,
  };
}

export function request(): GateRequest {
  return {
    role: 'authorizer',
    method: 'GET',
    scheme: 'https',
    host: SITE,
    authority: SITE,
    uri: '/page.html',
    path: '/page.html',
    query: '',
    headers: {},
    clientIp: '192.0.2.1',
    documentRoot: undefined,
    body: Buffer.alloc(0),
  };
}
