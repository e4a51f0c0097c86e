/** The `limits` table behind the LimitStore port: fixed-window counters. */
import type { Knex } from 'knex';
import { AppError } from '../errors/app-error.js';
import type { LimitStore } from '../flows/limit-store.js';
import type { Dialect } from './parse-dsn.js';

/** MariaDB/MySQL's OK packet after an INSERT ... ON DUPLICATE KEY UPDATE. */
interface UpsertResult {
  /** 1: a new row; 2: an existing row was updated. */
  readonly affectedRows: number;
  /** The value last given to LAST_INSERT_ID(expr). */
  readonly insertId: number;
}

export function limitRepository(knex: Knex, dialect: Dialect): LimitStore {
  return {
    async hit(key, windowStart) {
      if (dialect === 'mysql') {
        // No RETURNING there: the new count comes back in the same statement's answer through
        // LAST_INSERT_ID(expr), so the upsert stays one atomic statement.
        const [result] = (await knex.raw(
          'insert into ?? (??, ??, ??) values (?, ?, 1) on duplicate key update ?? = last_insert_id(?? + 1)',
          ['limits', 'key', 'window_start', 'count', key, windowStart, 'count', 'count'],
        )) as [UpsertResult];
        return result.affectedRows === 1 ? 1 : Number(result.insertId);
      }
      // One atomic upsert on SQLite and PostgreSQL: concurrent hits never lose a count.
      const rows: Array<{ count: number }> = await knex('limits')
        .insert({ key, window_start: windowStart, count: 1 })
        .onConflict(['key', 'window_start'])
        .merge({ count: knex.raw('?? + 1', ['limits.count']) })
        .returning('count');
      const count = rows[0]?.count;
      if (count === undefined) throw new AppError('INTERNAL', 'the limits upsert returned no row');
      return Number(count);
    },

    async purge(before) {
      return knex('limits').where('window_start', '<', before).delete();
    },
  };
}
