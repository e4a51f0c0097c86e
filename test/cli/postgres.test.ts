/** The admin verbs on PostgreSQL: a schema of its own per test in this file's database. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, freshSchema, type FreshPostgres } from '../support/databases.js';
import { addToken } from './arrange.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

const ANN = 'ann@example.org';

describe('the admin verbs on PostgreSQL', () => {
  let database: FreshPostgres;
  let schema: FreshPostgres;
  let ws: CliWorkspace;
  beforeAll(async () => {
    database = await freshPostgres();
  });
  afterAll(() => database.cleanup());
  afterEach(async () => {
    ws.cleanup();
    await schema.cleanup();
  });

  async function init(): Promise<void> {
    ws = cliWorkspace();
    schema = await freshSchema(database);
    await ws.init(schema.dsn);
  }

  it('migrate finds the tables init made; check reaches the database', async () => {
    await init();
    expect((await ws.run('migrate')).out).toEqual([
      expect.stringMatching(/is up to date; nothing to apply\.$/),
    ]);
    const checks = await ws.run('check', '--json');
    expect(JSON.parse(checks.out[0] ?? '')).toContainEqual({
      check: 'migrations',
      status: 'ok',
      detail: 'none pending',
    });
  });

  it('lists users and sessions, ends them, disables and enables', async () => {
    await init();
    const session = await ws.withStore((store) => addToken(store, ANN, 'session'));
    expect(await ws.json('users', '--json')).toEqual([
      expect.objectContaining({ address: ANN, disabled: null }),
    ]);
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

  it('mints a link only for a permitted address', async () => {
    await init();
    expect((await ws.run('mint', ANN, 'https://site.example/')).code).toBe(2);
    expect(await ws.json('users', '--json')).toEqual([]);
    await ws.run('privilege', '-d', 'site.example', ANN);
    const minted = await ws.json<{ url: string }>('mint', '--json', ANN, 'https://site.example/');
    expect(new URL(minted.url).searchParams.get('knock')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
