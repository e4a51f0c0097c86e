/**
 * Fills a migrated store with `count` live sessions, one user each, all listed for `site`
 * through one e-mail-domain row (the common set-up: "everyone at example.org"). Fast enough
 * for a million rows: SQLite gets one transaction of prepared inserts in hash order (the
 * primary key then grows at its end), PostgreSQL and MariaDB multi-row inserts in one transaction.
 */
import type { Database } from 'better-sqlite3';
import type { Knex } from 'knex';
import type { StoreHandle } from '../src/store/open-store.js';
import { benchHash } from './bench-secret.js';

export interface SeedPlan {
  readonly count: number;
  readonly site: string;
  /** Creation time of every session and user (epoch ms). */
  readonly createdAt: number;
  /** Idle expiry of every session: creation + the idle lifetime, so no slide is due for an hour. */
  readonly expiresAt: number;
  readonly absoluteExpiresAt: number;
}

/** `count` sessions for `site` made a minute ago, with the idle and absolute lifetimes of `expiry` (seconds). */
export function livePlan(
  count: number,
  site: string,
  expiry: { readonly cookie: number; readonly absolute: number },
): SeedPlan {
  const createdAt = Date.now() - 60_000;
  return {
    count,
    site,
    createdAt,
    expiresAt: createdAt + expiry.cookie * 1000,
    absoluteExpiresAt: createdAt + expiry.absolute * 1000,
  };
}

export const BENCH_DOMAIN = 'example.org';

export const benchEmail = (index: number): string => `user${String(index).padStart(7, '0')}@${BENCH_DOMAIN}`;

export async function seedSessions(store: StoreHandle, plan: SeedPlan): Promise<void> {
  await store.acl.put([{ domain: plan.site, address: BENCH_DOMAIN, allow: true }], plan.createdAt);
  if (store.dialect === 'sqlite') await seedSqlite(store.knex, plan);
  else await seedBatched(store.knex, plan, store.dialect);
}

interface TokenRow {
  readonly hash: string;
  readonly userId: number;
}

/** User ids are index + 1; tokens sorted by hash for append-only primary-key inserts. */
function tokenRows(count: number): TokenRow[] {
  const rows = Array.from({ length: count }, (_, index) => ({ hash: benchHash(index), userId: index + 1 }));
  return rows.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
}

async function seedSqlite(knex: Knex, plan: SeedPlan): Promise<void> {
  const client = knex.client as {
    acquireConnection(): Promise<Database>;
    releaseConnection(db: Database): Promise<void>;
  };
  const db = await client.acquireConnection();
  try {
    // A lost seed is re-made; no need to wait for the disk on each page.
    db.pragma('synchronous = OFF');
    const user = db.prepare('insert into users (id, email, principal, created_at) values (?, ?, ?, ?)');
    const token = db.prepare(
      `insert into tokens (hash, kind, user_id, site, created_at, expires_at, absolute_expires_at, last_seen_at)
       values (?, 'session', ?, ?, ?, ?, ?, ?)`,
    );
    const rows = tokenRows(plan.count);
    db.transaction(() => {
      for (let index = 0; index < plan.count; index++) {
        const email = benchEmail(index);
        user.run(index + 1, email, email, plan.createdAt);
      }
      for (const row of rows) {
        token.run(
          row.hash,
          row.userId,
          plan.site,
          plan.createdAt,
          plan.expiresAt,
          plan.absoluteExpiresAt,
          plan.createdAt,
        );
      }
    })();
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    await client.releaseConnection(db);
  }
}

/** 65,535 bind parameters per statement at most: 5,000 rows of 7 columns stay under it. */
const PG_BATCH = 5000;

async function seedBatched(knex: Knex, plan: SeedPlan, dialect: 'postgres' | 'mysql'): Promise<void> {
  const rows = tokenRows(plan.count);
  await knex.transaction(async (trx) => {
    for (let start = 0; start < plan.count; start += PG_BATCH) {
      const end = Math.min(plan.count, start + PG_BATCH);
      const users = [];
      for (let index = start; index < end; index++) {
        const email = benchEmail(index);
        users.push({ id: index + 1, email, principal: email, created_at: plan.createdAt });
      }
      await trx('users').insert(users);
    }
    for (let start = 0; start < rows.length; start += PG_BATCH) {
      await trx('tokens').insert(
        rows.slice(start, start + PG_BATCH).map((row) => ({
          hash: row.hash,
          kind: 'session',
          user_id: row.userId,
          site: plan.site,
          created_at: plan.createdAt,
          expires_at: plan.expiresAt,
          absolute_expires_at: plan.absoluteExpiresAt,
          last_seen_at: plan.createdAt,
        })),
      );
    }
    // Explicit ids leave PostgreSQL's sequence behind; a later first login must not collide.
    // (MariaDB's AUTO_INCREMENT moves past explicit ids by itself.)
    if (dialect === 'postgres') {
      await trx.raw(`select setval(pg_get_serial_sequence('users', 'id'), ?)`, [plan.count + 1]);
    }
  });
  await knex.raw(dialect === 'postgres' ? 'analyze' : 'analyze table users, tokens, acl');
}
