/**
 * `npm run bench:direct -- MODE [--seconds N] [--profile]`: the daemon's own cost per check
 * without a front server, for the edit-measure loop of issue 18 (a full `npm run bench` takes
 * 13 minutes). A daemon as production runs it on a fresh SQLite store of 100,000 sessions
 * (`cache.ttl` 5 s), loaded for N seconds (8) with valid cookies over 1,000 of them:
 *
 *   fcgi    FastCGI checks as mod_authnz_fcgi makes them (a connection each), 8 at a time
 *   http    forward-auth checks on the HTTP listener as nginx makes them (8 kept-alive connections)
 *   floor   the node floor of the Apache path (bench/floor), answering with the daemon's bytes
 *   codec-floor  our own FastCGI server with a handler that allows every check (bench/floor/codec-floor.ts):
 *           between floor and fcgi, it splits what the connection handling costs from what the flows do
 *   http-floor  the node floor of the nginx path (bench-nginx's FLOOR_SERVER), loaded as `http` is
 *
 * Prints requests, req/s, the process's CPU (user and system) per check and its peak RSS, from /proc.
 * `--profile` writes a V8 CPU profile and prints where its time went (bench/profile-summary.ts).
 * `--trace-gc` runs the measured process with node's `--trace-gc-nvp` and prints its collections
 * during the load: how many of each kind, pauses and incremental marking, and the bytes allocated,
 * promoted and copied, per check (bench/gc-trace.ts).
 * `--heap-spaces` samples the measured process's heap spaces every 100 ms and prints how many KB per
 * check each one grew by during the load (bench/heap-spaces.ts; not the young generation, which
 * churns too fast for it): the old space growing faster than the scavenges promote is garbage
 * allocated straight into it.
 * `--node-flag F` (repeatable) puts F on the measured process's node command line (V8 flags
 * NODE_OPTIONS refuses, e.g. `--heap-growing-percent=50`; they win over the daemon's own).
 * Numbers move by about 10% from run to run: compare runs made one after the other.
 */
import http from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load-config.js';
import { migrateLatest } from '../src/store/migrate.js';
import { openStore } from '../src/store/open-store.js';
import { freePort } from '../test/support/free-port.js';
import { spawnBenchProcess, startBenchDaemon, type BenchDaemon } from './bench-daemon.js';
import { benchSecret } from './bench-secret.js';
import { FLOOR_SERVER } from './bench-nginx.js';
import { authorizerParams, authorizerRequest, fcgiLoad } from './fcgi-load.js';
import { captureAnswer } from './floor-authorizers.js';
import { formatTable } from './format-table.js';
import { summarizeGcTrace } from './gc-trace.js';
import { HEAP_SPACES_PRELOAD, heapSpaceGrowth } from './heap-spaces.js';
import { summarizeProfile } from './profile-summary.js';
import { livePlan, seedSessions } from './seed-sessions.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '8' },
    profile: { type: 'boolean', default: false },
    'trace-gc': { type: 'boolean', default: false },
    'heap-spaces': { type: 'boolean', default: false },
    'node-flag': { type: 'string', multiple: true, default: [] },
  },
});
const mode = positionals[0] ?? 'fcgi';
if (!['fcgi', 'http', 'floor', 'codec-floor', 'http-floor'].includes(mode))
  throw new Error(`mode ${mode}: one of fcgi, http, floor, codec-floor, http-floor`);
const seconds = Number(values.seconds);
const SITE = 'site.example';
const PAGE = '/page.html';
const CONCURRENCY = 8;

const dir = await mkdtemp(path.join(tmpdir(), 'fp-direct-'));
const heapSpacesPreload = path.join(dir, 'heap-spaces.cjs');
/** On the measured process's node command line: `--node-flag`s, `--trace-gc-nvp`, the heap-spaces preload. */
const measuredFlags = [
  ...values['node-flag'],
  ...(values['trace-gc'] ? ['--trace-gc-nvp'] : []),
  ...(values['heap-spaces'] ? [`--require=${heapSpacesPreload}`] : []),
];
const profileDir = path.join(dir, 'profile');
const started: BenchDaemon[] = [];
try {
  const defaults = loadConfig(path.join(dir, 'none.yml'), {
    env: {},
    allowMissing: true,
    base: { email: { from: 'bench@example.org' } },
  });
  await writeFile(heapSpacesPreload, HEAP_SPACES_PRELOAD);
  const cookie = (i: number): string => `${defaults.keys.cookie}=${benchSecret(i % 1000)}`;
  const dsn = `sqlite://${path.join(dir, 'main.db')}`;
  const store = await openStore({ dsn }, { baseDir: dir });
  await migrateLatest(store.knex);
  await seedSessions(store, livePlan(100_000, SITE, defaults.state.expiry));
  await store.close();

  const daemon = await startBenchDaemon({
    name: 'direct',
    dir,
    dsn,
    cacheTtl: 5,
    http: mode === 'http',
    ...(mode.includes('floor') ? {} : { nodeFlags: measuredFlags }),
    ...(values.profile && !mode.includes('floor') ? { profileDir } : {}),
  });
  started.push(daemon);
  let measured = daemon;
  if (mode === 'http-floor') {
    const port = await freePort();
    measured = await spawnBenchProcess({
      name: 'http-floor-node',
      port,
      command: process.execPath,
      args: [
        ...measuredFlags,
        ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        '-e',
        FLOOR_SERVER,
        String(port),
      ],
      ready: 'floor listening',
    });
    started.push(measured);
  }
  /** A floor authorizer from bench/floor, run through tsx, listening on a port of its own. */
  const startFloor = async (name: string, script: string, extra: string[] = []): Promise<BenchDaemon> => {
    const port = await freePort();
    const floor = await spawnBenchProcess({
      name,
      port,
      command: process.execPath,
      args: [
        ...measuredFlags,
        ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        '--import',
        'tsx',
        path.join(import.meta.dirname, 'floor', script),
        String(port),
        ...extra,
      ],
      ready: 'listening',
    });
    started.push(floor);
    return floor;
  };
  if (mode === 'floor') {
    const answerFile = path.join(dir, 'allow-answer.bin');
    await writeFile(
      answerFile,
      await captureAnswer(daemon.port, authorizerParams(SITE, PAGE, { cookie: cookie(0) })),
    );
    measured = await startFloor('floor-node', 'floor-authorizer.ts', [answerFile]);
  }
  if (mode === 'codec-floor') measured = await startFloor('codec-floor', 'codec-floor.ts');

  const outputBefore = measured.output().length;
  const before = await cpuTicks(measured.pid);
  const t0 = performance.now();
  const requests =
    mode === 'http' || mode === 'http-floor'
      ? await httpLoad(mode === 'http' ? daemon.httpPort! : measured.port, cookie, seconds)
      : (
          await fcgiLoad({
            port: measured.port,
            requests: Array.from({ length: 1000 }, (_, i) =>
              authorizerRequest(SITE, PAGE, { cookie: cookie(i) }),
            ),
            concurrency: CONCURRENCY,
            seconds,
          })
        ).requests;
  const elapsed = (performance.now() - t0) / 1000;
  const after = await cpuTicks(measured.pid);
  const rss = await peakRss(measured.pid);
  const gcDuringLoad = measured.output().slice(outputBefore);
  const perCheck = (ticks: number): string => ((ticks * 10_000) / requests).toFixed(0);
  process.stdout.write(
    formatTable(
      ['mode', 'checks', 'req/s', 'CPU µs/check', 'user', 'system', 'peak RSS MB'],
      [
        [
          mode,
          String(requests),
          (requests / elapsed).toFixed(0),
          perCheck(after.user + after.system - before.user - before.system),
          perCheck(after.user - before.user),
          perCheck(after.system - before.system),
          rss.toFixed(0),
        ],
      ],
    ) + '\n',
  );
  if (values['heap-spaces']) {
    const grown = [...heapSpaceGrowth(gcDuringLoad)].filter(
      ([name]) => !name.startsWith('read_only') && !name.startsWith('new'),
    );
    process.stdout.write(
      `\n${formatTable(
        ['heap space', 'KB/check grown'],
        grown.map(([name, bytes]) => [name, (bytes / 1024 / requests).toFixed(2)]),
      )}\n`,
    );
  }
  if (values['trace-gc']) {
    const perCheck = (total: number, unit = 1): string => ((total * unit) / requests).toFixed(2);
    process.stdout.write(
      `\n${formatTable(
        [
          'gc',
          'count',
          'checks per',
          'pause µs/check',
          'marking µs/check',
          'KB/check: allocated',
          'promoted',
          'copied',
        ],
        summarizeGcTrace(gcDuringLoad).map((gc) => [
          gc.kind,
          String(gc.count),
          (requests / gc.count).toFixed(0),
          perCheck(gc.pauseMs, 1000),
          perCheck(gc.markingStepsMs, 1000),
          perCheck(gc.allocatedBytes, 1 / 1024),
          perCheck(gc.promotedBytes, 1 / 1024),
          perCheck(gc.survivedBytes, 1 / 1024),
        ]),
      )}\n`,
    );
    for (const gc of summarizeGcTrace(gcDuringLoad)) {
      const phases = [...gc.phasesMs].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
      process.stdout.write(
        `\n${formatTable(
          [`${gc.kind}: pause part`, 'µs/check'],
          phases.slice(0, 8).map(([name, ms]) => [name, perCheck(ms, 1000)]),
        )}\n`,
      );
    }
  }
  for (const one of started.reverse()) await one.stop();
  started.length = 0;
  if (values.profile) {
    const file = (await readdir(profileDir)).find((name) => name.endsWith('.cpuprofile'));
    if (file !== undefined) {
      const summary = await summarizeProfile(path.join(profileDir, file));
      process.stdout.write(`\nbusy ${summary.busyPercent.toFixed(0)}% of samples\n`);
      for (const [title, rows] of [
        ['stage', summary.stages],
        ['function (self time)', summary.functions],
      ] as const)
        process.stdout.write(
          `\n${formatTable(
            [title, '% busy'],
            rows.map((row) => [row.name, row.percent.toFixed(1)]),
          )}\n`,
        );
    }
  }
} finally {
  for (const one of started) await one.stop();
  await rm(dir, { recursive: true, force: true });
}

/** nginx's side of the HTTP listener: `auth_request` subrequests on kept-alive connections. */
async function httpLoad(port: number, cookie: (i: number) => string, forSeconds: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const deadline = performance.now() + forSeconds * 1000;
  let done = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/auth-request',
            agent,
            headers: {
              host: SITE,
              'x-original-uri': PAGE,
              'x-original-method': 'GET',
              cookie: cookie(done),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end();
      });
      if (status !== 200) throw new Error(`the listener answered ${String(status)}, not 200`);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  agent.destroy();
  return done;
}

/** The most memory the process has had resident (VmHWM), in MB. */
async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;
}

/** utime and stime of a process, in clock ticks (1/100 s). */
async function cpuTicks(pid: number): Promise<{ user: number; system: number }> {
  const fields = (await readFile(`/proc/${String(pid)}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return { user: Number(fields[11]), system: Number(fields[12]) };
}
