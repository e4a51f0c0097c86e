import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hermeticConfig } from '../../src/apache/hermetic-config.js';
import { runApache } from '../../src/apache/run-apache.js';
import { nameStaticPage } from '../../src/templates/name-static-page.js';
import { freePort } from './free-port.js';

export interface TestApache {
  readonly port: number;
  /** Temp folder: httpd.conf, logs/, run/, static/ (the example's /var/www/forgetpw). */
  readonly root: string;
  /** The example's DocumentRoot: index.html, page.html, `page x.html`, cgi/whoami.cgi. */
  readonly docRoot: string;
  /** `http://HOST:PORT/path`, HOST 127.0.0.1 unless given (e.g. 'site.example'). */
  url(path: string, host?: string): string;
  /** Stops Apache and removes the temp folder. */
  stop(): Promise<void>;
  errorLog(): Promise<string>;
  accessLog(): Promise<string>;
}

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Prints who Apache says the user is, as content behind the gate sees it (NOTES §4). */
const WHOAMI = `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\n'
printf 'REMOTE_USER=%s\\nFCGI_USER=%s\\nFCGI_REDIRECT=%s\\nAUTH_TYPE=%s\\nREQUEST_METHOD=%s\\nQUERY_STRING=%s\\n' \\
  "$REMOTE_USER" "$FCGI_USER" "$FCGI_REDIRECT" "$AUTH_TYPE" "$REQUEST_METHOD" "$QUERY_STRING"
printf 'HTTP_AUTHORIZATION=%s\\nHTTP_COOKIE=%s\\n' "$HTTP_AUTHORIZATION" "$HTTP_COOKIE"
if [ -n "$CONTENT_LENGTH" ]; then printf 'BODY='; head -c "$CONTENT_LENGTH"; echo; fi
`;

/**
 * Real Apache on 127.0.0.1 with the repo's apache-example.conf (made hermetic), in front of a
 * FastCGI daemon on `fcgiPort`. Apache is killed when the test process exits, even without stop().
 */
export async function startApache(p: {
  fcgiPort: number;
  extra?: string;
  /** Lines added inside the example's <VirtualHost>, after its own sections (so they win). */
  insideSite?: string;
  /** Host names the site answers besides site.example, 127.0.0.1 and localhost (ServerAlias). */
  aliases?: readonly string[];
}): Promise<TestApache> {
  const root = await mkdtemp(join(tmpdir(), 'forgetpw-apache-'));
  // Started as root, Apache serves as nobody: everything it reads must be world-readable (G12).
  await chmod(root, 0o755);
  const docRoot = join(root, 'htdocs');
  await mkdir(join(docRoot, 'cgi'), { recursive: true });
  await mkdir(join(root, 'logs'));
  await chmod(join(root, 'logs'), 0o777);
  await writeFile(join(docRoot, 'index.html'), '<p>index</p>\n');
  await writeFile(join(docRoot, 'page.html'), '<p>page</p>\n');
  await writeFile(join(docRoot, 'page x.html'), '<p>page x</p>\n');
  await writeFile(join(docRoot, 'cgi', 'whoami.cgi'), WHOAMI, { mode: 0o755 });
  await copyStaticPages(join(root, 'static'));

  const port = await freePort();
  const cgi = [
    `<Directory "${docRoot}/cgi">`,
    '  Options +ExecCGI',
    '  AddHandler cgi-script .cgi',
    '</Directory>',
  ].join('\n');
  const example = await readFile(join(repo, 'apache-example.conf'), 'utf8');
  const hermetic = hermeticConfig(example, {
    root,
    httpPort: port,
    fcgiPort: p.fcgiPort,
    docRoot,
    extra: [cgi, p.extra ?? ''].join('\n'),
    aliases: ['127.0.0.1', 'localhost', ...(p.aliases ?? [])],
  });
  const end = hermetic.lastIndexOf('</VirtualHost>');
  const config =
    p.insideSite === undefined || end < 0
      ? hermetic
      : `${hermetic.slice(0, end)}${p.insideSite}\n${hermetic.slice(end)}`;
  const apache = await runApache({ root, config, httpPort: port });
  return {
    port,
    root,
    docRoot,
    url: (path, host = '127.0.0.1') => `http://${host}:${String(port)}${path}`,
    stop: async () => {
      await apache.stop();
      await rm(root, { recursive: true, force: true });
    },
    errorLog: () => apache.errorLog(),
    accessLog: () => readLogs(join(root, 'logs'), 'access.log'),
  };
}

/**
 * static/logged-out*: the pages in every language and their type maps, as `forgetpw extract
 * --static` writes them (without --site-name: this Apache serves several host names).
 */
async function copyStaticPages(dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  await chmod(dest, 0o755);
  const entries = await readdir(join(repo, 'static'), { withFileTypes: true }).catch(() => []);
  const pages = (names: string[]): string[] => names.filter((n) => /^logged-out.*\.(xhtml|var)$/.test(n));
  const copy = async (from: string, to: string): Promise<void> => {
    if (from.endsWith('.xhtml')) await writeFile(to, nameStaticPage(await readFile(from, 'utf8'), undefined));
    else await copyFile(from, to);
  };
  for (const name of pages(entries.filter((e) => e.isFile()).map((e) => e.name))) {
    await copy(join(repo, 'static', name), join(dest, name));
  }
  for (const language of entries.filter((e) => e.isDirectory()).map((e) => e.name)) {
    await mkdir(join(dest, language));
    await chmod(join(dest, language), 0o755);
    for (const name of pages(await readdir(join(repo, 'static', language))))
      await copy(join(repo, 'static', language, name), join(dest, language, name));
  }
}

async function readLogs(logs: string, suffix: string): Promise<string> {
  const names = (await readdir(logs)).filter((n) => n.endsWith(suffix)).sort();
  return (await Promise.all(names.map((n) => readFile(join(logs, n), 'utf8')))).join('');
}

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpOptions {
  /** Host header; defaults to the URL's host:port. */
  readonly host?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly method?: string;
  readonly body?: string;
}

/**
 * One request, no redirects followed, no connection reuse. Always connects to 127.0.0.1 (the
 * URL's host only goes into the Host header, so http://site.example:PORT/ needs no DNS). The
 * path is sent exactly as written in the URL: no normalisation, so `%20` and `//` stay.
 */
export function http(url: string, o: HttpOptions = {}): Promise<HttpResult> {
  const match = /^http:\/\/([^/]+)(\/.*)?$/.exec(url);
  if (match === null) throw new Error(`not an http:// URL: ${url}`);
  const authority = match[1]!;
  const port = Number(/:(\d+)$/.exec(authority)?.[1] ?? 80);
  const body = o.body === undefined ? undefined : Buffer.from(o.body);
  const headers: Record<string, string> = { host: o.host ?? authority, ...o.headers };
  if (body !== undefined) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: match[2] ?? '/', method: o.method ?? 'GET', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
