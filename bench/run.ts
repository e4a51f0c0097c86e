/**
 * `npm run bench` (issue 5): seeds stores, starts the daemons as production does and a
 * hermetic Apache in front of them, then measures every case in alternating rounds so
 * that the machine's noise hits them alike. Prints the table and the targets, writes
 * bench/results/latest.json. Options: --rounds N, --seconds N, --warmup N,
 * --connections N, --quick (1 round of 2 s, no 1M store, no PostgreSQL or MariaDB), --profile
 * (CPU-profile the SQLite daemons under the valid-cookie load only), --out FILE,
 * --daemon-node-options '...' (NODE_OPTIONS of the daemons, e.g. --max-semi-space-size=4),
 * --daemon-node-flag F (repeatable: on the daemons' node command line, for V8 flags NODE_OPTIONS refuses),
 * --steady-rate N and --steady-seconds N (the hey rows: 1,000 req/s for 30 s; 5 s with --quick),
 * --only ID,ID (only the cases whose id starts with one of these, beside static and basic, which
 * every ratio needs; the 1M, PostgreSQL and MariaDB stores are seeded only when a case names them).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load-config.js';
import { migrateLatest } from '../src/store/migrate.js';
import { openStore, type StoreHandle } from '../src/store/open-store.js';
import { sql, startMariadb, type MariadbServer } from '../test/support/mariadb.js';
import { startPostgres, type PostgresCluster } from '../test/support/postgres.js';
import { GATE_HOST, PAGE, startBenchApache } from './bench-apache.js';
import type { CaseResult } from './bench-case.js';
import { benchCases, isSteady } from './bench-cases.js';
import { startBenchNginx, type BenchNginx } from './bench-nginx.js';
import type { BenchReport } from './bench-report.js';
import { startBenchDaemon, type BenchDaemon, type DaemonMemory } from './bench-daemon.js';
import { benchHash, benchSecret } from './bench-secret.js';
import { createDatabase } from './create-database.js';
import { environment } from './environment.js';
import { authorizerParams, authorizerRequest, fcgiLoad } from './fcgi-load.js';
import { captureAnswer, startFloorAuthorizers } from './floor-authorizers.js';
import type { Measurement } from './measurement.js';
import { measureWithCpu } from './measure-with-cpu.js';
import { probeCacheBound } from './probe-cache-bound.js';
import { printReport } from './print-report.js';
import { summarizeProfile, type ProfileSummary } from './profile-summary.js';
import { seedSessions, type SeedPlan } from './seed-sessions.js';
import { summarizeCase } from './summarize-case.js';
import { checkTargets } from './targets.js';
import { timeCommand } from './time-command.js';
import { writeSnapshot, writesBetween, type WriteSnapshot } from './write-probe.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '8' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(import.meta.dirname, 'results', 'latest.json') },
    'daemon-node-options': { type: 'string' },
    'daemon-node-flag': { type: 'string', multiple: true, default: [] },
    'steady-rate': { type: 'string', default: '1000' },
    'steady-seconds': { type: 'string' },
    only: { type: 'string' },
  },
});
const quick = args.quick;
const profile = args.profile;
const rounds = quick || profile ? 1 : Number(args.rounds);
const seconds = quick ? 2 : profile ? 10 : Number(args.seconds);
const warmup = quick ? 1 : Number(args.warmup);
const connections = Number(args.connections);
const only = args.only
  ?.split(',')
  .map((id) => id.trim())
  .filter((id) => id !== '');
/** Every ratio is taken against static and Basic: they always run. */
const wanted = (id: string): boolean =>
  only === undefined || id === 'static' || id === 'basic' || only.some((prefix) => id.startsWith(prefix));
/** A store of its own is seeded for a full run, or when --only names one of its cases. */
const needs = (casePrefix: string): boolean =>
  only === undefined ? !quick && !profile : only.some((prefix) => casePrefix.startsWith(prefix));
const steady = {
  rate: Number(args['steady-rate']),
  seconds: Number(args['steady-seconds'] ?? (quick ? 5 : 30)),
};
/** Sessions in turn per case: browsers of 1,000 people. */
const SAMPLE = 1000;
const CACHE_TTL = 5;

const us = (value: number | undefined): string => (value === undefined ? '-' : value.toFixed(0));
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const started = performance.now();
const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(0)} s`;

const repo = path.resolve(import.meta.dirname, '..');
const dir = await mkdtemp(path.join(tmpdir(), 'forgetpw-bench-'));
const cleanups: Array<() => Promise<void>> = [];
const cleanup = async (): Promise<void> => {
  for (const step of cleanups.reverse())
    await step().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  await rm(dir, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

try {
  await main();
} catch (error) {
  log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
// A handle left open by a child's pipe must not keep a finished run waiting.
process.exit();

async function main(): Promise<void> {
  const env = environment();
  log(
    `bench: ${String(env.cpus)} CPUs, load ${env.loadAverage.toFixed(2)}, ${env.node}, ${env.apache}, ${env.wrk}`,
  );
  // The defaults the daemons run with: seeded sessions must not be due for a slide during the run.
  const defaults = loadConfig(path.join(dir, 'none.yml'), {
    env: {},
    allowMissing: true,
    base: { email: { from: 'bench@example.org' } },
  });
  const createdAt = Date.now() - 60_000;
  const plan = (count: number): SeedPlan => ({
    count,
    site: GATE_HOST,
    createdAt,
    expiresAt: createdAt + defaults.state.expiry.cookie * 1000,
    absoluteExpiresAt: createdAt + defaults.state.expiry.absolute * 1000,
  });

  // ---- stores -------------------------------------------------------------------------
  const sizes = { main: 100_000, small: 1000, large: needs('scale-1m') ? 1_000_000 : 0 };
  const seedTimes: Record<string, number> = {};
  const seeded = async (name: string, dsn: string, count: number): Promise<StoreHandle> => {
    const store = await openStore({ dsn }, { baseDir: dir });
    cleanups.push(() => store.close());
    await migrateLatest(store.knex);
    const t = performance.now();
    await seedSessions(store, plan(count));
    seedTimes[name] = (performance.now() - t) / 1000;
    log(
      `seeded ${name}: ${count.toLocaleString('en')} sessions in ${seedTimes[name].toFixed(1)} s (${elapsed()})`,
    );
    return store;
  };
  const sqliteDsn = (name: string): string => `sqlite://${path.join(dir, `${name}.db`)}`;
  const mainStore = await seeded('sqlite-100k', sqliteDsn('main'), sizes.main);
  const smallStore = await seeded('sqlite-1k', sqliteDsn('small'), sizes.small);
  const largeStore = sizes.large > 0 ? await seeded('sqlite-1M', sqliteDsn('large'), sizes.large) : undefined;
  let cluster: PostgresCluster | undefined;
  let pgStore: StoreHandle | undefined;
  let pgDsn = '';
  if (needs('pg-cookie')) {
    cluster = await startPostgres();
    cleanups.push(() => cluster!.destroy());
    pgDsn = await createDatabase(cluster.adminUrl, 'bench');
    pgStore = await seeded('postgres-100k', pgDsn, sizes.main);
  }
  let mariadb: MariadbServer | undefined;
  let mariadbStore: StoreHandle | undefined;
  let mariadbDsn = '';
  if (needs('mariadb-cookie')) {
    mariadb = await startMariadb();
    cleanups.push(() => mariadb!.destroy());
    await sql(mariadb.port, 'create database fp_bench');
    mariadbDsn = `${mariadb.appUrl}fp_bench`;
    mariadbStore = await seeded('mariadb-100k', mariadbDsn, sizes.main);
  }

  // ---- daemons and Apache -------------------------------------------------------------
  const profileDir = profile ? path.join(repo, 'bench', 'results', 'profiles') : undefined;
  if (profileDir !== undefined) {
    await rm(profileDir, { recursive: true, force: true });
    await mkdir(profileDir, { recursive: true });
  }
  const daemons = new Map<string, BenchDaemon>();
  const daemon = async (
    name: string,
    dsn: string,
    cacheTtl: number,
    profiled = false,
    http = false,
    workers?: number,
  ): Promise<BenchDaemon> => {
    const started = await startBenchDaemon({
      name,
      dir,
      dsn,
      cacheTtl,
      http,
      ...(workers === undefined ? {} : { workers }),
      ...(args['daemon-node-options'] === undefined ? {} : { nodeOptions: args['daemon-node-options'] }),
      nodeFlags: args['daemon-node-flag'],
      ...(profiled && profileDir !== undefined ? { profileDir: path.join(profileDir, name) } : {}),
    });
    cleanups.push(() => started.stop());
    daemons.set(name, started);
    return started;
  };
  // The main daemon also serves the HTTP forward-auth listener nginx asks (issue 13).
  const primary = await daemon('main', sqliteDsn('main'), CACHE_TTL, true, !profile);
  await daemon('nocache', sqliteDsn('main'), 0, true);
  if (!profile) {
    await daemon('s1k', sqliteDsn('small'), 0);
    // One port, two processes (issue 18): the FastCGI rows compare it with `main`.
    await daemon('w2', sqliteDsn('main'), CACHE_TTL, false, false, 2);
    if (largeStore !== undefined) await daemon('s1m', sqliteDsn('large'), 0);
    if (pgStore !== undefined) {
      await daemon('pg', pgDsn, CACHE_TTL);
      await daemon('pg-nocache', pgDsn, 0);
    }
    if (mariadbStore !== undefined) await daemon('mariadb', mariadbDsn, CACHE_TTL);
  }
  // The floor: authorizers that answer with the main daemon's own bytes and do nothing else.
  if (!profile) {
    const answer = await captureAnswer(
      primary.port,
      authorizerParams(GATE_HOST, PAGE, { cookie: `${defaults.keys.cookie}=${benchSecret(0)}` }),
    );
    for (const floor of await startFloorAuthorizers(dir, answer, (why) => log(`left out: ${why}`))) {
      cleanups.push(() => floor.stop());
      daemons.set(floor.name, floor);
    }
  }
  const apache = await startBenchApache({
    mainFcgiPort: primary.port,
    others: [...daemons.values()]
      .filter((d) => d !== primary)
      .map((d) => ({ name: d.name, fcgiPort: d.port })),
  });
  cleanups.push(() => apache.stop());
  let nginx: BenchNginx | undefined;
  if (!profile && primary.httpPort !== undefined) {
    try {
      nginx = await startBenchNginx({ daemonHttpPort: primary.httpPort, gateHost: GATE_HOST });
      cleanups.push(() => nginx!.stop());
    } catch (error) {
      log(`left out: nginx (${String(error)})`);
    }
  }
  log(`daemons, Apache${nginx === undefined ? '' : ' and nginx'} up (${elapsed()})`);

  // ---- cases --------------------------------------------------------------------------
  const cookieName = defaults.keys.cookie;
  const allCases = await benchCases({
    dir,
    apache,
    daemons,
    cookieName,
    sizes,
    sample: SAMPLE,
    connections,
    cookieOnly: profile,
    nginx,
    steady,
  });
  const cases = allCases.filter((bench) => wanted(bench.id));

  // ---- the cache's bound, end to end (before the write baseline: it writes) -------------
  const cacheBound = profile
    ? { revokedElsewhereRefusedAfterS: Number.NaN, statusRightAfterLogout: Number.NaN }
    : await probeCacheBound({
        port: apache.port,
        host: GATE_HOST,
        cookieName,
        secrets: [benchSecret(sizes.main - 1), benchSecret(sizes.main - 2)],
        revokeBehindTheDaemon: async () => {
          await mainStore
            .knex('tokens')
            .where({ hash: benchHash(sizes.main - 1) })
            .update({ revoked_at: Date.now() });
        },
      });
  if (!profile) {
    log(
      `cache bound: revoked behind the daemon refused after ${cacheBound.revokedElsewhereRefusedAfterS.toFixed(2)} s; ` +
        `right after logout: ${String(cacheBound.statusRightAfterLogout)} (${elapsed()})`,
    );
  }

  // ---- measurements -------------------------------------------------------------------
  const watched = [
    ['sqlite-100k', mainStore],
    ['sqlite-1k', smallStore],
    ...(largeStore === undefined ? [] : [['sqlite-1M', largeStore] as const]),
    ...(pgStore === undefined ? [] : [['postgres-100k', pgStore] as const]),
    ...(mariadbStore === undefined ? [] : [['mariadb-100k', mariadbStore] as const]),
  ] as const;
  const before = new Map<string, WriteSnapshot>();
  for (const [name, store] of watched) before.set(name, await writeSnapshot(store, plan(0)));

  for (const bench of cases) if (!isSteady(bench)) await bench.measure(warmup);
  log(`warmed up (${elapsed()})`);
  const measured = new Map<string, Measurement[]>(cases.map((c) => [c.id, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const bench of cases) {
      const m = await measureWithCpu(bench, seconds);
      measured.get(bench.id)!.push(m);
      log(
        `round ${String(round)} ${bench.id.padEnd(18)} ${m.rps.toFixed(0).padStart(6)} req/s  ` +
          `p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  ` +
          `CPU/req daemon ${us(m.cpuUs?.daemon)} Apache ${us(m.cpuUs?.apache)} client ${us(m.cpuUs?.client)}  (${elapsed()})`,
      );
    }
  }

  const writes = [];
  for (const [name, store] of watched) {
    writes.push({ store: name, ...writesBetween(before.get(name)!, await writeSnapshot(store, plan(0))) });
  }

  // ---- memory, CLI --------------------------------------------------------------------
  const memory: Record<string, DaemonMemory> = {};
  // w2's pid is its supervisor: its workers' RSS is not in it.
  for (const [name, d] of daemons)
    if (!name.startsWith('floor-') && name !== 'w2') memory[name] = await d.memory();
  // Fill the session cache to its bound (10,000 distinct sessions) and weigh the daemon again.
  const fill = Array.from({ length: defaults.cache.size }, (_, i) =>
    authorizerRequest(GATE_HOST, PAGE, { cookie: `${cookieName}=${benchSecret(i)}` }),
  );
  await fcgiLoad({ port: primary.port, requests: fill, concurrency: connections, seconds: profile ? 1 : 4 });
  memory['main, cache full'] = await primary.memory();

  const entry = path.join(repo, 'dist', 'src', 'main.js');
  const cli = {
    help: timeCommand(process.execPath, [entry, '--help'], 10),
    privilegeList: timeCommand(
      process.execPath,
      [entry, '-c', path.join(dir, 'main.yml'), 'privilege', '-l'],
      10,
    ),
    tokenList: timeCommand(process.execPath, [entry, '-c', path.join(dir, 'main.yml'), 'token', 'list'], 10),
    check: timeCommand(process.execPath, [entry, '-c', path.join(dir, 'main.yml'), 'check'], 10),
  };

  // ---- results ------------------------------------------------------------------------
  const results = new Map<string, CaseResult>();
  const reference = (id: string): Measurement[] => measured.get(id) ?? [];
  for (const bench of cases) {
    results.set(
      bench.id,
      summarizeCase(bench, measured.get(bench.id)!, reference('static'), reference('basic')),
    );
  }
  const targets = checkTargets({
    cases: results,
    writes,
    cacheTtl: CACHE_TTL,
    cacheBound,
    rss1mMb: memory['s1m']?.rssMb,
    rssFullCacheMb: memory['main, cache full'].rssMb,
    cli,
  });

  let profiles: Record<string, ProfileSummary> | undefined;
  if (profileDir !== undefined) {
    for (const name of ['main', 'nocache']) await daemons.get(name)!.stop();
    profiles = {};
    for (const name of ['main', 'nocache']) {
      const file = (await readdir(path.join(profileDir, name))).find((f) => f.endsWith('.cpuprofile'));
      if (file !== undefined) profiles[name] = await summarizeProfile(path.join(profileDir, name, file));
    }
  }

  const report: BenchReport = {
    at: new Date().toISOString(),
    environment: env,
    settings: {
      rounds,
      seconds,
      warmup,
      connections,
      sample: SAMPLE,
      cacheTtl: CACHE_TTL,
      quick,
      profile,
      steadyRate: steady.rate,
      steadySeconds: steady.seconds,
      daemonNodeOptions: args['daemon-node-options'] ?? null,
      daemonNodeFlags: args['daemon-node-flag'],
    },
    cases: [...results.values()],
    targets,
    writes,
    cacheBound,
    memory,
    cli,
    seedSeconds: seedTimes,
    ...(profiles === undefined ? {} : { profiles }),
  };
  process.stdout.write(`\n${printReport(report)}\n\ntotal ${elapsed()}\n`);
  await mkdir(path.dirname(args.out), { recursive: true });
  await writeFile(args.out, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), args.out)}`);
}
