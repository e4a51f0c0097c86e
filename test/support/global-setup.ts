/**
 * vitest globalSetup: one PostgreSQL for the whole run, unless DATABASE_URL names one.
 * Suites read `inject('pgUrl')` / `inject('pgAdminUrl')`, usually through
 * `freshPostgres()` (test/support/databases.ts), which gives each its own database.
 * No PostgreSQL means a failed run with the reason, never silently skipped tests.
 *
 * Beside it, one MariaDB for the run (started at the same time), unless MARIADB_URL names
 * one; suites use `freshMariadb()`. A MariaDB that cannot start fails the run with CI=true;
 * elsewhere its tests are reported as skipped, with the reason.
 */
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { startMariadb } from './mariadb.js';
import { startPostgres } from './postgres.js';
import { privateTempDir } from './private-temp-dir.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database tests may use as they like (prefer `freshPostgres()`). */
    pgUrl: string;
    /** Superuser URL of the server's `postgres` database, to create and drop databases. */
    pgAdminUrl: string;
    /** MariaDB root URL without a database (create and drop `fp_*` databases); '' when none. */
    mariadbAdminUrl: string;
    /** The same server as the app's user, without a database; '' when none. */
    mariadbAppUrl: string;
    /** Why there is no MariaDB ('' when there is one). */
    mariadbMissing: string;
  }
}

const SHARED_DATABASE = 'forgetpw_test';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const temp = await privateTempDir();
  try {
    const [stopPostgres, stopMariadb] = await Promise.all([setupPostgres(project), setupMariadb(project)]);
    return async () => {
      await Promise.all([stopPostgres(), stopMariadb()]);
      await temp.check();
    };
  } catch (error) {
    // The setup's own failure is the one to report; what it left behind is only a warning then.
    await temp.check().catch((left: unknown) => console.warn(String(left)));
    throw error;
  }
}

async function setupMariadb(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['MARIADB_URL'];
  if (external !== undefined && external !== '') {
    project.provide('mariadbAdminUrl', external);
    project.provide('mariadbAppUrl', external);
    project.provide('mariadbMissing', '');
    return () => Promise.resolve();
  }
  try {
    const server = await startMariadb();
    project.provide('mariadbAdminUrl', server.adminUrl);
    project.provide('mariadbAppUrl', server.appUrl);
    project.provide('mariadbMissing', '');
    return () => server.destroy();
  } catch (error) {
    const reason =
      'The MariaDB tests need mariadb-server (mariadb-install-db and mariadbd) and could not start it. ' +
      'Install it (.ci/run does), or set MARIADB_URL to a server the tests may create fp_* databases on.\n' +
      (error instanceof Error ? error.message : String(error));
    if (process.env['CI'] === 'true') throw new Error(reason, { cause: error });
    console.warn(`[global-setup] ${reason}`);
    project.provide('mariadbAdminUrl', '');
    project.provide('mariadbAppUrl', '');
    project.provide('mariadbMissing', reason);
    return () => Promise.resolve();
  }
}

async function setupPostgres(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['DATABASE_URL'];
  if (external !== undefined && external !== '') {
    project.provide('pgUrl', external);
    project.provide('pgAdminUrl', process.env['DATABASE_ADMIN_URL'] ?? withDatabase(external, 'postgres'));
    return () => Promise.resolve();
  }

  let cluster;
  try {
    cluster = await startPostgres();
  } catch (error) {
    throw new Error(
      'The tests need PostgreSQL 15 (initdb and pg_ctl on PATH) and could not start it. ' +
        'Install it, or set DATABASE_URL to a server the tests may create databases on.\n' +
        (error instanceof Error ? error.message : String(error)),
      { cause: error },
    );
  }
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${SHARED_DATABASE}`);
  } finally {
    await admin.end();
  }
  project.provide('pgAdminUrl', cluster.adminUrl);
  project.provide('pgUrl', withDatabase(cluster.adminUrl, SHARED_DATABASE));
  return () => cluster.destroy();
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
