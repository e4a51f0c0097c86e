/**
 * The language of the browser that asked for a link (issue 16): the mail is written in it,
 * and whatever mails about that link later (a new copy, a code) can write in it too. Null
 * for links made before, by `mint`, and for every other kind of token.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tokens', (t) => {
    // A primary language subtag from templates.languages (`en`, `de`); a VARCHAR everywhere.
    t.string('language', 16).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tokens', (t) => {
    t.dropColumn('language');
  });
}
