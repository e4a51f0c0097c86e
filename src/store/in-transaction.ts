import type { Knex } from 'knex';

/** How often a transaction the database chose as a deadlock's victim is run again. */
const TRIES = 3;

/**
 * `knex.transaction`, run again when the database rolled it back to break a deadlock: InnoDB
 * (MariaDB, MySQL: errno 1213) picks a victim when two single-use writes lock the same rows in
 * opposite orders, e.g. a link redeemed while the fifth wrong code ends it (tokens, then
 * link_requests, against link_requests, then tokens); PostgreSQL says `40P01`. The victim's
 * work was undone whole, so running it again decides the race afresh; anything else is thrown.
 */
export async function inTransaction<T>(knex: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await knex.transaction(work);
    } catch (error) {
      if (attempt >= TRIES || !isDeadlock(error)) throw error;
    }
  }
}

function isDeadlock(error: unknown): boolean {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  return code === 'ER_LOCK_DEADLOCK' || errno === 1213 || code === '40P01';
}
