/**
 * What MariaDB/MySQL needs of a migration, kept in one place (issue 17). Every helper leaves
 * the SQL for SQLite and PostgreSQL as it was (test/store/migration-sql.test.ts).
 */
import type { Knex } from 'knex';

export function isMysql(knex: Knex): boolean {
  const client = (knex.client as { config: { client?: unknown } }).config.client;
  return client === 'mysql2' || client === 'mysql';
}

/** `text` everywhere but MariaDB/MySQL, where it is a VARCHAR of at most `length` characters. */
export function textColumn(
  knex: Knex,
  t: Knex.CreateTableBuilder,
  name: string,
  length: number,
): Knex.ColumnBuilder {
  return isMysql(knex) ? t.string(name, length) : t.text(name);
}

/** Hex SHA-256: on MariaDB/MySQL ASCII with a binary collation, so the key is 64 bytes, exact. */
export function hashType(knex: Knex): string {
  return isMysql(knex) ? 'char(64) character set ascii collate ascii_bin' : 'char(64)';
}

/**
 * MariaDB/MySQL tables: InnoDB (transactions, row locks), utf8mb4 whatever the server's
 * default (MariaDB 10.11's is latin1), and a binary collation so strings compare exactly
 * as they do on SQLite and PostgreSQL (case matters; only trailing spaces are ignored).
 */
export function tableOptions(knex: Knex, t: Knex.CreateTableBuilder): void {
  if (!isMysql(knex)) return;
  t.engine('InnoDB');
  t.charset('utf8mb4');
  t.collate('utf8mb4_bin');
}

