import { afterEach, describe, expect, it } from 'vitest';
import { addToken, DAY, MINUTE } from './arrange.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

const ANN = 'ann@example.org';
const BOB = 'bob@example.org';
const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);
/** A creation time that keeps the default lifetimes in the future for years. */
const LONG = { createdAt: T0, expiresAt: Date.UTC(2099, 0, 1), absoluteExpiresAt: Date.UTC(2099, 0, 1) };

interface Listed {
  id: string;
  kind: string;
  address: string;
  site: string;
  created: string;
  lastSeen: string | null;
  expires: string;
}

describe('forgetpw sessions', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it('lists live sessions and API tokens, never their secret nor their full hash', async () => {
    ws = cliWorkspace();
    await ws.init();
    const { session, api, link } = await ws.withStore(async (store) => ({
      session: await addToken(store, ANN, 'session', LONG),
      api: await addToken(store, BOB, 'api', { ...LONG, createdAt: T0 + MINUTE, site: 'wiki.example' }),
      link: await addToken(store, ANN, 'link', LONG),
    }));
    const result = await ws.run('sessions');
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      'ID        KIND     ADDRESS          SITE          CREATED               LAST SEEN             EXPIRES',
      `${api.hash.slice(0, 8)}  api      ${BOB}  wiki.example  2026-01-15 09:31:00Z  -                     2099-01-01 00:00:00Z`,
      `${session.hash.slice(0, 8)}  session  ${ANN}  site.example  2026-01-15 09:30:00Z  2026-01-15 09:30:00Z  2099-01-01 00:00:00Z`,
    ]);
    for (const token of [session, api, link]) {
      expect(result.text).not.toContain(token.secret);
      expect(result.text).not.toContain(token.hash);
    }
    expect(result.text).not.toContain(link.hash.slice(0, 8));
  });

  it('leaves out revoked and expired sessions', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore(async (store) => {
      const revoked = await addToken(store, ANN, 'session', LONG);
      await store.tokens.revoke(revoked.hash, Date.now());
      await addToken(store, ANN, 'session', { createdAt: Date.now() - 2 * DAY, expiresAt: Date.now() - DAY });
      await addToken(store, ANN, 'api', { ...LONG, absoluteExpiresAt: Date.now() - MINUTE });
    });
    expect((await ws.run('sessions')).out).toEqual(['No live sessions.']);
  });

  it('shows the sessions of one user, the earlier of idle and absolute expiry, as JSON', async () => {
    ws = cliWorkspace();
    await ws.init();
    const ann = await ws.withStore(async (store) => {
      await addToken(store, BOB, 'session', LONG);
      return addToken(store, ANN, 'session', { ...LONG, absoluteExpiresAt: Date.UTC(2098, 5, 1) });
    });
    expect(await ws.json<Listed[]>('sessions', ANN, '--json')).toEqual([
      {
        id: ann.hash.slice(0, 8),
        kind: 'session',
        address: ANN,
        site: 'site.example',
        created: '2026-01-15T09:30:00.000Z',
        lastSeen: '2026-01-15T09:30:00.000Z',
        expires: '2098-06-01T00:00:00.000Z',
      },
    ]);
    expect((await ws.run('sessions', 'Carol@example.org')).code).toBe(2);
  });

  it('says when one user has no live session', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore((store) => store.users.findOrCreate(ANN, T0));
    expect((await ws.run('sessions', ANN)).out).toEqual([`No live sessions of ${ANN}.`]);
  });

  it('refuses a bad address (exit 2)', async () => {
    ws = cliWorkspace();
    await ws.init();
    const result = await ws.run('sessions', 'ann@');
    expect(result.code).toBe(2);
    expect(result.err[0]).toBe('error: not an e-mail address: "ann@" (empty domain)');
  });
});

describe('forgetpw logout', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it("ends every session and unused link of the user, keeps API tokens and other users' sessions", async () => {
    ws = cliWorkspace();
    await ws.init();
    const t = await ws.withStore(async (store) => ({
      one: await addToken(store, ANN, 'session', LONG),
      two: await addToken(store, ANN, 'session', { ...LONG, site: 'wiki.example' }),
      link: await addToken(store, ANN, 'link', LONG),
      api: await addToken(store, ANN, 'api', LONG),
      bob: await addToken(store, BOB, 'session', LONG),
    }));
    const result = await ws.run('logout', ANN);
    expect(result).toMatchObject({ code: 0, out: [`ended 3 session(s) and link(s) of ${ANN}`] });
    await ws.withStore(async (store) => {
      for (const token of [t.one, t.two, t.link])
        expect((await store.tokens.get(token.hash))?.revokedAt).not.toBeNull();
      for (const token of [t.api, t.bob]) expect((await store.tokens.get(token.hash))?.revokedAt).toBeNull();
      expect(await store.audit.list({ limit: 5 })).toMatchObject([
        {
          event: 'sessions-ended',
          address: ANN,
          detail: expect.stringMatching(/^revoked 3 session\(s\) and link\(s\); by /),
        },
      ]);
    });
    expect((await ws.run('sessions', ANN)).out).toEqual([
      expect.stringMatching(/^ID /),
      expect.stringMatching(/ api /),
    ]);
  });

  it('revokes API tokens too with --api', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore(async (store) => {
      await addToken(store, ANN, 'session', LONG);
      await addToken(store, ANN, 'api', LONG);
    });
    const result = await ws.run('logout', '--api', ANN);
    expect(result.out).toEqual([`ended 2 session(s), link(s) and API token(s) of ${ANN}`]);
    expect((await ws.run('sessions')).out).toEqual(['No live sessions.']);
  });

  it('reports zero and records nothing when there was nothing to end', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore((store) => store.users.findOrCreate(ANN, T0));
    expect((await ws.run('logout', ANN)).out).toEqual([`ended 0 session(s) and link(s) of ${ANN}`]);
    expect(await ws.withStore((store) => store.audit.list({ limit: 5 }))).toEqual([]);
  });

  it('refuses an unknown user and a bad address (exit 2)', async () => {
    ws = cliWorkspace();
    await ws.init();
    expect((await ws.run('logout', 'nobody@example.org')).code).toBe(2);
    expect((await ws.run('logout', 'not an address')).code).toBe(2);
    expect((await ws.run('logout')).code).toBe(2);
  });
});
