import type { Knex } from 'knex';

/** Every row of every table, as one JSON text: what a stolen backup would hold. */
export async function dumpTables(knex: Knex, dialect: 'sqlite' | 'postgres' | 'mysql'): Promise<string> {
  const names: string[] =
    dialect === 'mysql'
      ? (
          (await knex.raw(
            'select table_name as name from information_schema.tables where table_schema = database()',
          )) as [Array<{ name: string }>]
        )[0].map((row) => row.name)
      : dialect === 'sqlite'
        ? (
            await knex.raw<Array<{ name: string }>>("select name from sqlite_master where type = 'table'")
          ).map((row) => row.name)
        : (
            await knex.raw<{ rows: Array<{ name: string }> }>(
              'select table_name as name from information_schema.tables where table_schema = current_schema()',
            )
          ).rows.map((row) => row.name);
  const dump: Record<string, unknown[]> = {};
  for (const name of names) dump[name] = await knex(name).select('*');
  return JSON.stringify(dump);
}
