import { z } from 'zod';
import { field } from './field.js';
import { optionSpec, readOptionMap } from './option-map.js';

const pool = z.strictObject({ min: field.integer(0).optional(), max: field.integer(1).optional() });

/**
 * Known `state.options` keys, in knex's and the drivers' spelling, plus the Sequel
 * names the original's README suggested. `pool` goes to knex's pool, everything else
 * into knex's `connection` (see store/parse-dsn.ts). Keys not listed here are passed
 * to the driver as written.
 */
export const STATE_OPTIONS = [
  optionSpec({ name: 'pool', value: pool, description: 'Connection pool size: `{min, max}`.' }),
  optionSpec({
    name: 'max_connections',
    value: field.integer(1),
    write: (v) => [['pool.max', v]],
    description: 'Sequel name for `pool.max`.',
  }),
  optionSpec({
    name: 'ssl',
    value: z.union([field.boolean(), z.record(z.string(), z.unknown())], {
      error: 'expected true, false or a mapping of TLS options',
    }),
    description: 'PostgreSQL/MySQL: TLS to the server, or node TLS options.',
  }),
  optionSpec({
    name: 'application_name',
    value: field.text(),
    description: 'PostgreSQL: shown in pg_stat_activity.',
  }),
  optionSpec({
    name: 'statement_timeout',
    value: field.integer(0),
    description: 'PostgreSQL: milliseconds a statement may run.',
  }),
  optionSpec({
    name: 'connectionTimeoutMillis',
    value: field.integer(0),
    description: 'PostgreSQL: milliseconds to wait when connecting.',
  }),
  optionSpec({
    name: 'connect_timeout',
    value: field.integer(0),
    write: (v) => [['connectionTimeoutMillis', v * 1000]],
    description: 'Sequel: seconds, sets `connectionTimeoutMillis`.',
  }),
];

export const stateOptions = z
  .unknown()
  .transform((given, ctx) => readOptionMap(given, STATE_OPTIONS, ctx, { kind: 'keep' }));
