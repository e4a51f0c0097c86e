import { describe, expect, it } from 'vitest';
import { createReadinessCheck } from '../../src/metrics/readiness-check.js';

const answers = (): Promise<void> => Promise.resolve();
const none = (): Promise<string[]> => Promise.resolve([]);

describe('createReadinessCheck', () => {
  it('is ready when the database answers and no migration is pending', async () => {
    const check = createReadinessCheck({ ping: answers, pendingMigrations: none });
    await expect(check()).resolves.toEqual({ ready: true });
  });

  it('is not ready while migrations are pending, and says how many', async () => {
    const check = createReadinessCheck({
      ping: answers,
      pendingMigrations: () => Promise.resolve(['0002-a', '0003-b']),
    });
    await expect(check()).resolves.toEqual({ ready: false, reason: '2 migrations pending' });
  });

  it('is not ready when the database does not answer in time', async () => {
    const check = createReadinessCheck({
      ping: () => new Promise(() => undefined),
      pendingMigrations: none,
      timeoutMs: 20,
    });
    await expect(check()).resolves.toMatchObject({
      ready: false,
      reason: 'database did not answer within 20 ms',
    });
  });

  it('gives a fixed reason when the database fails, keeping the error only for the log', async () => {
    const failure = new Error('connect ECONNREFUSED postgres://admin:hunter2@db/forgetpw');
    const check = createReadinessCheck({ ping: () => Promise.reject(failure), pendingMigrations: none });
    const state = await check();
    expect(state).toEqual({ ready: false, reason: 'database unavailable', cause: failure });
  });

  it('checks the migrations once per TTL, not on every probe', async () => {
    let now = 0;
    let checks = 0;
    const check = createReadinessCheck({
      ping: answers,
      pendingMigrations: () => {
        checks++;
        return Promise.resolve([]);
      },
      migrationsTtlMs: 1000,
      now: () => now,
    });
    await check();
    now = 999;
    await check();
    expect(checks).toBe(1);
    now = 1000;
    await check();
    expect(checks).toBe(2);
  });

  it('pings the database every probe, so a stopped database shows at once', async () => {
    let up = true;
    const check = createReadinessCheck({
      ping: () => (up ? Promise.resolve() : Promise.reject(new Error('down'))),
      pendingMigrations: none,
    });
    await expect(check()).resolves.toEqual({ ready: true });
    up = false;
    await expect(check()).resolves.toMatchObject({ ready: false });
  });

  it('lets concurrent probes share one database round trip', async () => {
    let pings = 0;
    let release = (): void => undefined;
    const check = createReadinessCheck({
      ping: () => {
        pings++;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      pendingMigrations: none,
    });
    const probes = [check(), check(), check()];
    release();
    await expect(Promise.all(probes)).resolves.toEqual([{ ready: true }, { ready: true }, { ready: true }]);
    expect(pings).toBe(1);
  });
});
