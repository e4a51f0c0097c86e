/**
 * A hermetic Apache for the benchmark: the repo's apache-example.conf (as people paste it)
 * in front of the main daemon, the same <VirtualHost> once more on a port of its own for
 * each other daemon, and a plain vhost `bench.example` for the comparisons: static files
 * and mod_auth_basic with an htpasswd file (NOTES §7).
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { hermeticConfig } from '../src/apache/hermetic-config.js';
import { runApache } from '../src/apache/run-apache.js';
import { freePort } from '../test/support/free-port.js';

export const GATE_HOST = 'site.example';
export const PLAIN_HOST = 'bench.example';
export const BASIC_USER = 'bench';
export const BASIC_PASSWORD = 'benchpw';
/** The ~40-byte file every case fetches. */
export const PAGE = '/page.html';

export interface BenchApache {
  /** The parent process; its children are the workers. */
  readonly pid: number;
  /** Port of GATE_HOST in front of the main daemon, and of PLAIN_HOST. */
  readonly port: number;
  /** Port of GATE_HOST in front of each other daemon, by its name. */
  readonly ports: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

const repo = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

export async function startBenchApache(p: {
  mainFcgiPort: number;
  others: ReadonlyArray<{ name: string; fcgiPort: number }>;
}): Promise<BenchApache> {
  const root = await mkdtemp(path.join(tmpdir(), 'forgetpw-bench-apache-'));
  // Started as root, Apache serves as nobody: all it reads must be world-readable (NOTES G12).
  await chmod(root, 0o755);
  const docRoot = path.join(root, 'htdocs');
  await mkdir(path.join(docRoot, 'basic'), { recursive: true });
  await mkdir(path.join(docRoot, 'basic-bcrypt'), { recursive: true });
  await mkdir(path.join(root, 'logs'));
  await chmod(path.join(root, 'logs'), 0o777);
  await mkdir(path.join(root, 'static'));
  await mkdir(path.join(root, 'run'));
  const page = '<p>a page behind the gate, about forty bytes</p>\n';
  await writeFile(path.join(docRoot, PAGE.slice(1)), page);
  await writeFile(path.join(docRoot, 'basic', PAGE.slice(1)), page);
  await writeFile(path.join(docRoot, 'basic-bcrypt', PAGE.slice(1)), page);
  // htpasswd's default (apr1-MD5, as NOTES §7 measured), and bcrypt at its default cost (-B).
  const htpasswd = path.join(root, 'run', 'htpasswd');
  await run('htpasswd', ['-bc', htpasswd, BASIC_USER, BASIC_PASSWORD]);
  const bcrypt = path.join(root, 'run', 'htpasswd-bcrypt');
  await run('htpasswd', ['-bcB', bcrypt, BASIC_USER, BASIC_PASSWORD]);
  await chmod(htpasswd, 0o644);
  await chmod(bcrypt, 0o644);

  const example = await readFile(path.join(repo, 'apache-example.conf'), 'utf8');
  // The site's vhost, not the first one: the example starts with a catch-all that denies every
  // host it does not name, and a copy of that answered every other daemon's case with 403.
  const gateVhost = [...example.matchAll(/^<VirtualHost \*:80>[\s\S]*?^<\/VirtualHost>/gm)]
    .map((match) => match[0])
    .find((vhost) => vhost.includes('AuthnzFcgiCheckAuthnProvider ForgetPasswords'));
  if (gateVhost === undefined) throw new Error('apache-example.conf has no <VirtualHost *:80> for the gate');
  const port = await freePort();
  const ports = new Map<string, number>();
  const extra: string[] = [plainVhost(port, docRoot, htpasswd, bcrypt)];
  for (const other of p.others) {
    const otherPort = await freePort();
    ports.set(other.name, otherPort);
    const provider = `ForgetPasswords_${other.name.replace(/\W/g, '_')}`;
    extra.push(
      `Listen 127.0.0.1:${String(otherPort)}`,
      `AuthnzFcgiDefineProvider authn ${provider} fcgi://127.0.0.1:${String(other.fcgiPort)}/`,
      gateVhost
        .replace('*:80', `*:${String(otherPort)}`)
        .replaceAll('ForgetPasswords', provider)
        .replaceAll('127.0.0.1:10101', `127.0.0.1:${String(other.fcgiPort)}`)
        .replaceAll('forgetpw-access.log', `${other.name}-access.log`)
        .replaceAll('/var/www/html', docRoot)
        .replaceAll('/var/www/forgetpw', path.join(root, 'static')),
    );
  }
  const config = hermeticConfig(example, {
    root,
    httpPort: port,
    fcgiPort: p.mainFcgiPort,
    docRoot,
    extra: extra.join('\n'),
  });
  const apache = await runApache({ root, config, httpPort: port }).catch(async (error: unknown) => {
    await rm(root, { recursive: true, force: true });
    throw error;
  });
  return {
    pid: apache.pid,
    port,
    ports,
    stop: async () => {
      await apache.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Same access log format as the gate's vhost, so only the check differs. */
function plainVhost(port: number, docRoot: string, htpasswd: string, bcrypt: string): string {
  return `# Basic auth is not in the example's module list.
LoadModule auth_basic_module /usr/lib/apache2/modules/mod_auth_basic.so
LoadModule authn_file_module /usr/lib/apache2/modules/mod_authn_file.so
<VirtualHost *:${String(port)}>
  ServerName ${PLAIN_HOST}
  DocumentRoot "${docRoot}"
  CustomLog "\${APACHE_LOG_DIR}/plain-access.log" forgetpw
  <Location /basic>
    AuthType Basic
    AuthName "bench"
    AuthBasicProvider file
    AuthUserFile "${htpasswd}"
    Require valid-user
  </Location>
  <Location /basic-bcrypt>
    AuthType Basic
    AuthName "bench"
    AuthBasicProvider file
    AuthUserFile "${bcrypt}"
    Require valid-user
  </Location>
</VirtualHost>`;
}
