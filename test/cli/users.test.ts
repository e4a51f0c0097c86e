import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addToken, MINUTE } from './arrange.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);

describe('forgetpw users', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it('says there are no users yet on a fresh database', async () => {
    ws = cliWorkspace();
    await ws.init();
    const result = await ws.run('users');
    expect(result).toMatchObject({ code: 0, out: ['No users yet: a user is created on their first login.'] });
    expect(await ws.json('users', '--json')).toEqual([]);
  });

  it('lists every user with created, last seen and disabled times in UTC', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore(async (store) => {
      await store.users.findOrCreate('bob@example.org', T0);
      await addToken(store, 'ann@example.org', 'session', { createdAt: T0 + MINUTE });
      await store.users.setDisabled('bob@example.org', T0 + 2 * MINUTE);
    });
    const result = await ws.run('users');
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      'ADDRESS          PRINCIPAL        CREATED               LAST SEEN             DISABLED',
      'ann@example.org  ann@example.org  2026-01-15 09:31:00Z  2026-01-15 09:31:00Z  -',
      'bob@example.org  bob@example.org  2026-01-15 09:30:00Z  -                     2026-01-15 09:32:00Z',
    ]);
  });

  it('prints JSON for scripts', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore(async (store) => {
      await store.users.findOrCreate('bob@example.org', T0);
      await store.users.setDisabled('bob@example.org', T0 + MINUTE);
    });
    expect(await ws.json('users', '--json')).toEqual([
      {
        address: 'bob@example.org',
        principal: 'bob@example.org',
        created: '2026-01-15T09:30:00.000Z',
        lastSeen: null,
        disabled: '2026-01-15T09:31:00.000Z',
      },
    ]);
  });

  it('asks for `forgetpw init` on a database without tables (exit 2)', async () => {
    ws = cliWorkspace();
    writeFileSync(
      path.join(ws.dir, 'forgetpw.yml'),
      'state:\n  dsn: sqlite://empty.db\nemail:\n  from: a@example.org\n',
    );
    const result = await ws.run('users');
    expect(result.code).toBe(2);
    expect(result.err[0]).toMatch(/forgetpw init/);
  });

  it('names the missing config file (exit 2)', async () => {
    ws = cliWorkspace();
    const result = await ws.run('users');
    expect(result.code).toBe(2);
    expect(result.err[0]).toBe(`error: ${path.join(ws.dir, 'forgetpw.yml')} not found`);
  });

  it('reads the config named by -c', async () => {
    ws = cliWorkspace();
    await ws.init();
    const result = await ws.run('-c', 'nowhere.yml', 'users');
    expect(result.code).toBe(2);
    expect((await ws.run('-c', path.join(ws.dir, 'forgetpw.yml'), 'users')).code).toBe(0);
  });
});
