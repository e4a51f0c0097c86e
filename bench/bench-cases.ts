/**
 * The cases of one run, in the order every round runs them. Apache cases go through wrk;
 * the FastCGI ones through our load generator straight to the daemon.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BASIC_PASSWORD, BASIC_USER, GATE_HOST, PAGE, PLAIN_HOST, type BenchApache } from './bench-apache.js';
import type { BenchCase } from './bench-case.js';
import type { BenchDaemon } from './bench-daemon.js';
import { benchSecret } from './bench-secret.js';
import { authorizerRequest, fcgiLoad } from './fcgi-load.js';
import type { BenchNginx } from './bench-nginx.js';
import { runHey } from './run-hey.js';
import { runWrk } from './run-wrk.js';

export interface CasesContext {
  /** Folder for the header files. */
  readonly dir: string;
  readonly apache: BenchApache;
  /** By name: main, nocache, pg, pg-nocache, mariadb, s1k, s1m, floor-c, floor-node (those that run). */
  readonly daemons: ReadonlyMap<string, BenchDaemon>;
  readonly cookieName: string;
  /** Sessions in each store: main (100k), small (1k), large (1M, 0 when not seeded). */
  readonly sizes: { readonly main: number; readonly small: number; readonly large: number };
  /** Distinct sessions each valid-cookie case rotates over. */
  readonly sample: number;
  readonly connections: number;
  /** Only the two valid-cookie cases of the SQLite daemons (for --profile). */
  readonly cookieOnly: boolean;
  /** nginx in front of the main daemon's HTTP listener; undefined when nginx is not installed. */
  readonly nginx: BenchNginx | undefined;
  /** The steady-rate cases: requests per second and how long each run lasts. */
  readonly steady: { readonly rate: number; readonly seconds: number };
}

/** `sample` session indexes spread evenly over a store of `count` (all of them if fewer). */
export function spread(count: number, sample: number): number[] {
  const n = Math.min(sample, count);
  return Array.from({ length: n }, (_, j) => Math.floor((j * count) / n));
}

export async function benchCases(c: CasesContext): Promise<BenchCase[]> {
  const headerFile = async (name: string, lines: readonly string[]): Promise<string> => {
    const file = path.join(c.dir, `${name}.headers`);
    await writeFile(file, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    return file;
  };
  const sample = (count: number): number[] => spread(count, c.sample);
  const cookies = (count: number): string[] =>
    sample(count).map((i) => `Cookie: ${c.cookieName}=${benchSecret(i)}`);
  const basic = Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64');
  const files = {
    none: await headerFile('none', []),
    basic: await headerFile('basic', [`Authorization: Basic ${basic}`]),
    cookies: await headerFile('cookies-100k', cookies(c.sizes.main)),
    bearer: await headerFile(
      'bearer-100k',
      sample(c.sizes.main).map((i) => `Authorization: Bearer ${benchSecret(i)}`),
    ),
    small: await headerFile('cookies-1k', cookies(c.sizes.small)),
    large: await headerFile('cookies-1m', cookies(c.sizes.large)),
  };

  const wrk = (
    id: string,
    label: string,
    o: { daemon?: string; host?: string; path?: string; headersFile: string; expect?: 200 | 401 },
  ): BenchCase[] => {
    const daemon = o.daemon === undefined ? undefined : c.daemons.get(o.daemon);
    if (o.daemon !== undefined && daemon === undefined) return [];
    // The main daemon sits behind the example's own vhost on Apache's main port.
    const port =
      o.daemon === undefined || o.daemon === 'main' ? c.apache.port : c.apache.ports.get(o.daemon)!;
    const target = { port, host: o.host ?? GATE_HOST, path: o.path ?? PAGE, headersFile: o.headersFile };
    return [
      {
        id,
        label,
        expect: o.expect ?? 200,
        cpu: { apachePid: c.apache.pid, ...(daemon === undefined ? {} : { daemonPid: daemon.pid }) },
        measure: (seconds) => runWrk({ ...target, seconds, connections: c.connections }),
      },
    ];
  };
  const fcgiRequests = sample(c.sizes.main).map((i) =>
    authorizerRequest(GATE_HOST, PAGE, { cookie: `${c.cookieName}=${benchSecret(i)}` }),
  );
  const direct = (id: string, label: string, name: string, workers = false): BenchCase[] => {
    const daemon = c.daemons.get(name);
    if (daemon === undefined) return [];
    return [
      {
        id,
        label,
        expect: 200,
        cpu: { daemonPid: daemon.pid, client: true, ...(workers ? { daemonWorkers: true } : {}) },
        measure: (seconds) =>
          fcgiLoad({ port: daemon.port, requests: fcgiRequests, concurrency: c.connections, seconds }),
      },
    ];
  };

  const cookieCases = [
    ...wrk('cookie', 'forgetpw cookie, SQLite 100k', { daemon: 'main', headersFile: files.cookies }),
    ...wrk('cookie-nocache', '  same, cache off (ttl 0)', { daemon: 'nocache', headersFile: files.cookies }),
  ];
  if (c.cookieOnly) return cookieCases;
  return [
    ...wrk('static', 'Apache static, no auth', { host: PLAIN_HOST, headersFile: files.none }),
    ...wrk('basic', 'Apache + mod_auth_basic', {
      host: PLAIN_HOST,
      path: `/basic${PAGE}`,
      headersFile: files.basic,
    }),
    ...wrk('basic-bcrypt', '  same, bcrypt (htpasswd -B)', {
      host: PLAIN_HOST,
      path: `/basic-bcrypt${PAGE}`,
      headersFile: files.basic,
    }),
    ...cookieCases,
    ...wrk('401', 'forgetpw no cookie (401 page)', { daemon: 'main', headersFile: files.none, expect: 401 }),
    ...wrk('bearer', 'forgetpw Bearer token', { daemon: 'main', headersFile: files.bearer }),
    ...wrk('pg-cookie', 'forgetpw cookie, PostgreSQL 100k', { daemon: 'pg', headersFile: files.cookies }),
    ...wrk('pg-cookie-nocache', '  same, cache off', { daemon: 'pg-nocache', headersFile: files.cookies }),
    ...wrk('mariadb-cookie', 'forgetpw cookie, MariaDB 100k', {
      daemon: 'mariadb',
      headersFile: files.cookies,
    }),
    ...wrk('scale-1k', 'forgetpw cookie, 1k sessions, no cache', { daemon: 's1k', headersFile: files.small }),
    ...wrk('scale-1m', 'forgetpw cookie, 1M sessions, no cache', { daemon: 's1m', headersFile: files.large }),
    ...wrk('floor-c', 'floor: C authorizer, fixed answer', { daemon: 'floor-c', headersFile: files.none }),
    ...wrk('floor-node', 'floor: node authorizer, fixed answer', {
      daemon: 'floor-node',
      headersFile: files.none,
    }),
    ...direct('fcgi', 'forgetpw alone (FastCGI, conn/req)', 'main'),
    ...direct('fcgi-nocache', '  same, cache off', 'nocache'),
    ...direct('fcgi-w2', 'forgetpw alone, workers: 2', 'w2', true),
    ...nginxCases(c, files),
    ...steadyCases(c, basic),
  ];
}

/** Steady-rate cases run `c.steady.seconds` whatever the round's length, and are not warmed up. */
export const isSteady = (bench: BenchCase): boolean => bench.id.startsWith('steady-');

function nginxCases(c: CasesContext, files: { none: string; basic: string; cookies: string }): BenchCase[] {
  const nginx = c.nginx;
  const main = c.daemons.get('main');
  if (nginx === undefined || main === undefined) return [];
  const wrk = (
    id: string,
    label: string,
    port: number,
    headersFile: string,
    daemonPid?: number,
  ): BenchCase => ({
    id,
    label,
    expect: 200,
    cpu: { apachePid: nginx.pid, ...(daemonPid === undefined ? {} : { daemonPid }) },
    measure: (seconds) =>
      runWrk({ port, host: GATE_HOST, path: PAGE, headersFile, seconds, connections: c.connections }),
  });
  return [
    wrk('nginx-static', 'nginx static, no auth', nginx.ports.static, files.none),
    wrk('nginx-basic', 'nginx + auth_basic (apr1)', nginx.ports.basic, files.basic),
    wrk(
      'nginx-cookie',
      'nginx + forgetpw cookie (HTTP, keep-alive)',
      nginx.ports.forgetpw,
      files.cookies,
      main.pid,
    ),
    wrk(
      'nginx-floor',
      'floor: examples/nginx.conf to node, 200 + user',
      nginx.ports.exampleFloor,
      files.cookies,
      nginx.floor.pid,
    ),
    wrk(
      'nginx-bare-floor',
      '  same, bare auth_request (sessions 5-9)',
      nginx.ports.floor,
      files.none,
      nginx.floor.pid,
    ),
  ];
}

function steadyCases(c: CasesContext, basic: string): BenchCase[] {
  const main = c.daemons.get('main');
  if (main === undefined) return [];
  const cookie = `Cookie: ${c.cookieName}=${benchSecret(0)}`;
  const hey = (
    id: string,
    label: string,
    target: { port: number; host: string; path: string; headers: readonly string[] },
    cpu: BenchCase['cpu'],
  ): BenchCase => ({
    id,
    label,
    expect: 200,
    cpu,
    measure: () => runHey({ ...target, seconds: c.steady.seconds, rate: c.steady.rate, workers: 10 }),
  });
  const rate = `${String(c.steady.rate)}/s`;
  const cases = [
    hey(
      'steady-basic',
      `${rate}: Apache + mod_auth_basic`,
      {
        port: c.apache.port,
        host: PLAIN_HOST,
        path: `/basic${PAGE}`,
        headers: [`Authorization: Basic ${basic}`],
      },
      { apachePid: c.apache.pid },
    ),
    hey(
      'steady-cookie',
      `${rate}: Apache + forgetpw cookie`,
      { port: c.apache.port, host: GATE_HOST, path: PAGE, headers: [cookie] },
      { apachePid: c.apache.pid, daemonPid: main.pid },
    ),
  ];
  // The floors at the same rate: what any authorizer behind mod_authnz_fcgi pays in latency here
  // (a connection per check, two more wake-ups than Basic), beside what forgetpw pays.
  for (const [name, label] of [
    ['floor-node', 'Apache + node floor'],
    ['floor-c', 'Apache + C floor'],
  ] as const) {
    const floor = c.daemons.get(name);
    const port = c.apache.ports.get(name);
    if (floor === undefined || port === undefined) continue;
    cases.push(
      hey(
        `steady-${name}`,
        `${rate}: ${label}`,
        { port, host: GATE_HOST, path: PAGE, headers: [] },
        { apachePid: c.apache.pid, daemonPid: floor.pid },
      ),
    );
  }
  if (c.nginx !== undefined) {
    cases.push(
      hey(
        'steady-nginx-basic',
        `${rate}: nginx + auth_basic`,
        {
          port: c.nginx.ports.basic,
          host: GATE_HOST,
          path: PAGE,
          headers: [`Authorization: Basic ${basic}`],
        },
        { apachePid: c.nginx.pid },
      ),
      hey(
        'steady-nginx-cookie',
        `${rate}: nginx + forgetpw cookie`,
        { port: c.nginx.ports.forgetpw, host: GATE_HOST, path: PAGE, headers: [cookie] },
        { apachePid: c.nginx.pid, daemonPid: main.pid },
      ),
    );
  }
  return cases;
}
