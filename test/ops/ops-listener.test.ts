import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshSqlite } from '../support/databases.js';
import { freePort } from '../support/free-port.js';
import { gateClient } from '../support/gate-client.js';
import { startPostgres, type PostgresCluster } from '../support/postgres.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { scrape } from './scrape.js';

/** In the DSN only (the cluster trusts every local login): it must never show on the listener. */
const PASSWORD = 'never-on-the-wire-7a1c';

async function get(port: number, path: string, method = 'GET'): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: res.status, text: await res.text() };
}

async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the ops listener', () => {
  let cluster: PostgresCluster;
  let sink: SmtpSink;
  let gate: TestDaemon;
  let ops: number;

  beforeAll(async () => {
    // A cluster of our own: this suite stops and starts it.
    cluster = await startPostgres();
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('create database ops_listener');
    await admin.end();
    sink = await startSmtpSink();
    gate = await startTestDaemon({
      dsn: `postgres://postgres:${PASSWORD}@127.0.0.1:${cluster.port}/ops_listener`,
      smtpPort: sink.port,
      settings: {
        metrics: { listen: `127.0.0.1:${await freePort()}` },
        state: { options: { connectionTimeoutMillis: 500 } },
      },
    });
    ops = gate.daemon.ops!.port;
  });

  afterAll(async () => {
    await gate?.close();
    await sink?.close();
    await cluster?.destroy();
  });

  it('answers /healthz with 200 ok', async () => {
    await expect(get(ops, '/healthz')).resolves.toEqual({ status: 200, text: 'ok\n' });
  });

  it('answers /readyz with 200 while the database answers and is migrated', async () => {
    await expect(get(ops, '/readyz')).resolves.toEqual({ status: 200, text: 'ready\n' });
  });

  it('serves the metrics in Prometheus text format, with process metrics', async () => {
    const metrics = await scrape(ops);
    expect(metrics.status).toBe(200);
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.value('forgetpw_requests_total{role="authorizer",outcome="default_401"}')).toBe(0);
    expect(metrics.text).toContain('# TYPE forgetpw_request_duration_seconds histogram');
  });

  it('answers 404 to any other path or method', async () => {
    for (const [path, method] of [
      ['/', 'GET'],
      ['/metrics/extra', 'GET'],
      ['/healthz', 'POST'],
      ['/readyz/', 'GET'],
      ['/HEALTHZ', 'GET'],
    ] as const) {
      expect((await get(ops, path, method)).status, `${method} ${path}`).toBe(404);
    }
  });

  it('answers /readyz with 503 while the database is stopped, then 200 once it is back', async () => {
    await cluster.stop();
    try {
      const down = await until(
        () => get(ops, '/readyz'),
        (r) => r.status === 503,
      );
      expect(down.status).toBe(503);
      expect(down.text).toBe('not ready: database unavailable\n');
      expect((await get(ops, '/healthz')).status).toBe(200);
    } finally {
      await cluster.start();
    }
    const up = await until(
      () => get(ops, '/readyz'),
      (r) => r.status === 200,
    );
    expect(up.status).toBe(200);
  });

  it('counts requests that failed on the database as DB errors with the unavailable page', async () => {
    const gateway = gateClient(gate.port);
    const cookie = `forgetpw=${randomBytes(32).toString('base64url')}`;
    const before = await scrape(ops);
    await cluster.stop();
    try {
      const answer = await gateway.authorize('/page.html', { cookie });
      expect(answer.status).toBe(503);
    } finally {
      await cluster.start();
    }
    const after = await scrape(ops);
    const series = 'forgetpw_requests_total{role="authorizer",outcome="unavailable"}';
    expect(after.value('forgetpw_db_errors_total')).toBe((before.value('forgetpw_db_errors_total') ?? 0) + 1);
    expect(after.value(series)).toBe((before.value(series) ?? 0) + 1);
  });

  it('never shows the database credentials, up or down', async () => {
    const bodies = [(await get(ops, '/readyz')).text, (await scrape(ops)).text];
    await cluster.stop();
    try {
      bodies.push(
        (
          await until(
            () => get(ops, '/readyz'),
            (r) => r.status === 503,
          )
        ).text,
      );
      bodies.push((await scrape(ops)).text);
    } finally {
      await cluster.start();
    }
    for (const body of bodies) {
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain('postgres://');
      expect(body).not.toContain(`127.0.0.1:${cluster.port}`);
    }
  });
});

describe('the ops listener of a daemon', () => {
  it('is off when metrics.listen is not set', async () => {
    const db = freshSqlite();
    const gate = await startTestDaemon({ dsn: db.dsn, smtpPort: 9 });
    try {
      expect(gate.daemon.ops).toBeUndefined();
    } finally {
      await gate.close();
      db.cleanup();
    }
  });

  it('closes when the daemon stops', async () => {
    const db = freshSqlite();
    const port = await freePort();
    const gate = await startTestDaemon({
      dsn: db.dsn,
      smtpPort: 9,
      settings: { metrics: { listen: `127.0.0.1:${port}` } },
    });
    expect((await get(port, '/healthz')).status).toBe(200);
    await gate.close();
    db.cleanup();
    await expect(get(port, '/healthz')).rejects.toThrow();
  });
});
