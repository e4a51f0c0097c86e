import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  runWebServer,
  type RunningWebServer,
  type WebServerKind,
} from '../../src/web-servers/run-web-server.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freePort } from '../support/free-port.js';
import { startSmtpSink } from '../support/smtp-sink.js';

const BINARY: Record<WebServerKind, string> = {
  nginx: '/usr/sbin/nginx',
  caddy: '/usr/bin/caddy',
  lighttpd: '/usr/sbin/lighttpd',
};

/** Whether the server's tests run: always under CI=true, where a missing server fails them. */
export function serverPresent(kind: WebServerKind): boolean {
  return existsSync(BINARY[kind]) || process.env.CI === 'true';
}

export interface ProxyStackOptions {
  readonly kind: WebServerKind;
  readonly dsn: string;
  /** Sites behind the one proxy that `address` may see (access-list rows). */
  readonly sites: readonly string[];
  readonly address: string;
  readonly settings?: Record<string, unknown>;
  /** What lighttpd serves from its document root as /page.html. */
  readonly page: string;
  /** The app behind nginx and Caddy. */
  readonly app: RequestListener;
}

export interface ProxyStack {
  readonly sink: Awaited<ReturnType<typeof startSmtpSink>>;
  readonly gate: TestDaemon;
  readonly web: RunningWebServer;
  /** The site's port on the proxy. */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The SMTP sink, the daemon (FastCGI and HTTP listener), an app and the real web server started
 * from its shipped example (examples/*), as a site runs them: what the forward-auth tests drive.
 */
export async function startProxyStack(options: ProxyStackOptions): Promise<ProxyStack> {
  const sink = await startSmtpSink();
  const httpPort = await freePort();
  const gate = await startTestDaemon({
    dsn: options.dsn,
    smtpPort: sink.port,
    settings: { ...options.settings, http: { listen: `127.0.0.1:${httpPort}` } },
  });
  const now = Date.now();
  await gate.daemon.store.acl.put(
    options.sites.map((domain) => ({ domain, address: options.address, allow: true })),
    now,
  );
  const app = await listen(createServer(options.app));
  const root = await mkdtemp(path.join(tmpdir(), `forgetpw-${options.kind}-`));
  await mkdir(path.join(root, 'htdocs'));
  await writeFile(path.join(root, 'htdocs', 'page.html'), options.page);
  const port = await freePort();
  const web = await runWebServer({
    kind: options.kind,
    root,
    sitePort: port,
    httpPort,
    fcgiPort: gate.port,
    appPort: app.port,
  });
  return {
    sink,
    gate,
    web,
    port,
    async close() {
      await web.stop();
      await rm(root, { recursive: true, force: true });
      await new Promise((resolve) => app.server.close(resolve));
      await gate.close();
      await sink.close();
    },
  };
}

function listen(server: Server): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}
