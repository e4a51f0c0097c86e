/**
 * vitest globalSetup: one PostgreSQL for the whole run, unless DATABASE_URL names one.
 * Suites read `inject('pgUrl')` / `inject('pgAdminUrl')`, usually through
 * `freshPostgres()` (test/support/databases.ts), which gives each its own database.
 * No PostgreSQL means a failed run with the reason, never silently skipped tests.
 */
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { startPostgres } from './postgres.js';
import { privateTempDir } from './private-temp-dir.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database tests may use as they like (prefer `freshPostgres()`). */
    pgUrl: string;
    /** Superuser URL of the server's `postgres` database, to create and drop databases. */
    pgAdminUrl: string;
  }
}

const SHARED_DATABASE = 'forgetpw_test';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const temp = await privateTempDir();
  try {
    const stopPostgres = await setupPostgres(project);
    return async () => {
      await stopPostgres();
      await temp.check();
    };
  } catch (error) {
    await temp.check();
    throw error;
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
