/**
 * The first schema (SPEC §7). Every time is a BIGINT of milliseconds since the epoch
 * (UTC) written from the app's one Clock: no CURRENT_TIMESTAMP defaults, which on
 * SQLite gave the original local-time values (ORIGINAL §3.4, §4).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.text('email').notNullable().unique().checkLength('>', 0);
    t.text('principal').notNullable().unique().checkLength('>', 0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('disabled_at').nullable();
    t.bigInteger('last_seen_at').nullable();
  });

  await knex.schema.createTable('acl', (t) => {
    // '' is the wildcard row: every site (SPEC §3).
    t.text('domain').notNullable().defaultTo('');
    t.text('address').notNullable().checkLength('>', 0);
    t.boolean('allow').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.primary(['domain', 'address']);
  });

  await knex.schema.createTable('tokens', (t) => {
    // Hex SHA-256 of the secret (SPEC §4); the length check refuses a raw secret
    // (43 base64url characters) handed over by mistake.
    t.specificType('hash', 'char(64)').primary().checkLength('=', 64);
    t.enu('kind', ['link', 'session', 'api', 'pending']).notNullable();
    t.integer('user_id').nullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('site').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('absolute_expires_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.bigInteger('revoked_at').nullable();
    t.bigInteger('last_seen_at').nullable();
    t.text('forward').nullable();
    t.specificType('pending_hash', 'char(64)').nullable().checkLength('=', 64);
    t.index(['user_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('limits', (t) => {
    t.text('key').notNullable();
    t.bigInteger('window_start').notNullable();
    t.integer('count').notNullable();
    t.primary(['key', 'window_start']);
  });

  await knex.schema.createTable('audit', (t) => {
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
