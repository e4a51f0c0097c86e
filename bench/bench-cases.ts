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
  const direct = (id: string, label: string, name: string): BenchCase[] => {
    const daemon = c.daemons.get(name);
    if (daemon === undefined) return [];
    return [
      {
        id,
        label,
        expect: 200,
        cpu: { daemonPid: daemon.pid, client: true },
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
  ];
}
