/**
 * Every migration, in order. Listed by hand rather than found by scanning a folder,
 * so the names stay the same whether they run from TypeScript or from dist/.
 * Append new ones; never rename or reorder applied ones.
 */
import type { Knex } from 'knex';
import * as initial from './0001-initial.js';
import * as appPasswords from './0002-app-passwords.js';
import * as linkCodes from './0003-link-codes.js';
import * as linkLanguage from './0004-link-language.js';

export interface NamedMigration extends Knex.Migration {
  readonly name: string;
}

export const migrations: readonly NamedMigration[] = [
  { name: '0001-initial', ...initial },
  { name: '0002-app-passwords', ...appPasswords },
  { name: '0003-link-codes', ...linkCodes },
  { name: '0004-link-language', ...linkLanguage },
];
