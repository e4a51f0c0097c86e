/**
 * The first schema (SPEC §7). Every time is a BIGINT of milliseconds since the epoch
 * (UTC) written from the app's one Clock: no CURRENT_TIMESTAMP defaults, which on
 * SQLite gave the original local-time values (ORIGINAL §3.4, §4).
 */
import type { Knex } from 'knex';
import { hashType, isMysql, tableOptions, textColumn } from './dialect.js';

/**
 * MariaDB/MySQL (added later, SPEC §12) need bounded strings where SQLite and PostgreSQL take
 * `text`: a TEXT column cannot be a key there. Every other dialect gets exactly the SQL it
 * always got (test/store/migration-sql.test.ts). utf8mb4 keys are at most 3072 bytes (InnoDB's
 * DYNAMIC rows, the default of MariaDB 10.11 and MySQL 8), 4 bytes a character.
 */
const MAX = {
  /** RFC 5321 allows 254 octets a path; room for addresses that are not yet normalized. */
  address: 320,
  /** A DNS name is at most 253 characters. */
  domain: 255,
  /** `kind:subject` of a rate limit, e.g. `addr:` and an address. */
  limitKey: 640,
} as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    tableOptions(knex, t);
    t.increments('id');
    textColumn(knex, t, 'email', MAX.address).notNullable().unique().checkLength('>', 0);
    textColumn(knex, t, 'principal', MAX.address).notNullable().unique().checkLength('>', 0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('disabled_at').nullable();
    t.bigInteger('last_seen_at').nullable();
  });

  await knex.schema.createTable('acl', (t) => {
    tableOptions(knex, t);
    // '' is the wildcard row: every site (SPEC §3).
    textColumn(knex, t, 'domain', MAX.domain).notNullable().defaultTo('');
    textColumn(knex, t, 'address', MAX.address).notNullable().checkLength('>', 0);
    t.boolean('allow').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.primary(['domain', 'address']);
  });

  await knex.schema.createTable('tokens', (t) => {
    tableOptions(knex, t);
    // Hex SHA-256 of the secret (SPEC §4); the length check refuses a raw secret
    // (43 base64url characters) handed over by mistake.
    t.specificType('hash', hashType(knex)).primary().checkLength('=', 64);
    t.enu('kind', ['link', 'session', 'api', 'pending']).notNullable();
    // MySQL's foreign keys want the type of users.id exactly: INT UNSIGNED there.
    const userId = t.integer('user_id');
    if (isMysql(knex)) userId.unsigned();
    userId.nullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('site').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('absolute_expires_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.bigInteger('revoked_at').nullable();
    t.bigInteger('last_seen_at').nullable();
    t.text('forward').nullable();
    t.specificType('pending_hash', hashType(knex)).nullable().checkLength('=', 64);
    t.index(['user_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('limits', (t) => {
    tableOptions(knex, t);
    textColumn(knex, t, 'key', MAX.limitKey).notNullable();
    t.bigInteger('window_start').notNullable();
    t.integer('count').notNullable();
    t.primary(['key', 'window_start']);
  });

  await knex.schema.createTable('audit', (t) => {
    tableOptions(knex, t);
    t.increments('id');
    t.bigInteger('at').notNullable();
    t.text('event').notNullable();
    t.text('site').nullable();
    t.text('address').nullable();
    t.text('ip').nullable();
    t.text('detail').nullable();
    t.index(['at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['audit', 'limits', 'tokens', 'acl', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
}
