/**
 * The SQL each migration sends, per dialect, without a server. 0001 is deployed on SQLite and
 * PostgreSQL: the MariaDB/MySQL column types added to it later must leave their SQL exactly as
 * it was (the snapshot was taken before those types existed).
 */
import knexFactory, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';

/** A knex whose schema calls record their SQL instead of sending it. */
function recordingKnex(client: string): { knex: Knex; sql: string[] } {
  const real = knexFactory({ client, useNullAsDefault: true });
  const sql: string[] = [];
  const schema = {
    createTable: (name: string, build: (t: Knex.CreateTableBuilder) => void) => {
      sql.push(real.schema.createTable(name, build).toString());
      return Promise.resolve();
    },
    alterTable: (name: string, build: (t: Knex.AlterTableBuilder) => void) => {
      sql.push(real.schema.alterTable(name, build).toString());
      return Promise.resolve();
    },
    dropTableIfExists: (name: string) => {
      sql.push(real.schema.dropTableIfExists(name).toString());
      return Promise.resolve();
    },
  };
  return { knex: { client: real.client, schema } as unknown as Knex, sql };
}

describe.each(['better-sqlite3', 'pg', 'mysql2'])('the migrations on %s', (client) => {
  for (const migration of migrations) {
    it(`${migration.name} sends the SQL it always sent`, async () => {
      const { knex, sql } = recordingKnex(client);
      await migration.up(knex);
      expect(sql).toMatchSnapshot();
    });
  }
});
