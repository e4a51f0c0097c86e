import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { AppError } from '../errors/app-error.js';
import { startDaemon } from '../app/start-daemon.js';
import type { Mailer } from '../flows/mailer.js';
import { createLogger } from '../log/create-logger.js';
import { createMailer } from '../mail/create-mailer.js';
import { normalizeAddress } from '../policy/normalize-address.js';
import { systemClock } from '../tokens/system-clock.js';
import type { CliIo } from './cli-io.js';
import { freeLocalPort } from './free-local-port.js';
import { prepareQuickstart } from './start.js';
import { DEMO_SERVERS, demoListener, startDemoSite, type DemoServer } from './start-demo-site.js';
import { findCode } from '../tokens/format-code.js';

/** The host the printed URL names, granted to the demo address (known-sites rule, issue 10). */
const DEMO_HOST = '127.0.0.1';

/**
 * `forgetpw demo [--server apache|nginx|caddy|lighttpd]`: the first minute. The daemon on the
 * local defaults, plus that web server started from its shipped example on a free port, a granted
 * demo address, and each login link printed here as it is mailed.
 */
export function demoCommand(io: CliIo): Command {
  return new Command('demo')
    .description(
      'run the daemon and a local web server (from apache-example.conf or examples/) to try a login by hand',
    )
    .option('--port <port>', 'port for the local web server', '8080')
    .option('--address <address>', 'the address allowed to log in', 'demo@example.org')
    .option('--server <server>', `the web server in front: ${DEMO_SERVERS.join(', ')}`, 'apache')
    .action(async (options: { port: string; address: string; server: string }, command: Command) => {
      const address = normalizeAddress(options.address);
      if (!address.ok) throw new AppError('ADDRESS_INVALID', `not an address: ${options.address}`);
      const sitePort = Number(options.port);
      if (!Number.isInteger(sitePort) || sitePort < 1 || sitePort > 65535) {
        throw new AppError('USAGE', `--port: not a port number: ${options.port}`);
      }
      const server = DEMO_SERVERS.find((s) => s === options.server);
      if (server === undefined) {
        throw new AppError(
          'USAGE',
          `--server: expected one of ${DEMO_SERVERS.join(', ')}, not ${options.server}`,
        );
      }
      const listener = demoListener(server);
      const overrides: Record<string, unknown> =
        listener === 'http' ? { 'http.listen': `127.0.0.1:${await freeLocalPort()}` } : {};
      const loaded = await prepareQuickstart(command, io, overrides);
      const { config } = loaded;
      const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
      const daemon = await startDaemon(config, {
        configDir: loaded.dir,
        log,
        mailer: printingLinks(createMailer(config.email, { log }), config.keys.query, io),
        fcgi: listener === 'fcgi',
      });
      try {
        await daemon.store.acl.put(
          [DEMO_HOST, 'localhost'].map((domain) => ({ domain, address: address.address, allow: true })),
          systemClock.now(),
        );
        await serveUntilStopped(server, sitePort, listener === 'http' ? daemon.http!.port : daemon.port, {
          io,
          address: address.address,
          folder: config.email.options.path,
        });
      } finally {
        await daemon.close();
      }
    });
}

async function serveUntilStopped(
  server: DemoServer,
  sitePort: number,
  daemonPort: number,
  how: { io: CliIo; address: string; folder: unknown },
): Promise<void> {
  // Apache's children run as nobody when started by root: its folder must be world-readable,
  // which a home folder often is not (NOTES G12).
  const root = await mkdtemp(path.join(tmpdir(), `forgetpw-demo-${server}-`));
  try {
    await chmod(root, 0o755);
    const site = await startDemoSite({ server, root, sitePort, daemonPort, siteName: DEMO_HOST });
    const { io } = how;
    io.out(`Open http://${DEMO_HOST}:${sitePort}/ and log in as ${how.address}.`);
    io.out(
      `Each login link is printed here${typeof how.folder === 'string' ? ` (and written to ${how.folder})` : ''}.`,
    );
    io.out(`Served by ${server}. Stop with Ctrl-C.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await site.stop();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function printingLinks(inner: Mailer, key: string, io: CliIo): Mailer {
  const pattern = new RegExp(`https?://[^\\s<>"]*[?&]${key}=[A-Za-z0-9_-]+`);
  return {
    send: async (message) => {
      await inner.send(message);
      const url = pattern.exec(message.text)?.[0];
      io.out(`Login link for ${message.to}: ${url ?? '(see the mail)'}`);
      // The one-time code (SPEC §11), for trying it in the browser that asked.
      const code = findCode(message.text);
      if (code !== undefined) io.out(`One-time code for ${message.to}: ${code}`);
    },
    verify: () => inner.verify(),
    close: () => inner.close(),
  };
}
