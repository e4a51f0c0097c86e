/**
 * The two reads every check makes (session by token hash, access-list rows), with
 * their SQL written once instead of built by knex on every call, and prepared once
 * per connection (issue 5: knex's query building and better-sqlite3's
 * per-query `prepare` were half of a cache-off check). The connection still comes
 * from knex's pool, so its size, timeouts, transactions and reconnects are the same
 * as for every other query.
 */
import type { Statement } from 'better-sqlite3';
import type Database from 'better-sqlite3';
import type { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { Connection as MysqlConnection, RowDataPacket } from 'mysql2';
import type pg from 'pg';
import type { Dialect } from './parse-dsn.js';
import { TOKEN_COLUMNS } from './token-row.js';

export type Row = Readonly<Record<string, unknown>>;

export interface HotReads {
  /** The session or API token with this hash, joined with its user (columns `user_*`). */
  session(hash: string): Promise<Row | undefined>;
  /** The access-list rows of these web domains and addresses. */
  acl(domains: readonly string[], addresses: readonly string[]): Promise<Row[]>;
}

type Placeholder = (index: number) => string;

/** The part of knex's Client that lends out connections of its pool. */
interface PoolClient<C> {
  acquireConnection(): Promise<C>;
  releaseConnection(connection: C): Promise<void>;
}

const SESSION_COLUMNS = [
  ...TOKEN_COLUMNS.map((column) => `t.${column}`),
  'u.id as user_id',
  'u.email as user_email',
  'u.principal as user_principal',
  'u.created_at as user_created_at',
  'u.disabled_at as user_disabled_at',
  'u.last_seen_at as user_last_seen_at',
].join(', ');

function sessionSql(at: Placeholder): string {
  return (
    `select ${SESSION_COLUMNS} from tokens t join users u on u.id = t.user_id ` +
    `where t.hash = ${at(1)} and t.kind in ('session', 'api')`
  );
}

/** The access-list query for lists of these lengths (a handful of shapes, each built once). */
function aclSql(at: Placeholder): (domains: number, addresses: number) => string {
  const built = new Map<string, string>();
  const list = (from: number, count: number): string =>
    Array.from({ length: count }, (_, i) => at(from + i)).join(', ');
  return (domains, addresses) => {
    const shape = `${domains},${addresses}`;
    let sql = built.get(shape);
    if (sql === undefined) {
      sql =
        `select domain, address, allow from acl ` +
        `where domain in (${list(1, domains)}) and address in (${list(domains + 1, addresses)})`;
      built.set(shape, sql);
    }
    return sql;
  };
}

export function hotReads(knex: Knex, dialect: Dialect): HotReads {
  switch (dialect) {
    case 'sqlite':
      return sqliteReads(knex);
    case 'postgres':
      return postgresReads(knex);
    case 'mysql':
      return mysqlReads(knex);
  }
}

/**
 * Runs `use` on a connection of knex's pool and gives it back, whatever happens.
 * Announces the query as knex does its own (`knex.on('query')`, without the bindings),
 * so whoever watches or counts queries sees these too.
 */
async function withConnection<C, T>(
  knex: Knex,
  sql: string,
  use: (connection: C) => T | Promise<T>,
): Promise<T> {
  const pool = knex.client as PoolClient<C>;
  const connection = await pool.acquireConnection();
  (knex.client as EventEmitter).emit('query', { method: 'select', sql });
  try {
    return await use(connection);
  } finally {
    await pool.releaseConnection(connection);
  }
}

function sqliteReads(knex: Knex): HotReads {
  /** Statements by SQL text, per connection (a reconnect prepares anew). */
  const prepared = new WeakMap<Database.Database, Map<string, Statement>>();
  const statement = (db: Database.Database, sql: string): Statement => {
    let statements = prepared.get(db);
    if (statements === undefined) prepared.set(db, (statements = new Map<string, Statement>()));
    let found = statements.get(sql);
    if (found === undefined) statements.set(sql, (found = db.prepare(sql)));
    return found;
  };
  const at: Placeholder = () => '?';
  const session = sessionSql(at);
  const acl = aclSql(at);

  return {
    session: (hash) =>
      withConnection(
        knex,
        session,
        (db: Database.Database) => statement(db, session).get(hash) as Row | undefined,
      ),
    acl: (domains, addresses) => {
      const sql = acl(domains.length, addresses.length);
      return withConnection(
        knex,
        sql,
        (db: Database.Database) => statement(db, sql).all(...domains, ...addresses) as Row[],
      );
    },
  };
}

function postgresReads(knex: Knex): HotReads {
  const at: Placeholder = (index) => `$${index}`;
  const session = sessionSql(at);
  const acl = aclSql(at);
  /**
   * Named statements: pg prepares each on a connection the first time it runs there, and
   * PostgreSQL then skips parsing and planning. Unnamed ones cost a cache-off check about
   * a fifth more (BENCHMARKS.md). Behind a transaction-mode PgBouncer this needs its
   * prepared-statement support (`max_prepared_statements`, PgBouncer 1.21 and later).
   */
  const query = async (name: string, text: string, values: readonly string[]): Promise<Row[]> =>
    withConnection(
      knex,
      text,
      async (client: pg.Client) => (await client.query<Row>({ name, text, values: [...values] })).rows,
    );

  return {
    session: async (hash) => (await query('forgetpw_session', session, [hash]))[0],
    acl: (domains, addresses) =>
      query(`forgetpw_acl_${domains.length}_${addresses.length}`, acl(domains.length, addresses.length), [
        ...domains,
        ...addresses,
      ]),
  };
}

function mysqlReads(knex: Knex): HotReads {
  const at: Placeholder = () => '?';
  const session = sessionSql(at);
  const acl = aclSql(at);
  /**
   * `execute` prepares a statement on a connection the first time it runs there and keeps it
   * (mysql2's per-connection statement cache, keyed by the SQL text); later calls send only
   * the statement id and the values (the binary protocol).
   */
  const query = (sql: string, values: readonly string[]): Promise<Row[]> =>
    withConnection(
      knex,
      sql,
      (connection: MysqlConnection) =>
        new Promise<Row[]>((resolve, reject) => {
          connection.execute<RowDataPacket[]>(sql, [...values], (error, rows) => {
            if (error) reject(error);
            else resolve(rows);
          });
        }),
    );

  return {
    session: async (hash) => (await query(session, [hash]))[0],
    acl: (domains, addresses) => query(acl(domains.length, addresses.length), [...domains, ...addresses]),
  };
}
