import { afterEach, describe, expect, it } from 'vitest';
import { addToken } from './arrange.js';
import { cliWorkspace, OPERATOR, type CliWorkspace } from './cli-workspace.js';

const ANN = 'ann@example.org';

describe('forgetpw disable / enable', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it('disables a user and revokes every session, link and API token they hold', async () => {
    ws = cliWorkspace();
    await ws.init();
    const tokens = await ws.withStore(async (store) => [
      await addToken(store, ANN, 'session'),
      await addToken(store, ANN, 'link'),
      await addToken(store, ANN, 'api'),
    ]);
    const bob = await ws.withStore((store) => addToken(store, 'bob@example.org', 'session'));
    const before = Date.now();
    const result = await ws.run('disable', 'Ann@EXAMPLE.org');
    expect(result).toMatchObject({
      code: 0,
      out: [`disabled ${ANN}; revoked 3 session(s), link(s) and API token(s)`],
    });
    await ws.withStore(async (store) => {
      expect((await store.users.byEmail(ANN))?.disabledAt).toBeGreaterThanOrEqual(before);
      for (const { hash } of tokens)
        expect((await store.tokens.get(hash))?.revokedAt).toBeGreaterThanOrEqual(before);
      expect((await store.tokens.get(bob.hash))?.revokedAt).toBeNull();
    });
  });

  it('records who disabled the user in the audit trail', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore((store) => addToken(store, ANN, 'session'));
    await ws.run('disable', ANN);
    const events = await ws.withStore((store) => store.audit.list({ limit: 10 }));
    expect(events).toMatchObject([
      {
        event: 'user-disabled',
        address: ANN,
        site: null,
        ip: null,
        detail: `revoked 1 session(s), link(s) and API token(s); by ${OPERATOR} (cli)`,
      },
    ]);
  });

  it('keeps the first time when a user is disabled twice', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore((store) => store.users.findOrCreate(ANN, Date.now()));
    await ws.run('disable', ANN);
    const first = await ws.withStore(async (store) => (await store.users.byEmail(ANN))?.disabledAt);
    const again = await ws.run('disable', ANN);
    expect(again.code).toBe(0);
    expect(again.out[0]).toMatch(
      /^ann@example\.org was already disabled \(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\); revoked 0 /,
    );
    expect(await ws.withStore(async (store) => (await store.users.byEmail(ANN))?.disabledAt)).toBe(first);
  });

  it('enables a disabled user again and records it', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore((store) => store.users.findOrCreate(ANN, Date.now()));
    await ws.run('disable', ANN);
    const result = await ws.run('enable', ANN);
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(
      /^enabled ann@example\.org \(disabled since .*\); they can ask for a new link$/,
    );
    expect(await ws.withStore(async (store) => (await store.users.byEmail(ANN))?.disabledAt)).toBeNull();
    const events = await ws.withStore((store) => store.audit.list({ limit: 10 }));
    expect(events.map((e) => e.event)).toEqual(['user-enabled', 'user-disabled']);
  });

  it('changes nothing when enabling a user who is not disabled', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore((store) => store.users.findOrCreate(ANN, Date.now()));
    const result = await ws.run('enable', ANN);
    expect(result).toMatchObject({ code: 0, out: [`${ANN} is not disabled; nothing changed`] });
    expect(await ws.withStore((store) => store.audit.list({ limit: 10 }))).toEqual([]);
  });

  it.each(['disable', 'enable'])('%s refuses an address that has no user (exit 2)', async (verb) => {
    ws = cliWorkspace();
    await ws.init();
    const result = await ws.run(verb, 'nobody@example.org');
    expect(result.code).toBe(2);
    expect(result.err[0]).toBe(
      'error: there is no user nobody@example.org: users are created on their first login (see `forgetpw users`)',
    );
    expect(await ws.withStore((store) => store.users.list())).toEqual([]);
  });

  it.each(['disable', 'enable'])(
    '%s refuses a bad address before reading anything (exit 2)',
    async (verb) => {
      ws = cliWorkspace();
      // No config at all: the address is checked first.
      const result = await ws.run(verb, 'ann@example.org\r\nBcc: eve@example.org');
      expect(result.code).toBe(2);
      expect(result.err[0]).toMatch(/^error: not an e-mail address: .* \(control character\)$/);
    },
  );
});
