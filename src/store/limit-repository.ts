/** The `limits` table behind the LimitStore port: fixed-window counters. */
import type { Knex } from 'knex';
import { AppError } from '../app/app-error.js';
import type { LimitStore } from '../flows/ports.js';

export function limitRepository(knex: Knex): LimitStore {
  return {
    async hit(key, windowStart) {
      // One atomic upsert on both dialects: concurrent hits never lose a count.
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
