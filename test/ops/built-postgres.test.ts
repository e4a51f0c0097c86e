/**
 * The built (bundled) CLI on PostgreSQL: the bundle loads the `pg` driver from
 * node_modules for knex and for the daemon's prepared hot reads, which the in-process
 * CLI tests (test/cli) never exercise.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { addToken } from '../cli/arrange.js';
import { freshPostgres, type FreshPostgres } from '../support/databases.js';
import { gateClient } from '../support/gate-client.js';
import { spawnCli, type CliProcess } from './cli-process.js';
import { makeDaemonFolder, type DaemonFolder } from './daemon-folder.js';

const SITE = 'site.example';

describe('the built CLI on PostgreSQL', () => {
  let database: FreshPostgres;
  let folder: DaemonFolder;
  let daemon: CliProcess | undefined;

  beforeEach(async () => {
    database = await freshPostgres();
    folder = await makeDaemonFolder({ settings: { state: { dsn: database.dsn } }, migrate: false });
  });
  afterEach(async () => {
    await daemon?.kill();
    daemon = undefined;
    await folder.cleanup();
    await database.cleanup();
  });

  async function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    const run = spawnCli(['-c', folder.config, ...args], folder.dir);
    const { code } = await run.exited;
    return { code, out: run.stdout(), err: run.stderr() };
  }

  it('migrates, writes and lists the access list, and lets a session in', async () => {
    expect((await cli('migrate')).code).toBe(0);
    expect((await cli('privilege', '-d', SITE, 'example.org')).code).toBe(0);
    const listed = await cli('privilege', '-l');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^site\.example\s+example\.org\s+allow/m);

    const store = await openStore({ dsn: database.dsn }, { baseDir: folder.dir });
    const session = await addToken(store, 'ann@example.org', 'session').finally(() => store.close());

    daemon = spawnCli(['-c', folder.config, 'fcgi'], folder.dir);
    await daemon.logged('listening');
    const gate = gateClient(folder.port);
    const allowed = await gate.authorize('/page.html', { host: SITE, cookie: `forgetpw=${session.secret}` });
    expect(allowed.status).toBe(200);
    expect(allowed.header('Variable-FCGI_USER')).toBe('ann@example.org');
    const unknown = await gate.authorize('/page.html', { host: SITE, cookie: `forgetpw=${'x'.repeat(43)}` });
    expect(unknown.status).toBe(401);
  });
});
