/**
 * `npm run bench:in-process -- [--checks N] [--rounds R] [--http]`: the daemon's OWN work per Apache check,
 * with no socket and no second process (issue 18). The real FastCGI connection, handler, flows,
 * session cache and SQLite store (100,000 sessions, `cache.ttl` 5 s) run in this process; each check
 * is a fresh connection over a socket stand-in that takes the answer and closes, as Apache's does.
 *
 * What it leaves out is what the node floor (bench/floor) also pays: accepting, reading, writing and
 * closing a TCP socket. On this noisy 2-core machine it moves by a few per cent where the
 * two-process `bench:direct` moves by ten or more, so it is the instrument for one cut at a time.
 * Prints, per round, CPU µs per check (user + system, from `process.cpuUsage`), the time spent in
 * garbage collection per check, young-generation collections per 1,000 checks, and the bytes one check
 * allocates (measured on a few checks between two collections).
 *
 * `--http`: the same for nginx `auth_request` checks on the HTTP listener (issue 13), over one kept-alive
 * loopback connection from this process (a real socket: node's HTTP server needs one), so the figures
 * include a small client's share and both ends of the socket; compare them with each other only.
 */
import { EventEmitter, once } from 'node:events';
import { Session } from 'node:inspector';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { createCachedStore } from '../src/app/cached-store.js';
import { createGateHandler, createRequestHandler } from '../src/app/handle-request.js';
import { loadPages } from '../src/app/load-pages.js';
import { loadConfig } from '../src/config/load-config.js';
import { FcgiConnection, type ConnectionHost } from '../src/fastcgi/fcgi-connection.js';
import type { FlowDeps } from '../src/flows/flow-deps.js';
import { createHttpListener, type HttpListener } from '../src/forward-auth/http-listener.js';
import { migrateLatest } from '../src/store/migrate.js';
import { openStore } from '../src/store/open-store.js';
import { systemClock } from '../src/tokens/system-clock.js';
import { systemRandom } from '../src/tokens/system-random.js';
import { benchSecret } from './bench-secret.js';
import { authorizerRequest } from './fcgi-load.js';
import { formatTable } from './format-table.js';
import { livePlan, seedSessions } from './seed-sessions.js';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '3' },
    allocations: { type: 'boolean', default: false },
    http: { type: 'boolean', default: false },
  },
});
const checks = Number(values.checks);
const rounds = Number(values.rounds);
const SITE = 'site.example';

/** The part of a net.Socket a FastCGI connection touches; `end` closes it, as Apache does after the answer. */
class SocketStandIn extends EventEmitter {
  writable = true;
  destroyed = false;
  answer: Buffer | undefined;
  readonly #closed: () => void;
  constructor(closed: () => void) {
    super();
    this.#closed = closed;
  }
  setNoDelay(): this {
    return this;
  }
  write(bytes: Buffer): boolean {
    this.answer = bytes;
    return true;
  }
  end(): this {
    this.writable = false;
    queueMicrotask(() => this.#close());
    return this;
  }
  destroy(): this {
    this.writable = false;
    this.#close();
    return this;
  }
  destroySoon(): this {
    return this.end();
  }
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  #close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close', false);
    this.#closed();
  }
}

// `gc` for the allocation probe. The heap is node's own (a young generation that grows to 16 MB);
// `node --semi-space-growth-factor=1 --heap-growing-percent=20 dist/bench/in-process.js` gives the
// daemon's (app/tune-heap.ts), whose 1 MB is too small for the probe, which then says so.
v8.setFlagsFromString('--expose-gc');
const dir = await mkdtemp(path.join(tmpdir(), 'fp-in-process-'));
try {
  const config = loadConfig(path.join(dir, 'none.yml'), {
    env: {},
    allowMissing: true,
    base: { email: { from: 'bench@example.org' }, state: { dsn: `sqlite://${path.join(dir, 'main.db')}` } },
  });
  const log = pino({ level: 'warn' });
  const store = await openStore(config.state, { baseDir: dir });
  await migrateLatest(store.knex);
  await seedSessions(store, livePlan(100_000, SITE, config.state.expiry));
  const deps: FlowDeps = {
    config,
    store: createCachedStore(store, { ttlSeconds: 5, size: config.cache.size, clock: systemClock }),
    mailer: {
      send: () => Promise.reject(new Error('no mail in this bench')),
      verify: () => Promise.resolve(),
      close: () => undefined,
    },
    pages: await loadPages(config, log),
    clock: systemClock,
    random: systemRandom,
    log,
    defer: () => undefined,
  };
  const handler = createRequestHandler(deps);
  const host: ConnectionHost = {
    handler,
    log,
    maxParamsBytes: 64 * 1024,
    maxStdinBytes: 16 * 1024,
    maxConnectionBufferBytes: 256 * 1024,
    idleTimeoutMs: 30_000,
    requestTimeoutMs: 30_000,
    values: {},
    refusesRequests: () => false,
    requestStarted: () => undefined,
    requestSettled: () => undefined,
    holdBytes: () => true,
    connectionClosed: () => undefined,
  };
  const requests = Array.from({ length: 1000 }, (_, i) =>
    values.http
      ? Buffer.from(
          `GET /auth-request HTTP/1.1\r\nHost: ${SITE}\r\nX-Original-URI: /page.html\r\n` +
            `X-Original-Method: GET\r\nCookie: ${config.keys.cookie}=${benchSecret(i)}\r\n` +
            'Connection: keep-alive\r\n\r\n',
        )
      : authorizerRequest(SITE, '/page.html', { cookie: `${config.keys.cookie}=${benchSecret(i)}` }),
  );
  // Header names are case-insensitive (node's own writer lower-cases them, ours keeps the case given).
  const allowedName = values.http ? config.http.user_header : `Variable-${config.vars.user}`;
  const allowed = [Buffer.from(`${allowedName}: `), Buffer.from(`${allowedName.toLowerCase()}: `)];

  /** One check as Apache makes it: a connection, the request in one chunk, the answer, the close. */
  const fcgiCheck = (request: Buffer): Promise<Buffer | undefined> =>
    new Promise((resolve) => {
      const socket = new SocketStandIn(() => resolve(socket.answer));
      new FcgiConnection(socket as unknown as Socket, host, 0);
      // A socket's chunk is its own memory: a copy, as libuv hands over.
      socket.emit('data', Buffer.from(request));
    });
  const listener = values.http
    ? createHttpListener(createGateHandler(deps), { config, log, staticPages: new Map() })
    : undefined;
  const check = listener === undefined ? fcgiCheck : await httpClient(listener);

  let gcMs = 0;
  let scavenges = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR)
        scavenges++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });

  const rows: string[][] = [];
  for (let round = 0; round <= rounds; round++) {
    gcMs = 0;
    scavenges = 0;
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < checks; i++) {
      // A turn of the event loop now and then, as sockets give, so timers and GC callbacks run.
      if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
      const answer = await check(requests[i % requests.length]!);
      if (answer === undefined || allowed.every((name) => answer.indexOf(name) === -1))
        throw new Error(`check ${i} was not allowed: ${answer?.toString('latin1').slice(0, 300)}`);
    }
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - t0;
    // Round 0 warms the JIT and the cache; it is not reported.
    if (round === 0) continue;
    await new Promise((resolve) => setTimeout(resolve, 50));
    rows.push([
      String(round),
      String(checks),
      ((used.user + used.system) / checks).toFixed(1),
      ((gcMs * 1000) / checks).toFixed(1),
      ((wall * 1000) / checks).toFixed(1),
      ((scavenges * 1000) / checks).toFixed(1),
    ]);
  }
  // Bytes per check: from an emptied heap, checks that fit in the young generation (no scavenge
  // between the two readings). The least of a few tries: a try that refills expired cache entries
  // from SQLite allocates for the query too.
  const gc = runInNewContext('gc') as () => void;
  let allocated = Infinity;
  for (let attempt = 0; attempt < 5; attempt++) {
    gc();
    scavenges = 0;
    const probe = 200;
    const before = v8.getHeapStatistics().used_heap_size;
    for (let i = 0; i < probe; i++) await check(requests[i]!);
    const bytes = (v8.getHeapStatistics().used_heap_size - before) / probe;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (scavenges === 0) allocated = Math.min(allocated, bytes);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  process.stdout.write(
    `${allocated === Infinity ? 'unknown (a scavenge ran)' : (allocated / 1024).toFixed(1)} KB allocated per check\n` +
      formatTable(
        ['round', 'checks', 'CPU µs/check', 'GC µs/check', 'wall µs/check', 'scavenges/1k checks'],
        rows,
      ) +
      '\n',
  );
  if (values.allocations) await printAllocations(() => check(requests[0]!));
  await listener?.close();
  await store.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}

/** One kept-alive connection to the listener, as nginx's upstream keepalive holds; a check waits for its whole answer. */
async function httpClient(listener: HttpListener): Promise<(request: Buffer) => Promise<Buffer | undefined>> {
  const { port } = await listener.listen(0, '127.0.0.1');
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.setNoDelay(true);
  let waiting: ((answer: Buffer) => void) | undefined;
  let received: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    // Every answer here has an empty body: its head is all of it.
    if (received.indexOf('\r\n\r\n') === -1) return;
    const answer = received;
    received = Buffer.alloc(0);
    const resolve = waiting;
    waiting = undefined;
    resolve?.(answer);
  });
  return (request) =>
    new Promise((resolve) => {
      waiting = resolve;
      socket.write(request);
    });
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/**
 * `--allocations`: where a check's garbage comes from. V8's sampling heap profiler, keeping samples
 * of objects the young and old collections already freed (they are the garbage), by function.
 */
async function printAllocations(one: () => Promise<unknown>): Promise<void> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object): Promise<T> =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
    );
  await post('HeapProfiler.startSampling', {
    samplingInterval: 128,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const sampled = 20_000;
  for (let i = 0; i < sampled; i++) await one();
  const { profile } = await post<{ profile: { head: SamplingNode } }>('HeapProfiler.stopSampling');
  session.disconnect();
  const bySite = new Map<string, number>();
  const walk = (node: SamplingNode): void => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where =
      url === '' ? '' : ` ${url.replace(/^.*\/(src|node_modules|bench)\//, '$1/')}:${lineNumber + 1}`;
    const key = `${functionName || '(anonymous)'}${where}`;
    bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const rows = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 30);
  process.stdout.write(
    `\n${formatTable(
      ['allocated by (self)', 'bytes/check'],
      rows.map(([site, bytes]) => [site, (bytes / sampled).toFixed(0)]),
    )}\n`,
  );
}
