/**
 * App passwords (SPEC §10, issue 14). An app password is born as a reveal link: the
 * row remembers the hash of the link's secret; the password itself is made, and only
 * its SHA-256 stored (as a `tokens` row of kind `api`), when the link is used. Sessions
 * also remember the client address they were made from, for the account page.
 */
import type { Knex } from 'knex';
import { hashType, isMysql, tableOptions } from './dialect.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tokens', (t) => {
    t.text('client_ip').nullable();
  });
  await knex.schema.createTable('app_passwords', (t) => {
    tableOptions(knex, t);
    // A short public id (hex) the CLI and the account page name it by; not a secret.
    t.string('id', 32).primary();
    // MySQL's foreign keys want the type of users.id exactly: INT UNSIGNED there.
    const userId = t.integer('user_id');
    if (isMysql(knex)) userId.unsigned();
    userId.notNullable().references('id').inTable('users').onDelete('CASCADE');
    // Host the password works on; '' for every site the person may see.
    t.text('site').notNullable();
    t.text('label').notNullable();
    t.bigInteger('created_at').notNullable();
    // When the password stops working (its lifetime counts from creation).
    t.bigInteger('expires_at').notNullable();
    // Hex SHA-256 of the reveal link's secret, and the host the link was built for.
    t.specificType('reveal_hash', hashType(knex)).notNullable().unique().checkLength('=', 64);
    t.text('reveal_site').notNullable();
    t.bigInteger('reveal_expires_at').notNullable();
    t.bigInteger('revealed_at').nullable();
    t.bigInteger('revoked_at').nullable();
    // The `tokens` row of the password, once revealed.
    t.specificType('token_hash', hashType(knex)).nullable().unique().checkLength('=', 64);
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('app_passwords');
  await knex.schema.alterTable('tokens', (t) => {
    t.dropColumn('client_ip');
  });
}
