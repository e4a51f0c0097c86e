/**
 * Is this the Ruby gem's database (ORIGINAL §4: tables `user`, `token`, `usage`, `acl`,
 * made by Sequel's `create_table?`) not yet upgraded? Its `acl` table has an `ok`
 * column where ours has `allow`; after `forgetpw migrate` it is `gem_acl`. Reads only.
 */
import type { Knex } from 'knex';

export async function isGemDatabase(knex: Knex): Promise<boolean> {
  if (!(await knex.schema.hasTable('acl')) || !(await knex.schema.hasTable('user'))) return false;
  return (await knex.schema.hasColumn('acl', 'ok')) && !(await knex.schema.hasColumn('acl', 'allow'));
}
