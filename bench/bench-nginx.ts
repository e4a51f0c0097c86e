/**
 * A hermetic nginx for the benchmark (issue 13): five servers on ports of their own that fetch
 * the same page, so only the check differs: static, auth_basic with an apr1 htpasswd, the
 * repo's examples/nginx.conf in front of the daemon's HTTP listener (keep-alive upstream, as
 * written), and two floors, where a node HTTP server that answers 200 with a user and does nothing
 * else takes the daemon's place: behind the same example (the like-for-like floor, which issue 13's
 * bar is taken against), and behind a bare auth_request (the floor as sessions 5-9 measured it).
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from '../test/support/free-port.js';
import { BASIC_PASSWORD, BASIC_USER, PAGE } from './bench-apache.js';
import { spawnBenchProcess, type BenchDaemon } from './bench-daemon.js';

export interface BenchNginx {
  /** The master process; its children are the workers. */
  readonly pid: number;
  readonly ports: {
    readonly static: number;
    readonly basic: number;
    readonly forgetpw: number;
    readonly floor: number;
    /** examples/nginx.conf as shipped, in front of the floor instead of the daemon. */
    readonly exampleFloor: number;
  };
  /** The floor's HTTP authorizer (a child process, so its CPU is its own). */
  readonly floor: BenchDaemon;
  stop(): Promise<void>;
}

const repo = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

/**
 * The nginx path's floor, as issue 13 defines it: a node HTTP server that answers every check 200
 * with a user (the identity headers the daemon sends, which the example hands to the app) and does
 * nothing else.
 */
export const FLOOR_SERVER = `const port = Number(process.argv[1]);
const user = ['Remote-User', 'someone@example.org', 'Remote-Email', 'someone@example.org', 'Content-Length', '0'];
require('node:http').createServer((req, res) => res.writeHead(200, user).end()).listen(port, '127.0.0.1', () => console.log('floor listening'));
process.on('SIGTERM', () => process.exit(0));`;

export async function startBenchNginx(p: { daemonHttpPort: number; gateHost: string }): Promise<BenchNginx> {
  const root = await mkdtemp(path.join(tmpdir(), 'forgetpw-bench-nginx-'));
  // Started as root, nginx serves as nobody: the page and htpasswd must be readable to it (a
  // 0700 temp folder made every static, Basic and floor answer a 403).
  await chmod(root, 0o755);
  const docRoot = path.join(root, 'htdocs');
  await mkdir(docRoot, { recursive: true });
  await mkdir(path.join(root, 'logs'));
  await mkdir(path.join(root, 'tmp'));
  await writeFile(path.join(docRoot, PAGE.slice(1)), '<p>a page behind the gate, about forty bytes</p>\n');
  const { stdout: hash } = await run('openssl', ['passwd', '-apr1', BASIC_PASSWORD]);
  await writeFile(path.join(root, 'htpasswd'), `${BASIC_USER}:${hash.trim()}\n`);
  const floorPort = await freePort();
  const floor = await spawnBenchProcess({
    name: 'nginx-floor-node',
    port: floorPort,
    command: process.execPath,
    args: ['-e', FLOOR_SERVER, String(floorPort)],
    ready: 'floor listening',
  });
  const ports = {
    static: await freePort(),
    basic: await freePort(),
    forgetpw: await freePort(),
    floor: await freePort(),
    exampleFloor: await freePort(),
  };
  const example = await readFile(path.join(repo, 'examples', 'nginx.conf'), 'utf8');
  const gateTo = (text: string, port: number, upstreamPort: number): string =>
    text
      .replace('listen 8080;', `listen 127.0.0.1:${String(port)};`)
      .replace(`server_name site.example;`, `server_name ${p.gateHost};`)
      .replaceAll('127.0.0.1:10102', `127.0.0.1:${String(upstreamPort)}`)
      .replaceAll('/var/log/nginx/', `${root}/logs/`)
      // The app behind the gate is the same static page the other servers serve.
      .replace('proxy_pass http://127.0.0.1:3000;', `root ${docRoot};`);
  const gate = gateTo(example, ports.forgetpw, p.daemonHttpPort);
  // The same example in front of the floor, every name in it renamed, so both can load.
  const exampleFloor = gateTo(
    example.replaceAll('forgetpw', 'forgetpw_floor'),
    ports.exampleFloor,
    floorPort,
  );
  // Comments name the placeholders too ("the app (127.0.0.1:3000)"): only directives count.
  const directives = gate
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  if (directives.includes('127.0.0.1:3000') || directives.includes('listen 8080')) {
    await floor.stop();
    await rm(root, { recursive: true, force: true });
    throw new Error('examples/nginx.conf changed shape');
  }
  const log = `access_log ${root}/logs/plain-access.log forgetpw_path;`;
  const config = `pid ${root}/nginx.pid;
worker_processes auto;
error_log ${root}/logs/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path ${root}/tmp/body;
  proxy_temp_path ${root}/tmp/proxy;
  fastcgi_temp_path ${root}/tmp/fastcgi;
  uwsgi_temp_path ${root}/tmp/uwsgi;
  scgi_temp_path ${root}/tmp/scgi;
${gate}
${exampleFloor}
  server {
    listen 127.0.0.1:${String(ports.static)};
    ${log}
    root ${docRoot};
  }
  server {
    listen 127.0.0.1:${String(ports.basic)};
    ${log}
    root ${docRoot};
    auth_basic "bench";
    auth_basic_user_file ${root}/htpasswd;
  }
  upstream floor {
    server 127.0.0.1:${String(floorPort)};
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${String(ports.floor)};
    ${log}
    root ${docRoot};
    location / { auth_request /.floor; }
    location = /.floor {
      internal;
      proxy_pass http://floor/auth-request;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
    }
  }
}
`;
  const file = path.join(root, 'nginx.conf');
  await writeFile(file, config);
  const args = ['-c', file, '-p', root, '-e', path.join(root, 'logs', 'error.log')];
  try {
    await run('nginx', ['-t', ...args]);
  } catch (error) {
    await floor.stop();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const child = spawn('nginx', [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when every port accepts.
  for (let i = 0; i < 100; i++) {
    const up = await Promise.all(
      Object.values(ports).map((port) =>
        fetch(`http://127.0.0.1:${String(port)}/`).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (up.every(Boolean)) break;
    if (child.exitCode !== null)
      throw new Error(`nginx exited: ${await readFile(path.join(root, 'logs', 'error.log'), 'utf8')}`);
    await sleep(50);
  }
  return {
    pid: child.pid ?? 0,
    ports,
    floor,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
      await floor.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
