import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, type Gate } from './harness.js';

const SAME = { origin: `http://${SITE}` };

describe('logout', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate();
  });
  afterAll(() => g.close());

  const status = async (session: string): Promise<number> =>
    (await g.gate.authorize('/page.html', { cookie: `forgetpw=${session}` })).status;

  const logoutsOf = async (address: string): Promise<string[]> =>
    (await g.daemon.daemon.store.audit.list({ address, limit: 100 }))
      .map((entry) => entry.event)
      .filter((event) => event.startsWith('logout'));

  it('ends every session of the user from a live session', async () => {
    const address = 'ann@example.org';
    await g.grant(address);
    const one = await g.login(address);
    const two = await g.login(address);
    const res = await g.gate.post('/logout?all=1', {}, { ...SAME, cookie: `forgetpw=${one}` });
    expect(res.status).toBe(303);
    expect(res.header('Location')).toBe(`http://${SITE}/logged-out-all`);
    expect(await status(one)).toBe(401);
    expect(await status(two)).toBe(401);
    expect(await logoutsOf(address)).toEqual(['logout-all']);
  });

  it('ends nothing everywhere with a cookie that was logged out already', async () => {
    const address = 'bea@example.org';
    await g.grant(address);
    const stolen = await g.login(address);
    const other = await g.login(address);
    await g.gate.post('/logout', {}, { ...SAME, cookie: `forgetpw=${stolen}` });
    for (let i = 0; i < 3; i++) {
      const res = await g.gate.post('/logout?all=1', {}, { ...SAME, cookie: `forgetpw=${stolen}` });
      // The browser is still sent away with its cookie cleared, as for any logout.
      expect(res.status).toBe(303);
      expect(res.header('Location')).toBe(`http://${SITE}/logged-out-all`);
      expect(res.cookies()[0]).toMatch(/^forgetpw=;/);
    }
    expect(await status(other)).toBe(200);
    expect(await logoutsOf(address)).toEqual(['logout']);
  });

  it('ends nothing everywhere with an expired cookie', async () => {
    const address = 'cai@example.org';
    await g.grant(address);
    const old = await g.login(address);
    g.clock.advance(14 * 86400 + 1);
    const fresh = await g.login(address);
    expect(await status(old)).toBe(401);
    const res = await g.gate.post('/logout?all=1', {}, { ...SAME, cookie: `forgetpw=${old}` });
    expect(res.status).toBe(303);
    expect(await status(fresh)).toBe(200);
    expect(await logoutsOf(address)).toEqual([]);
  });

  it('ends nothing with a session of another site', async () => {
    const address = 'dan@example.org';
    await g.grant(address);
    await g.grant(address, 'other.example');
    const elsewhere = await g.login(address, { host: 'other.example' });
    const here = await g.login(address);
    await g.gate.post('/logout?all=1', {}, { ...SAME, cookie: `forgetpw=${elsewhere}` });
    expect(await status(here)).toBe(200);
  });
});

describe('logout to an absolute URL', () => {
  let g: Gate;
  beforeAll(async () => {
    // The original's README allows targets that are "not necessarily relative".
    g = await startGate({
      targets: { logout_one: 'https://www.example.org/goodbye', logout_all: 'https://www.example.org/all' },
    });
  });
  afterAll(() => g.close());

  it('sends the browser to the configured URL, its session ended and its cookie cleared', async () => {
    const address = 'dee@example.org';
    await g.grant(address);
    const session = await g.login(address);
    const res = await g.gate.post('/logout', {}, { ...SAME, cookie: `forgetpw=${session}` });
    expect(res.status).toBe(303);
    expect(res.header('Location')).toBe('https://www.example.org/goodbye');
    expect(res.cookies()[0]).toMatch(/^forgetpw=;/);
    expect((await g.gate.authorize('/page.html', { cookie: `forgetpw=${session}` })).status).toBe(401);
    const all = await g.gate.post('/logout?all=1', {}, SAME);
    expect(all.header('Location')).toBe('https://www.example.org/all');
  });
});
