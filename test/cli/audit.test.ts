import { afterEach, describe, expect, it } from 'vitest';
import type { StoreHandle } from '../../src/store/open-store.js';
import { DAY, MINUTE } from './arrange.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);

interface Listed {
  time: string;
  event: string;
  site: string | null;
  address: string | null;
  ip: string | null;
  detail: string | null;
}

async function history(store: StoreHandle): Promise<void> {
  const record = (at: number, event: string, site: string, address: string) =>
    store.audit.record({ at, event, site, address, ip: '192.0.2.7' });
  await record(T0, 'link-sent', 'site.example', 'ann@example.org');
  await record(T0 + MINUTE, 'login', 'site.example', 'ann@example.org');
  await record(T0 + 2 * MINUTE, 'denied', 'wiki.example', 'eve@example.net');
  await record(T0 + DAY, 'logout', 'site.example', 'ann@example.org');
}

describe('forgetpw audit', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it('shows the trail newest first as a table', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore(history);
    const result = await ws.run('audit');
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      'TIME                  EVENT      SITE          ADDRESS          IP         DETAIL',
      '2026-01-16 09:30:00Z  logout     site.example  ann@example.org  192.0.2.7',
      '2026-01-15 09:32:00Z  denied     wiki.example  eve@example.net  192.0.2.7',
      '2026-01-15 09:31:00Z  login      site.example  ann@example.org  192.0.2.7',
      '2026-01-15 09:30:00Z  link-sent  site.example  ann@example.org  192.0.2.7',
    ]);
  });

  it('filters by address, site, date and count', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore(history);
    const events = async (...args: string[]) =>
      (await ws.json<Listed[]>('audit', '--json', ...args)).map((e) => `${e.time} ${e.event}`);
    expect(await events('--address', 'EVE@example.net')).toEqual(['2026-01-15T09:32:00.000Z denied']);
    expect(await events('--site', 'Site.Example', '--limit', '2')).toEqual([
      '2026-01-16T09:30:00.000Z logout',
      '2026-01-15T09:31:00.000Z login',
    ]);
    expect(await events('--since', '2026-01-15T09:31')).toHaveLength(3);
    expect(await events('--since', '2026-01-15 10:31:00+01:00')).toHaveLength(3);
    expect(await events('--since', '2026-01-16')).toEqual(['2026-01-16T09:30:00.000Z logout']);
  });

  it('reads --since as a duration back from now', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.withStore(async (store) => {
      await store.audit.record({ at: Date.now() - 2 * DAY, event: 'old' });
      await store.audit.record({ at: Date.now() - 2 * MINUTE, event: 'recent' });
    });
    const recent = await ws.json<Listed[]>('audit', '--json', '--since', 'PT1H');
    expect(recent).toEqual([
      { time: expect.any(String), event: 'recent', site: null, address: null, ip: null, detail: null },
    ]);
    expect(await ws.json<Listed[]>('audit', '--json', '--since', 'P7D')).toHaveLength(2);
  });

  it('shows admin changes made with the CLI', async () => {
    ws = cliWorkspace();
    await ws.init();
    await ws.run('privilege', '-d', 'site.example', 'example.org');
    await ws.run('mint', 'ann@example.org', 'https://site.example/');
    await ws.run('logout', 'ann@example.org');
    await ws.run('disable', 'ann@example.org');
    await ws.run('enable', 'ann@example.org');
    const events = await ws.json<Listed[]>('audit', '--json');
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['user-enabled', 'user-disabled', 'sessions-ended', 'link-minted']),
    );
    expect(events.every((e) => e.detail?.includes('(cli)'))).toBe(true);
  });

  it('says so when nothing matches', async () => {
    ws = cliWorkspace();
    await ws.init();
    expect((await ws.run('audit')).out).toEqual(['No audit events match.']);
  });

  it.each([
    ['--since', 'yesterday'],
    ['--since', '2026-01-15T25:00'],
    ['--since', 'P'],
    ['--limit', '0'],
    ['--limit', 'many'],
    ['--address', 'ann'],
    ['--site', '*'],
    ['--site', 'site.example:443'],
  ])('refuses %s %s (exit 2)', async (option, value) => {
    ws = cliWorkspace();
    await ws.init();
    const result = await ws.run('audit', option, value);
    expect(result.code).toBe(2);
    expect(result.err[0]).toMatch(/^error: /);
  });
});
