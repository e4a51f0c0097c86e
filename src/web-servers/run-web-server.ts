import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors/app-error.js';
import { packageRoot } from '../app/package-root.js';
import { extractTemplates } from '../templates/extract.js';

export type WebServerKind = 'nginx' | 'caddy' | 'lighttpd';

export interface WebServerParams {
  readonly kind: WebServerKind;
  /** Empty temp folder owned by the caller: config, logs, pid, Caddy's data. */
  readonly root: string;
  /** Replaces the examples' 8080, 10102, 10101 and 3000 (SPEC §9 placeholders). */
  readonly sitePort: number;
  readonly httpPort: number;
  readonly fcgiPort: number;
  readonly appPort: number;
  /** lighttpd: replaces /var/www/html; /var/www/forgetpw (the logged-out pages) becomes root/static. */
  readonly docRoot?: string;
  /** lighttpd: the name the logged-out pages in root/static give the site (else none). */
  readonly siteName?: string;
}

export interface RunningWebServer {
  readonly pid: number;
  /** SIGTERM, then waits for the process to exit. Safe to call twice. */
  stop(): Promise<void>;
  output(): string;
}

const BINARIES: Record<WebServerKind, string> = {
  nginx: '/usr/sbin/nginx',
  caddy: '/usr/bin/caddy',
  lighttpd: '/usr/sbin/lighttpd',
};
const FILES: Record<WebServerKind, string> = {
  nginx: 'nginx.conf',
  caddy: 'Caddyfile',
  lighttpd: 'lighttpd.conf',
};

/** The example as shipped, with only the ports (and the folders it names) changed. */
export async function exampleConfig(p: WebServerParams): Promise<string> {
  const text = await readFile(path.join(packageRoot(), 'examples', FILES[p.kind]), 'utf8');
  return text
    .replaceAll('127.0.0.1:10102', `127.0.0.1:${p.httpPort}`)
    .replaceAll('127.0.0.1:10101', `127.0.0.1:${p.fcgiPort}`)
    .replaceAll('"port" => 10101', `"port" => ${p.fcgiPort}`)
    .replaceAll('127.0.0.1:3000', `127.0.0.1:${p.appPort}`)
    .replace(/listen 8080;|:8080\b/g, (m) => m.replace('8080', String(p.sitePort)))
    .replaceAll('/var/log/nginx/', `${p.root}/`)
    .replaceAll('/var/www/html', p.docRoot ?? path.join(p.root, 'htdocs'))
    .replaceAll('/var/www/forgetpw', path.join(p.root, 'static'));
}

/** What each server needs around the site file to run unprivileged from `root` (TESTING.md). */
function mainConfig(p: WebServerParams, site: string): string {
  const r = p.root;
  switch (p.kind) {
    case 'nginx':
      return [
        `pid ${r}/nginx.pid;`,
        `error_log ${r}/error.log;`,
        'worker_processes 1;',
        'events { worker_connections 512; }',
        'http {',
        `  access_log ${r}/access.log;`,
        `  client_body_temp_path ${r}/body; proxy_temp_path ${r}/proxy; fastcgi_temp_path ${r}/fastcgi;`,
        `  uwsgi_temp_path ${r}/uwsgi; scgi_temp_path ${r}/scgi;`,
        site,
        '}',
        '',
      ].join('\n');
    case 'caddy':
      return `{\n  admin off\n  auto_https off\n  storage file_system ${r}/data\n}\n${site}`;
    case 'lighttpd':
      return [
        `server.document-root = "${p.docRoot ?? path.join(r, 'htdocs')}"`,
        'server.bind = "127.0.0.1"',
        `server.port = ${p.sitePort}`,
        `server.pid-file = "${r}/lighttpd.pid"`,
        `server.errorlog = "${r}/error.log"`,
        'server.modules = ( "mod_access" )',
        'index-file.names = ( "index.html" )',
        'mimetype.assign = ( ".html" => "text/html", ".xhtml" => "application/xhtml+xml; charset=utf-8" )',
        site,
        '',
      ].join('\n');
  }
}

function args(kind: WebServerKind, root: string, file: string): string[] {
  switch (kind) {
    case 'nginx':
      return ['-c', file, '-p', root, '-e', `${root}/error.log`, '-g', 'daemon off;'];
    case 'caddy':
      return ['run', '--config', file, '--adapter', 'caddyfile'];
    case 'lighttpd':
      return ['-D', '-f', file];
  }
}

/** Starts nginx, Caddy or lighttpd from its example as a child process and waits for its port. */
export async function runWebServer(p: WebServerParams): Promise<RunningWebServer> {
  const file = path.join(p.root, `${p.kind}.conf`);
  await mkdir(path.join(p.root, 'data'), { recursive: true });
  // What `forgetpw extract --static` writes for the example's /var/www/forgetpw.
  if (p.kind === 'lighttpd') {
    await extractTemplates(path.join(p.root, 'static'), {
      static: true,
      force: true,
      ...(p.siteName === undefined ? {} : { siteName: p.siteName }),
    });
  }
  await writeFile(file, mainConfig(p, await exampleConfig(p)));
  let output = '';
  const child = spawn(BINARIES[p.kind], args(p.kind, p.root, file), {
    cwd: p.root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: p.root, XDG_DATA_HOME: `${p.root}/data`, XDG_CONFIG_HOME: `${p.root}/cfg` },
  });
  child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = async (): Promise<void> => {
    if (!gone) child.kill('SIGTERM');
    await exited;
  };
  const onExit = (): void => void child.kill('SIGKILL');
  process.once('exit', onExit);
  void exited.then(() => process.off('exit', onExit));
  for (let i = 0; i < 100; i++) {
    if (gone) break;
    if (await listening(p.sitePort)) return { pid: child.pid ?? 0, stop, output: () => output };
    await sleep(100);
  }
  await stop();
  throw new AppError('INTERNAL', `${p.kind} did not start on port ${p.sitePort}: ${output.trim()}`);
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
