import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extractTemplates } from '../templates/extract.js';
import { hermeticConfig } from '../apache/hermetic-config.js';
import { runApache } from '../apache/run-apache.js';
import { packageRoot } from '../app/package-root.js';
import { runWebServer, type WebServerKind } from '../web-servers/run-web-server.js';
import { demoPage, startDemoApp } from './demo-app.js';

export type DemoServer = 'apache' | WebServerKind;
export const DEMO_SERVERS: readonly DemoServer[] = ['apache', 'nginx', 'caddy', 'lighttpd'];

/** Which daemon listener each server's example talks to (SPEC §9). */
export function demoListener(server: DemoServer): 'fcgi' | 'http' {
  return server === 'nginx' || server === 'caddy' ? 'http' : 'fcgi';
}

export interface DemoSiteParams {
  readonly server: DemoServer;
  /** Empty, world-readable folder owned by the caller. */
  readonly root: string;
  readonly sitePort: number;
  /** The daemon's FastCGI port (Apache, lighttpd) or HTTP forward-auth port (nginx, Caddy). */
  readonly daemonPort: number;
  /** The host the demo's URL names, which the logged-out pages name as the site. */
  readonly siteName: string;
}

const WHOAMI = `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\nREMOTE_USER=%s\\n' "$REMOTE_USER"
`;

/**
 * The web server of `forgetpw demo`, started from its shipped example with only ports and folders
 * changed: Apache and lighttpd serve a document root (Apache with a CGI that reads REMOTE_USER),
 * nginx and Caddy proxy to a small app that reads the Remote-User header.
 */
export async function startDemoSite(p: DemoSiteParams): Promise<{ stop(): Promise<void> }> {
  const docRoot = path.join(p.root, 'htdocs');
  await mkdir(path.join(docRoot, 'cgi'), { recursive: true, mode: 0o755 });
  switch (p.server) {
    case 'apache': {
      await writeFile(path.join(docRoot, 'index.html'), demoPage('cgi/whoami.cgi'));
      await writeFile(path.join(docRoot, 'cgi', 'whoami.cgi'), WHOAMI, { mode: 0o755 });
      // The logged-out pages the example's Alias serves (its /var/www/forgetpw is root/static here),
      // so logging out ends on "You Are Logged Out", not Apache's bare Not Found (issue 15).
      await extractTemplates(path.join(p.root, 'static'), {
        static: true,
        force: false,
        siteName: p.siteName,
      });
      const example = await readFile(path.join(packageRoot(), 'apache-example.conf'), 'utf8');
      const cgi = `<Directory "${docRoot}/cgi">\n  Options +ExecCGI\n  AddHandler cgi-script .cgi\n</Directory>`;
      return runApache({
        root: p.root,
        httpPort: p.sitePort,
        config: hermeticConfig(example, {
          root: p.root,
          httpPort: p.sitePort,
          fcgiPort: p.daemonPort,
          docRoot,
          extra: cgi,
          // The example refuses every Host but its site's: the demo's site is this machine.
          aliases: ['127.0.0.1', 'localhost'],
        }),
      });
    }
    case 'lighttpd': {
      // The example serves files only: nothing there to read the user back.
      await writeFile(path.join(docRoot, 'index.html'), demoPage(undefined));
      return runWebServer({
        kind: 'lighttpd',
        root: p.root,
        docRoot,
        siteName: p.siteName,
        sitePort: p.sitePort,
        fcgiPort: p.daemonPort,
        httpPort: 0,
        appPort: 0,
      });
    }
    case 'nginx':
    case 'caddy': {
      const app = await startDemoApp();
      try {
        const web = await runWebServer({
          kind: p.server,
          root: p.root,
          sitePort: p.sitePort,
          httpPort: p.daemonPort,
          fcgiPort: 0,
          appPort: app.port,
        });
        return {
          stop: async () => {
            await web.stop();
            await app.close();
          },
        };
      } catch (error) {
        await app.close();
        throw error;
      }
    }
  }
}
