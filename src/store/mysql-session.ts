/**
 * Per MariaDB/MySQL connection, before knex uses it: strict SQL, so a value that does not fit
 * its column is an error rather than silently truncated, whatever the server's sql_mode.
 */
import type { Connection } from 'mysql2';

const SQL_MODE =
  'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

export function mysqlSession(
  connection: Connection,
  done: (error: Error | null, connection: Connection) => void,
): void {
  connection.query(`SET SESSION sql_mode = '${SQL_MODE}'`, (error) => done(error, connection));
}
