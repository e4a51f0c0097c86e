/** The admin verbs on MariaDB (issue 17): a database of its own per test, as the app's user. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshMariadb, mariadbMissing, type FreshMariadb } from '../support/databases.js';
import { addToken } from './arrange.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

const ANN = 'ann@example.org';

describe.skipIf(mariadbMissing() !== '')('the admin verbs on MariaDB', () => {
  let database: FreshMariadb;
  let ws: CliWorkspace;
  afterEach(async () => {
    ws.cleanup();
    await database.cleanup();
  });

  async function init(scheme: 'mysql' | 'mariadb' = 'mysql'): Promise<string> {
    ws = cliWorkspace();
    database = await freshMariadb();
    const dsn = database.dsn.replace(/^mysql:/, `${scheme}:`);
    await ws.init(dsn);
    return dsn;
  }

  it('init creates the tables; migrate finds nothing to do; check reaches the database', async () => {
    await init();
    expect((await ws.run('migrate')).out).toEqual([
      expect.stringMatching(/is up to date; nothing to apply\.$/),
    ]);
    const checks = await ws.run('check', '--json');
    const results = JSON.parse(checks.out[0] ?? '') as Array<{
      check: string;
      status: string;
      detail: string;
    }>;
    // The mail check fails here (no sendmail): the database ones are what this test is about.
    expect(results).toContainEqual({
      check: 'database',
      status: 'ok',
      detail: expect.stringMatching(/^mysql:\/\/forgetpw:\*\*\*@127\.0\.0\.1:\d+\/fp_\w+ answers$/),
    });
    expect(results).toContainEqual({ check: 'migrations', status: 'ok', detail: 'none pending' });
    expect(checks.text).not.toContain('test-password');
    expect(checks.text).toContain('***');
  });

  it('takes a mariadb:// DSN as well', async () => {
    await init('mariadb');
    const grant = await ws.run('privilege', '-d', 'site.example', ANN);
    expect(grant).toMatchObject({ code: 0, out: [`granted ${ANN} on site.example`] });
    expect((await ws.run('privilege', '-l')).out).toEqual([
      'WEB DOMAIN    ADDRESS          RULE',
      `site.example  ${ANN}  allow`,
    ]);
  });

  it('lists users and sessions, ends them, disables and enables', async () => {
    await init();
    const session = await ws.withStore((store) => addToken(store, ANN, 'session'));
    expect(await ws.json('sessions', '--json')).toEqual([
      expect.objectContaining({ id: session.hash.slice(0, 8), address: ANN }),
    ]);
    expect((await ws.run('logout', ANN)).out).toEqual([`ended 1 session(s) and link(s) of ${ANN}`]);
    expect(await ws.json('sessions', '--json')).toEqual([]);
    expect((await ws.run('disable', ANN)).code).toBe(0);
    expect(await ws.json('users', '--json')).toEqual([
      expect.objectContaining({ address: ANN, disabled: expect.any(String) }),
    ]);
    expect((await ws.run('enable', ANN)).code).toBe(0);
    const audit = await ws.json<Array<{ event: string }>>('audit', '--json', '--address', ANN);
    expect(audit.map((e) => e.event)).toEqual(['user-enabled', 'user-disabled', 'sessions-ended']);
  });

  it('migrate applies the migrations to an empty database that check reports as pending', async () => {
    ws = cliWorkspace();
    database = await freshMariadb();
    writeFileSync(
      path.join(ws.dir, 'forgetpw.yml'),
      `state:\n  dsn: ${database.dsn}\nemail:\n  from: robot@example.org\n`,
    );
    const before = JSON.parse((await ws.run('check', '--json')).out[0] ?? '') as unknown[];
    expect(before).toContainEqual(expect.objectContaining({ check: 'migrations', status: 'FAILED' }));
    const migrated = await ws.run('migrate');
    expect(migrated.code, migrated.err.join('\n')).toBe(0);
    expect(migrated.text).toContain('0001-initial');
    expect((await ws.run('migrate')).out).toEqual([
      expect.stringMatching(/is up to date; nothing to apply\.$/),
    ]);
  });
});
