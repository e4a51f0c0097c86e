import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../../src/app/start-daemon.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Store } from '../../src/flows/store.js';
import { migrateLatest } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open-store.js';
import { freshSqlite, type FreshSqlite } from '../support/databases.js';
import { freePort } from '../support/free-port.js';
import { gateClient } from '../support/gate-client.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

type LogLine = Record<string, unknown>;

describe('the maintenance timer', () => {
  let db: FreshSqlite | undefined;
  let daemon: Daemon | undefined;

  afterEach(async () => {
    await daemon?.close();
    db?.cleanup();
    daemon = undefined;
  });

  /** `seed` writes to the database before the daemon (and so its first pass) starts. */
  async function start(seed?: (store: Store) => Promise<void>): Promise<{ daemon: Daemon; logs: LogLine[] }> {
    db = freshSqlite();
    const config = loadConfig(`${db.dir}/forgetpw.yml`, {
      env: {},
      allowMissing: true,
      base: {
        host: '127.0.0.1',
        port: await freePort(),
        state: { dsn: db.dsn },
        email: { from: 'robot@example.org', method: 'file', options: { path: 'mail' } },
        sites: ['site.example'],
      },
    });
    const store = await openStore(config.state, { baseDir: db.dir });
    await migrateLatest(store.knex);
    await seed?.(store);
    await store.close();
    const logs: LogLine[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });
    daemon = await startDaemon(config, {
      configDir: db.dir,
      log,
      clock: { now: () => NOW },
      maintenance: { firstMs: 50, everyMs: 50 },
    });
    return { daemon, logs };
  }

  async function logged(logs: LogLine[], event: string): Promise<LogLine> {
    for (let waited = 0; waited < 5000; waited += 20) {
      const line = logs.find((l) => l['event'] === event);
      if (line !== undefined) return line;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no ${event} log line`);
  }

  const token = (hash: string, expiresAt: number) => ({
    hash,
    kind: 'pending' as const,
    userId: null,
    site: 'site.example',
    createdAt: expiresAt - HOUR,
    expiresAt,
    absoluteExpiresAt: expiresAt,
  });

  it('purges tokens and rate-limit windows that ended over a day ago, and logs the counts', async () => {
    const { daemon: d, logs } = await start(async (store) => {
      await store.tokens.insert(token('a'.repeat(64), NOW - 2 * DAY));
      await store.tokens.insert(token('b'.repeat(64), NOW - HOUR));
      await store.limits.hit('email-address:x@example.org', NOW - 3 * DAY);
      await store.limits.hit('email-address:x@example.org', NOW - HOUR);
    });

    const line = await logged(logs, 'maintenance');
    expect(line).toMatchObject({ tokens: 1, limits: 1, audit: 0 });
    expect(await d.store.tokens.get('a'.repeat(64))).toBeUndefined();
    expect(await d.store.tokens.get('b'.repeat(64))).toBeDefined();
    expect(await d.store.knex('limits').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('deletes audit events older than audit.retention (90 days) and keeps the rest', async () => {
    const { daemon: d, logs } = await start(async (store) => {
      await store.audit.record({
        at: NOW - 91 * DAY,
        event: 'login',
        site: 'site.example',
        address: 'old@example.org',
      });
      await store.audit.record({
        at: NOW - 89 * DAY,
        event: 'login',
        site: 'site.example',
        address: 'new@example.org',
      });
    });
    expect(await logged(logs, 'maintenance')).toMatchObject({ audit: 1 });
    const left = await d.store.knex('audit').select('address');
    expect(left).toEqual([{ address: 'new@example.org' }]);
  });

  it('logs a failed pass and goes on serving', async () => {
    const { daemon: d, logs } = await start();
    await d.store.knex.schema.dropTable('limits');
    const line = await logged(logs, 'maintenance-failed');
    expect(line['level']).toBe(50);
    const answer = await gateClient(d.port).authorize('/page.html');
    expect(answer.status).toBe(401);
  });
});
