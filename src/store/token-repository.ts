/** The `tokens` table behind the TokenStore port. Only hashes are stored (SPEC §4). */
import type { Knex } from 'knex';
import type { NewToken } from '../tokens/token-record.js';
import type { TokenStore } from '../flows/token-store.js';
import { auditRepository } from './audit-repository.js';
import type { HotReads } from './hot-reads.js';
import type { Dialect } from './parse-dsn.js';
import { TOKEN_COLUMNS, toTokenRecord, type TokenRow } from './token-row.js';
import { toUser, type UserRow } from './user-row.js';
import { inTransaction } from './in-transaction.js';

const SESSION_KINDS = ['session', 'api'];

type SessionRow = TokenRow & { readonly [K in keyof UserRow as `user_${K}`]: UserRow[K] };

export function tokenRepository(knex: Knex, reads: HotReads, dialect: Dialect): TokenStore {
  /** MariaDB/MySQL have no UPDATE ... RETURNING: update, then read back. */
  const returning = dialect !== 'mysql';
  return {
    async insert(token) {
      await insertToken(knex, token);
    },

    async get(hash) {
      const row = await knex<TokenRow>('tokens')
        .select(...TOKEN_COLUMNS)
        .where({ hash })
        .first();
      return row === undefined ? undefined : toTokenRecord(row);
    },

    async linkByPending(pendingHash) {
      const row = await knex<TokenRow>('tokens')
        .select(...TOKEN_COLUMNS)
        .where({ pending_hash: pendingHash, kind: 'link' })
        .orderBy('created_at', 'desc')
        .first();
      return row === undefined ? undefined : toTokenRecord(row);
    },

    async session(hash) {
      const row = (await reads.session(hash)) as SessionRow | undefined;
      if (row === undefined) return undefined;
      const user = toUser({
        id: row.user_id,
        email: row.user_email,
        principal: row.user_principal,
        created_at: row.user_created_at,
        disabled_at: row.user_disabled_at,
        last_seen_at: row.user_last_seen_at,
      });
      return { token: toTokenRecord(row), user };
    },

    async redeemLink({ hash, site, now, session, replaces, audit }) {
      // One transaction (issue 11): a failed session insert or audit write rolls the
      // consumption back, so the person can use the same link again.
      return inTransaction(knex, async (trx) => {
        // SPEC §2.3: one conditional UPDATE. The database serialises concurrent writers of
        // the row; a loser re-checks `used_at IS NULL`, finds it set and changes nothing.
        const consume = trx('tokens')
          .where({ hash, kind: 'link', site })
          .whereNull('used_at')
          .whereNull('revoked_at')
          .where('expires_at', '>', now);
        let row: TokenRow | undefined;
        if (returning) {
          const rows: TokenRow[] = await consume.update({ used_at: now }, TOKEN_COLUMNS);
          row = rows[0];
        } else {
          // InnoDB: the UPDATE locks the row and re-reads it, so one winner; the winner reads
          // the row back in the same transaction, still holding the lock.
          if ((await consume.update({ used_at: now })) === 0) return undefined;
          row = await trx<TokenRow>('tokens')
            .select(...TOKEN_COLUMNS)
            .where({ hash })
            .first();
        }
        if (row === undefined) return undefined;
        if (replaces !== undefined) {
          await trx('tokens').where({ hash: replaces }).whereNull('revoked_at').update({ revoked_at: now });
        }
        await insertToken(trx, session);
        await auditRepository(trx).record(audit);
        return toTokenRecord(row);
      });
    },

    async touch(hash, expiresAt, now) {
      const slide = knex('tokens').where({ hash });
      if (!returning) {
        await slide.update({ expires_at: expiresAt, last_seen_at: now });
        await knex('users')
          .whereIn('id', knex('tokens').select('user_id').where({ hash }))
          .update({ last_seen_at: now });
        return;
      }
      const owners: Array<{ user_id: number | null }> = await slide.update(
        { expires_at: expiresAt, last_seen_at: now },
        ['user_id'],
      );
      const userId = owners[0]?.user_id;
      // Also on the user, so `last seen` survives the purge of old sessions.
      if (userId !== undefined && userId !== null) {
        await knex('users').where({ id: userId }).update({ last_seen_at: now });
      }
    },

    async revoke(hash, now) {
      await knex('tokens').where({ hash }).whereNull('revoked_at').update({ revoked_at: now });
    },

    async revokeUser(userId, now, includeApi = false) {
      const kinds = includeApi ? ['session', 'link', 'api'] : ['session', 'link'];
      if (includeApi) {
        // App passwords whose reveal link is still unused go too: nothing may be revealed later.
        await knex('app_passwords')
          .where({ user_id: userId })
          .whereNull('revoked_at')
          .update({ revoked_at: now });
      }
      // Only what could still be used, so the count answers "how many were ended".
      return knex('tokens')
        .where({ user_id: userId })
        .whereIn('kind', kinds)
        .whereNull('revoked_at')
        .whereNull('used_at')
        .where('expires_at', '>', now)
        .update({ revoked_at: now });
    },

    async remove(hash) {
      await knex('tokens').where({ hash }).delete();
    },

    async purge(before) {
      return knex('tokens')
        .where('expires_at', '<', before)
        .orWhere('absolute_expires_at', '<', before)
        .delete();
    },

    async live(now, userId) {
      const query = knex('tokens as t')
        .join('users as u', 'u.id', 't.user_id')
        .select(TOKEN_COLUMNS.map((column) => `t.${column}`))
        .select('u.email as email')
        .whereIn('t.kind', SESSION_KINDS)
        .whereNull('t.revoked_at')
        .where('t.expires_at', '>', now)
        .where('t.absolute_expires_at', '>', now)
        .orderBy([
          { column: 't.created_at', order: 'desc' },
          { column: 't.hash', order: 'asc' },
        ]);
      if (userId !== undefined) void query.where('t.user_id', userId);
      const rows = (await query) as Array<TokenRow & { email: string }>;
      return rows.map((row) => ({ token: toTokenRecord(row), email: row.email }));
    },
  };
}

async function insertToken(knex: Knex, token: NewToken): Promise<void> {
  await knex('tokens').insert({
    hash: token.hash,
    kind: token.kind,
    user_id: token.userId,
    site: token.site,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    absolute_expires_at: token.absoluteExpiresAt,
    // A session starts with a login: the person was seen then.
    last_seen_at: token.kind === 'session' ? token.createdAt : null,
    forward: token.forward ?? null,
    pending_hash: token.pendingHash ?? null,
    client_ip: token.clientIp ?? null,
    language: token.language ?? null,
  });
}
