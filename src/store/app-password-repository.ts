/** The `app_passwords` table behind the AppPasswordStore port (SPEC §10). Only hashes are stored. */
import type { Knex } from 'knex';
import type { AppPassword, RevealResult } from '../tokens/app-password.js';
import type { AppPasswordStore } from '../flows/app-password-store.js';
import { inTransaction } from './in-transaction.js';

interface AppPasswordRow {
  readonly id: string;
  readonly user_id: number;
  readonly email: string;
  readonly site: string;
  readonly label: string;
  readonly created_at: number | string;
  readonly expires_at: number | string;
  readonly reveal_site: string;
  readonly reveal_expires_at: number | string;
  readonly revealed_at: number | string | null;
  readonly revoked_at: number | string | null;
  readonly token_hash: string | null;
  readonly last_used_at: number | string | null;
}

const COLUMNS = [
  'a.id',
  'a.user_id',
  'u.email',
  'a.site',
  'a.label',
  'a.created_at',
  'a.expires_at',
  'a.reveal_site',
  'a.reveal_expires_at',
  'a.revealed_at',
  'a.revoked_at',
  'a.token_hash',
  't.last_seen_at as last_used_at',
];

export function appPasswordRepository(knex: Knex): AppPasswordStore {
  const select = (db: Knex | Knex.Transaction = knex) =>
    db('app_passwords as a')
      .join('users as u', 'u.id', 'a.user_id')
      .leftJoin('tokens as t', 't.hash', 'a.token_hash')
      .select(COLUMNS);
  const one = async (db: Knex | Knex.Transaction, where: Record<string, string>) => {
    const row = (await select(db).where(where).first()) as AppPasswordRow | undefined;
    return row === undefined ? undefined : toAppPassword(row);
  };

  return {
    async create(p) {
      await knex('app_passwords').insert({
        id: p.id,
        user_id: p.userId,
        site: p.site,
        label: p.label,
        created_at: p.createdAt,
        expires_at: p.expiresAt,
        reveal_hash: p.revealHash,
        reveal_site: p.revealSite,
        reveal_expires_at: p.revealExpiresAt,
      });
    },

    byRevealHash: (revealHash) => one(knex, { 'a.reveal_hash': revealHash }),

    reveal(revealHash, site, tokenHash, now) {
      return inTransaction(knex, async (trx): Promise<RevealResult> => {
        // One conditional UPDATE (as a link's, SPEC §2.3): the database serialises the
        // writers of the row and a loser, re-checking `revealed_at IS NULL`, changes nothing.
        const won = await trx('app_passwords')
          .where({ reveal_hash: revealHash, reveal_site: site })
          .whereNull('revealed_at')
          .whereNull('revoked_at')
          .where('reveal_expires_at', '>', now)
          .where('expires_at', '>', now)
          .update({ revealed_at: now, token_hash: tokenHash });
        const found = await one(trx, { 'a.reveal_hash': revealHash });
        if (found === undefined || found.revealSite !== site) return { kind: 'not-found' };
        if (won !== 1) {
          return found.revealedAt !== null && found.revokedAt === null
            ? { kind: 'used' }
            : { kind: 'expired', password: found };
        }
        await trx('tokens').insert({
          hash: tokenHash,
          kind: 'api',
          user_id: found.userId,
          site: found.site,
          created_at: now,
          expires_at: found.expiresAt,
          absolute_expires_at: found.expiresAt,
        });
        return { kind: 'revealed', password: found };
      });
    },

    async list(userId) {
      const query = select()
        .whereNull('a.revoked_at')
        .orderBy([
          { column: 'a.created_at', order: 'desc' },
          { column: 'a.id', order: 'asc' },
        ]);
      if (userId !== undefined) void query.where('a.user_id', userId);
      return ((await query) as AppPasswordRow[]).map(toAppPassword);
    },

    revoke(id, now, userId) {
      return inTransaction(knex, async (trx) => {
        const found = await one(trx, { 'a.id': id });
        if (found === undefined || found.revokedAt !== null) return undefined;
        if (userId !== undefined && found.userId !== userId) return undefined;
        await trx('app_passwords').where({ id }).update({ revoked_at: now });
        if (found.tokenHash !== null) {
          await trx('tokens')
            .where({ hash: found.tokenHash })
            .whereNull('revoked_at')
            .update({ revoked_at: now });
        }
        return { ...found, revokedAt: now };
      });
    },
  };
}

const time = (value: number | string): number => Number(value);
const maybeTime = (value: number | string | null): number | null => (value === null ? null : Number(value));

function toAppPassword(row: AppPasswordRow): AppPassword {
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    site: row.site,
    label: row.label,
    createdAt: time(row.created_at),
    expiresAt: time(row.expires_at),
    revealSite: row.reveal_site,
    revealExpiresAt: time(row.reveal_expires_at),
    revealedAt: maybeTime(row.revealed_at),
    revokedAt: maybeTime(row.revoked_at),
    tokenHash: row.token_hash,
    lastUsedAt: maybeTime(row.last_used_at),
  };
}
