/** The `users` table behind the UserStore port. */
import type { Knex } from 'knex';
import { AppError } from '../errors/app-error.js';
import type { User } from '../policy/user.js';
import type { UserStore } from '../flows/user-store.js';
import { toUser, type UserRow } from './user-row.js';

/** Kinds whose last use counts as the person being seen. */
const SEEN_KINDS = ['session', 'api'];

export function userRepository(knex: Knex): UserStore {
  const byEmail = async (email: string): Promise<User | undefined> => {
    const row = await knex<UserRow>('users').where({ email }).first();
    return row === undefined ? undefined : toUser(row);
  };

  return {
    async findOrCreate(email, now) {
      const existing = await byEmail(email);
      if (existing !== undefined) return existing;
      // Two first logins of one address may race: the loser's insert does nothing and
      // both read the same row back.
      await knex('users').insert({ email, principal: email, created_at: now }).onConflict().ignore();
      const created = await byEmail(email);
      if (created === undefined) {
        throw new AppError(
          'INTERNAL',
          `cannot create user ${email}: another user already has that principal`,
        );
      }
      return created;
    },

    byEmail,

    async byId(id) {
      const row = await knex<UserRow>('users').where({ id }).first();
      return row === undefined ? undefined : toUser(row);
    },

    async setDisabled(email, at) {
      const changed = await knex('users').where({ email }).update({ disabled_at: at });
      return changed > 0;
    },

    async list() {
      const newestToken = knex('tokens as t')
        .max('t.last_seen_at')
        .where('t.user_id', knex.ref('u.id'))
        .whereIn('t.kind', SEEN_KINDS)
        .as('token_seen_at');
      const rows = (await knex('users as u').select('u.*', newestToken).orderBy('u.email')) as Array<
        UserRow & { token_seen_at: number | null }
      >;
      return rows.map((row) => ({ ...toUser(row), lastSeenAt: newest(row.last_seen_at, row.token_seen_at) }));
    },
  };
}

function newest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
