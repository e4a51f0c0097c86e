/**
 * Counts what the daemons wrote to a seeded store (issue 5: "show the write count").
 * Every seeded session has the same expiry and last-seen = creation, and no user has a
 * last-seen: a slide or stamp moves one of those; a throttle adds a `limits` row; an
 * audit event an `audit` row. On SQLite, `PRAGMA data_version` on our own connection
 * also tells whether any other connection committed anything at all.
 */
import type { Knex } from 'knex';
import type { StoreHandle } from '../src/store/open-store.js';

export interface WriteSnapshot {
  /** Session rows whose expiry, last-seen or revocation differs from the seed. */
  readonly tokensChanged: number;
  readonly usersStamped: number;
  readonly limitRows: number;
  readonly auditRows: number;
  /** SQLite only: changes each time another connection commits. */
  readonly dataVersion: number | undefined;
}

export async function writeSnapshot(
  store: StoreHandle,
  seed: { createdAt: number; expiresAt: number },
): Promise<WriteSnapshot> {
  const count = async (query: Knex.QueryBuilder): Promise<number> => {
    const rows = (await query) as Array<Record<string, unknown>>;
    return Number(Object.values(rows[0] ?? {})[0] ?? 0);
  };
  const { knex } = store;
  const tokensChanged = await count(
    knex('tokens')
      .count('* as n')
      .where((q) => {
        void q
          .whereNot('expires_at', seed.expiresAt)
          .orWhereNot('last_seen_at', seed.createdAt)
          .orWhereNotNull('revoked_at');
      }),
  );
  const usersStamped = await count(knex('users').count('* as n').whereNotNull('last_seen_at'));
  const limitRows = await count(knex('limits').count('* as n'));
  const auditRows = await count(knex('audit').count('* as n'));
  let dataVersion: number | undefined;
  if (store.dialect === 'sqlite') {
    const rows: Array<{ data_version: number }> = await knex.raw('pragma data_version');
    dataVersion = rows[0]?.data_version;
  }
  return { tokensChanged, usersStamped, limitRows, auditRows, dataVersion };
}

/** Rows written between two snapshots, and whether anything was committed at all (SQLite). */
export function writesBetween(
  before: WriteSnapshot,
  after: WriteSnapshot,
): { rows: number; committed: boolean | undefined } {
  const rows =
    after.tokensChanged -
    before.tokensChanged +
    (after.usersStamped - before.usersStamped) +
    (after.limitRows - before.limitRows) +
    (after.auditRows - before.auditRows);
  const committed = before.dataVersion === undefined ? undefined : before.dataVersion !== after.dataVersion;
  return { rows, committed };
}
