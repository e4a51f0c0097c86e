import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/store/in-transaction.js';

/** A knex whose transactions fail with the given errors, in turn, then succeed. */
function failing(...errors: Error[]): { knex: Knex; runs: () => number } {
  let runs = 0;
  const knex = {
    transaction: (work: (trx: unknown) => Promise<unknown>) => {
      runs++;
      const error = errors.shift();
      return error === undefined ? work({}) : Promise.reject(error);
    },
  } as unknown as Knex;
  return { knex, runs: () => runs };
}

const mariadbDeadlock = Object.assign(new Error('Deadlock found when trying to get lock'), {
  code: 'ER_LOCK_DEADLOCK',
  errno: 1213,
});

describe('inTransaction', () => {
  it('runs a transaction the database picked as a deadlock victim again', async () => {
    const db = failing(mariadbDeadlock, Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    await expect(inTransaction(db.knex, () => Promise.resolve('won'))).resolves.toBe('won');
    expect(db.runs()).toBe(3);
  });

  it('gives up after three deadlocks, with the database error', async () => {
    const db = failing(mariadbDeadlock, mariadbDeadlock, mariadbDeadlock);
    await expect(inTransaction(db.knex, () => Promise.resolve('won'))).rejects.toBe(mariadbDeadlock);
    expect(db.runs()).toBe(3);
  });

  it('runs anything else once', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const db = failing(down);
    await expect(inTransaction(db.knex, () => Promise.resolve('won'))).rejects.toBe(down);
    expect(db.runs()).toBe(1);
  });
});
