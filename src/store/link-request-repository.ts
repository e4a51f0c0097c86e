/** The `link_requests` table behind the LinkRequestStore port (SPEC §11). Only hashes are stored. */
import type { Knex } from 'knex';
import type { LinkRequestStore } from '../flows/link-request-store.js';
import type { LinkRequest } from '../tokens/link-request.js';
import { inTransaction } from './in-transaction.js';

interface LinkRequestRow {
  readonly pending_hash: string;
  readonly site: string;
  readonly address: string;
  readonly forward: string;
  readonly code_hash: string;
  readonly code_tries: number;
  readonly created_at: number;
  readonly expires_at: number;
  readonly ended_at: number | null;
}

export function linkRequestRepository(knex: Knex): LinkRequestStore {
  return {
    async insert(request) {
      await knex('link_requests').insert({
        pending_hash: request.pendingHash,
        site: request.site,
        address: request.address,
        forward: request.forward,
        code_hash: request.codeHash,
        code_tries: 0,
        created_at: request.createdAt,
        expires_at: request.expiresAt,
        ended_at: null,
      });
    },

    async get(pendingHash) {
      const row = await knex<LinkRequestRow>('link_requests').where({ pending_hash: pendingHash }).first();
      return row === undefined ? undefined : toLinkRequest(row);
    },

    async wrongCode(pendingHash, maxTries, now) {
      return inTransaction(knex, async (trx) => {
        // One conditional UPDATE: the database serialises concurrent tries on the row, and each
        // re-checks the count, so of many parallel wrong codes no more than `maxTries` count.
        const counted = await trx('link_requests')
          .where({ pending_hash: pendingHash })
          .whereNull('ended_at')
          .where('code_tries', '<', maxTries)
          .increment('code_tries', 1);
        if (counted === 0) return 0;
        // Read back in the same transaction, which still holds the row's lock (MariaDB has no RETURNING).
        const row = await trx<LinkRequestRow>('link_requests')
          .select('code_tries')
          .where({ pending_hash: pendingHash })
          .first();
        const tries = Number(row?.code_tries ?? maxTries);
        if (tries < maxTries) return maxTries - tries;
        await trx('link_requests').where({ pending_hash: pendingHash }).update({ ended_at: now });
        // The code's end is its link's end too (issue 16): nobody may log in with either now.
        await trx('tokens')
          .where({ pending_hash: pendingHash, kind: 'link' })
          .whereNull('used_at')
          .whereNull('revoked_at')
          .update({ revoked_at: now });
        return 0;
      });
    },

    async purge(before) {
      return knex('link_requests').where('expires_at', '<', before).delete();
    },
  };
}

function toLinkRequest(row: LinkRequestRow): LinkRequest {
  return {
    pendingHash: row.pending_hash,
    site: row.site,
    address: row.address,
    forward: row.forward,
    codeHash: row.code_hash,
    codeTries: Number(row.code_tries),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
  };
}
