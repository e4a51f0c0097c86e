/**
 * `npm run soak` (issue 18): Apache + the daemon (`workers: 2`) on a throwaway PostgreSQL,
 * mail to a real SMTP sink, mixed traffic at 500 req/s for about 10 minutes, and faults
 * while it runs: PostgreSQL stopped for 20 s, the SMTP sink stopped for 30 s, people
 * disabled with the CLI, a SIGHUP reload and one worker SIGKILLed. Then the checks of the
 * issue, printed as a table for BENCHMARKS.md (and bench/results/soak-latest.json).
 *
 *   npm run soak -- --minutes 2        a short run (the faults scale with it)
 *   npm run soak -- --rate 200 --workers 1
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config/load-config.js';
import { migrateLatest } from '../src/store/migrate.js';
import { openStore } from '../src/store/open-store.js';
import { hashSecret } from '../src/tokens/hash-secret.js';
import { startApache } from '../test/support/apache.js';
import { freePort } from '../test/support/free-port.js';
import { startPostgres } from '../test/support/postgres.js';
import { benchSecret } from './bench-secret.js';
import { createDatabase } from './create-database.js';
import { percentile } from './percentile.js';
import { benchEmail, seedSessions } from './seed-sessions.js';
import { judge, type FaultWindow, type StoreFacts } from './soak/checks.js';
import { startMailbox } from './soak/mailbox.js';
import { processTree, sampleResources, type Sample } from './soak/resources.js';
import { soakHttp } from './soak/soak-http.js';
import { soakTraffic } from './soak/traffic.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '500' },
    workers: { type: 'string', default: '2' },
    sessions: { type: 'string', default: '1000' },
  },
});
const minutes = Number(args.minutes);
const rate = Number(args.rate);
const workers = Number(args.workers);
const sessionCount = Number(args.sessions);
const SITE = 'site.example';
const TTL_S = 5;
const repo = path.resolve(import.meta.dirname, '..');
const main = path.join(repo, 'dist/src/main.js');
const run = promisify(execFile);
const began = Date.now();
const log = (line: string): void => {
  process.stderr.write(`[soak ${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};

const cleanups: Array<() => Promise<unknown>> = [];
const dir = await mkdtemp(path.join(os.tmpdir(), 'forgetpw-soak-'));
cleanups.push(() => rm(dir, { recursive: true, force: true }));
const cleanUp = async (): Promise<void> => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  cleanups.length = 0;
};
// Ctrl-C stops the servers and removes the folder too.
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
let exitCode: number;
try {
  exitCode = await soak();
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 2;
} finally {
  await cleanUp();
}
process.exit(exitCode);

async function soak(): Promise<number> {
  // ---- PostgreSQL, seeded with live sessions ---------------------------------------------
  const cluster = await startPostgres();
  cleanups.push(() => cluster.destroy());
  const dsn = await createDatabase(cluster.adminUrl, 'soak');
  const defaults = loadConfig(path.join(dir, 'none.yml'), {
    env: {},
    allowMissing: true,
    base: { email: { from: 'soak@example.org' } },
  });
  const seedStore = await openStore({ dsn }, { baseDir: dir });
  await migrateLatest(seedStore.knex);
  const createdAt = Date.now() - 60_000;
  await seedSessions(seedStore, {
    count: sessionCount,
    site: SITE,
    createdAt,
    expiresAt: createdAt + defaults.state.expiry.cookie * 1000,
    absoluteExpiresAt: createdAt + defaults.state.expiry.absolute * 1000,
  });
  await seedStore.close();
  log(`PostgreSQL on ${String(cluster.port)}, ${String(sessionCount)} sessions seeded`);

  // ---- the SMTP sink, the daemon, Apache --------------------------------------------------
  const mailbox = await startMailbox();
  cleanups.push(() => mailbox.close());
  const port = await freePort();
  const configFile = path.join(dir, 'forgetpw.yml');
  await writeFile(
    configFile,
    stringify({
      host: '127.0.0.1',
      port,
      workers,
      state: { dsn },
      email: {
        from: 'soak@example.org',
        method: 'smtp',
        options: { host: '127.0.0.1', port: mailbox.port, secure: false, ignoreTLS: true },
      },
      cache: { ttl: TTL_S },
      // One client address (Apache's) asks for every link and replays dead cookies: the
      // limits would throttle the soak itself, not what it tests.
      limits: { email_per_address: 0, email_per_address_total: 0, email_per_ip: 0, bad_tokens_per_ip: 0 },
      log: { level: 'info' },
    }),
  );
  const logFile = path.join(dir, 'daemon.log');
  const daemon = await startDaemonProcess(configFile, logFile);
  cleanups.push(() => stopProcess(daemon));
  const apache = await startApache({ fcgiPort: port });
  cleanups.push(() => apache.stop());
  const origin = `http://${SITE}:${String(apache.port)}`;
  log(
    `daemon pid ${String(daemon.pid)} (${String(workers)} workers) on ${String(port)}, Apache on ${String(apache.port)}`,
  );

  const http = soakHttp(apache.port, SITE);
  cleanups.push(() => Promise.resolve(http.close()));
  const seeded = Array.from({ length: sessionCount }, (_, i) => ({
    cookie: benchSecret(i),
    address: benchEmail(i),
  }));
  const first = await http.send('cookie', {
    path: '/page.html',
    headers: { cookie: `forgetpw=${seeded[0]!.cookie}` },
  });
  if (first.status !== 200) throw new Error(`a seeded session got ${String(first.status)} before the soak`);
  http.answers.length = 0;

  const addresses = Array.from({ length: 1000 }, (_, i) => `soak${String(i).padStart(4, '0')}@example.org`);
  const traffic = soakTraffic({ http, mailbox, origin, rate, seeded, addresses });

  // ---- schedule ---------------------------------------------------------------------------
  const total = minutes * 60_000;
  const start = Date.now();
  const at = (fraction: number): number => start + fraction * total;
  const warmUpMs = Math.min(30_000, 0.1 * total);
  const windows: FaultWindow[] = [];
  const samples: Sample[] = [];
  const ports = [apache.port, port, cluster.port, mailbox.port];
  const sampler = setInterval(() => {
    void sampleResources(daemon.pid, ports).then((s) => samples.push(s));
  }, 5_000);
  cleanups.push(() => Promise.resolve(clearInterval(sampler)));

  const faults = async (): Promise<void> => {
    const window = async (
      name: string,
      when: number,
      graceMs: number,
      act: () => Promise<void>,
    ): Promise<void> => {
      await sleep(Math.max(0, when - Date.now()));
      const w = { name, start: Date.now(), end: 0, graceMs };
      log(`fault: ${name}`);
      await act();
      windows.push({ ...w, end: Date.now() });
    };
    await window('postgres-stopped', at(0.15), 10_000, async () => {
      await cluster.stop('fast');
      await sleep(20_000);
      await cluster.start();
    });
    await window('smtp-stopped', at(0.35), 2_000, async () => {
      await mailbox.stop();
      await sleep(30_000);
      await mailbox.start();
    });
    // Not a fault (nothing may fail): people disabled with the CLI, checked by the stale check.
    await sleep(Math.max(0, at(0.5) - Date.now()));
    const people = traffic.takeSeeded(3);
    for (const person of people)
      await run(process.execPath, [main, '-c', configFile, 'disable', person.address]);
    traffic.markDead(
      people.map((p) => p.cookie),
      Date.now(),
    );
    log(`disabled ${String(people.length)} people with the CLI`);
    await window('sighup-reload', at(0.6), 3_000, async () => {
      process.kill(daemon.pid, 'SIGHUP');
      await sleep(1_000);
    });
    await window('worker-killed', at(0.7), 5_000, async () => {
      const before = await processTree(daemon.pid);
      const victim = before[1];
      if (victim === undefined) throw new Error('no worker to kill');
      process.kill(victim, 'SIGKILL');
      // Until the supervisor has replaced it.
      for (let i = 0; i < 100; i++) {
        await sleep(100);
        const now = await processTree(daemon.pid);
        if (now.length === before.length && !now.includes(victim)) break;
      }
    });
  };

  log(`traffic at ${String(rate)} req/s for ${String(minutes)} min`);
  await Promise.all([traffic.run(start + total, 120_000), faults()]);
  clearInterval(sampler);
  const end = Date.now();
  log(`traffic done: ${String(http.answers.length)} answers`);

  // ---- the store's side -------------------------------------------------------------------
  const store = await openStore({ dsn }, { baseDir: dir });
  cleanups.push(() => store.close());
  const completed = traffic.flows.flatMap((f) => (f.session === undefined ? [] : [f.session]));
  const sessionRows = new Map<string, number>();
  for (let i = 0; i < completed.length; i += 500) {
    const batch = completed.slice(i, i + 500);
    const rows = await store
      .knex('tokens')
      .whereIn('hash', batch.map(hashSecret))
      .andWhere('kind', 'session')
      .select<Array<{ hash: string }>>('hash');
    const found = new Set(rows.map((r) => r.hash));
    for (const cookie of batch) sessionRows.set(cookie, found.has(hashSecret(cookie)) ? 1 : 0);
  }
  const audits = await store
    .knex('audit')
    .where('event', 'login')
    .andWhere('at', '>=', start)
    .groupBy('address')
    .select('address')
    .count<Array<{ address: string; n: string | number }>>({ n: '*' });
  const usable = await store
    .knex('tokens')
    .where('kind', 'link')
    .whereNull('used_at')
    .whereNull('revoked_at')
    .andWhere('expires_at', '>', Date.now())
    .count<Array<{ n: string | number }>>({ n: '*' });
  const facts: StoreFacts = {
    usableLinks: Number(usable[0]?.n ?? 0),
    sessionRows,
    loginAudits: new Map(audits.map((r) => [r.address, Number(r.n)])),
  };

  // ---- verdicts ---------------------------------------------------------------------------
  const verdicts = judge({
    answers: http.answers,
    windows,
    flows: traffic.flows,
    logouts: traffic.logouts,
    dead: traffic.dead,
    ttlMs: TTL_S * 1000,
    mailsTotal: mailbox.all().length,
    mailsUnclaimed: mailbox.unclaimed().length,
    store: facts,
    samples,
    firstMinute: [start + warmUpMs, start + warmUpMs + 60_000],
    lastMinute: [end - 60_000, end],
    checksPerSecond: http.answers.length / ((end - start) / 1000),
    unfinishedFlows: traffic.unfinished(),
  });
  const daemonLog = await readFile(logFile, 'utf8');
  const events = (name: string): number =>
    daemonLog.split('\n').filter((l) => l.includes(`"event":"${name}"`)).length;
  const errors = daemonLog
    .split('\n')
    .filter((l) => l.includes('"level":50') || l.includes('"level":60')).length;
  const cookie = http.answers
    .filter(
      (a) => a.kind === 'cookie' && !windows.some((w) => a.end >= w.start && a.start <= w.end + w.graceMs),
    )
    .map((a) => a.end - a.start)
    .sort((a, b) => a - b);
  const kinds = new Map<string, number>();
  for (const a of http.answers) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);

  const lines = [
    `Soak: ${String(minutes)} min at ${String(rate)} req/s, ${String(workers)} workers, PostgreSQL, cache.ttl ${String(TTL_S)} s, ${new Date(start).toISOString()}; load average ${os.loadavg()[0]!.toFixed(1)} at the end.`,
    `Answers: ${String(http.answers.length)} (${[...kinds].map(([k, n]) => `${k} ${String(n)}`).join(', ')}); ${String(http.resent())} sent again after Apache closed a kept-alive connection under them; valid-cookie latency outside the faults p50 ${String(percentile(cookie, 50))} ms, p99 ${String(percentile(cookie, 99))} ms.`,
    `Faults: ${windows.map((w) => `${w.name} at ${((w.start - start) / 1000).toFixed(0)} s for ${((w.end - w.start) / 1000).toFixed(1)} s`).join(', ')}. Daemon log: ${String(events('worker-died'))} worker-died, ${String(events('mail-failed'))} mail-failed, ${String(errors)} error lines.`,
    '',
    '| check | result | met |',
    '| --- | --- | --- |',
    ...verdicts.map((v) => `| ${v.check} | ${v.result} | ${v.ok ? 'yes' : '**no**'} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(path.join(repo, 'bench/results'), { recursive: true });
  await writeFile(
    path.join(repo, 'bench/results/soak-latest.json'),
    JSON.stringify(
      {
        minutes,
        rate,
        workers,
        start,
        windows,
        verdicts,
        samples,
        flows: traffic.flows.length,
        // Every flow that went wrong, with its times, to place it against the faults.
        problems: traffic.flows.filter((f) => f.problem !== undefined),
        errors: http.answers
          .filter((a) => a.status === 0)
          .map((a) => ({ ...a, start: a.start - start, end: a.end - start, cookie: undefined })),
      },
      null,
      2,
    ),
  );
  await writeFile(path.join(repo, 'bench/results/soak-daemon.log'), daemonLog);
  // Apache's own account of the resets the client saw (its folder goes with the cleanup).
  await writeFile(path.join(repo, 'bench/results/soak-apache-error.log'), await apache.errorLog());
  return verdicts.every((v) => v.ok) ? 0 : 1;
}

/** `forgetpw -c FILE fcgi` with its log in a file; resolves once it says it runs. */
async function startDaemonProcess(
  configFile: string,
  logFile: string,
): Promise<ChildProcess & { pid: number }> {
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [main, '-c', configFile, 'fcgi'], { stdio: ['ignore', out, out] });
  for (const end = Date.now() + 30_000; Date.now() < end;) {
    await sleep(100);
    if ((await readFile(logFile, 'utf8')).includes('Running authenticator daemon')) break;
    if (child.exitCode !== null) break;
  }
  const said = await readFile(logFile, 'utf8');
  if (child.pid === undefined || !said.includes('Running authenticator daemon')) {
    child.kill('SIGKILL');
    throw new Error(`the daemon did not start:\n${said}`);
  }
  return child as ChildProcess & { pid: number };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  if (!(await Promise.race([exited.then(() => true), sleep(15_000, false)]))) child.kill('SIGKILL');
}
