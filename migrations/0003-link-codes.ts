/**
 * One-time codes (SPEC §11, issue 16). Each request for a link is remembered under the hash
 * of the asking browser's pending cookie: the address and page it was for (so the "check your
 * e-mail" page can be a GET that a reload does not repeat, issue 15) and the hash of the code
 * the mail carries, with its count of wrong tries. The link itself stays a `tokens` row; its
 * `pending_hash` (now indexed) finds it from the request.
 */
import type { Knex } from 'knex';
import { hashType, tableOptions, textColumn } from './dialect.js';

/** RFC 5321 allows 254 octets a path; the same room as `users.email`. */
const ADDRESS_MAX = 320;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('link_requests', (t) => {
    tableOptions(knex, t);
    // Hex SHA-256 of the pending cookie: the cookie itself is never stored.
    t.specificType('pending_hash', hashType(knex)).primary().checkLength('=', 64);
    t.text('site').notNullable();
    textColumn(knex, t, 'address', ADDRESS_MAX).notNullable();
    t.text('forward').notNullable();
    // SHA-256 of the code keyed with the pending cookie (src/tokens/hash-code.ts).
    t.specificType('code_hash', hashType(knex)).notNullable().checkLength('=', 64);
    t.integer('code_tries').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    // Set when the wrong tries ran out: the code and its link are over.
    t.bigInteger('ended_at').nullable();
    t.index(['expires_at']);
  });
  await knex.schema.alterTable('tokens', (t) => {
    t.index(['pending_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tokens', (t) => {
    t.dropIndex(['pending_hash']);
  });
  await knex.schema.dropTableIfExists('link_requests');
}
