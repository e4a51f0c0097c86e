import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { hermeticConfig } from '../apache/hermetic-config.js';
import { runApache } from '../apache/run-apache.js';
import { AppError } from '../app/app-error.js';
import { packageRoot } from '../app/package-root.js';
import { startDaemon } from '../app/start-daemon.js';
import type { Mailer } from '../flows/ports.js';
import { createLogger } from '../log/create-logger.js';
import { createMailer } from '../mail/create-mailer.js';
import { normalizeAddress } from '../policy/normalize-address.js';
import { extractTemplates } from '../templates/extract.js';
import { systemClock } from '../tokens/system-clock.js';
import type { CliIo } from './cli-io.js';
import { prepareQuickstart } from './start.js';

const PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>You are in</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:12vh auto;padding:0 1rem">
<h1>You are in</h1>
<p>This page is protected by forget-passwords. <a href="cgi/whoami.cgi">Who am I?</a></p>
<form method="post" action="/logout"><button>Log out</button></form>
</body></html>
`;
const WHOAMI = `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\nREMOTE_USER=%s\\n' "$REMOTE_USER"
`;

/**
 * `forgetpw demo`: the first minute. The daemon on the local defaults, plus an
 * Apache started from apache-example.conf on a free port, a granted demo
 * address, and each login link printed here as it is mailed.
 */
export function demoCommand(io: CliIo): Command {
  return new Command('demo')
    .description('run the daemon and a local Apache (from apache-example.conf) to try a login by hand')
    .option('--port <port>', 'port for the local Apache', '8080')
    .option('--address <address>', 'the address allowed to log in', 'demo@example.org')
    .action(async (options: { port: string; address: string }, command: Command) => {
      const address = normalizeAddress(options.address);
      if (!address.ok) throw new AppError('ADDRESS_INVALID', `not an address: ${options.address}`);
      const httpPort = Number(options.port);
      if (!Number.isInteger(httpPort) || httpPort < 1 || httpPort > 65535) {
        throw new AppError('USAGE', `--port: not a port number: ${options.port}`);
      }
      const loaded = await prepareQuickstart(command, io);
      const { config } = loaded;
      const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
      const daemon = await startDaemon(config, {
        configDir: loaded.dir,
        log,
        mailer: printingLinks(createMailer(config.email, { log }), config.keys.query, io),
      });
      try {
        await daemon.store.acl.put(
          ['127.0.0.1', 'localhost'].map((domain) => ({ domain, address: address.address, allow: true })),
          systemClock.now(),
        );
        // Apache's children run as nobody when started by root: its folder must be world-readable,
        // which a home folder often is not (NOTES G12).
        const root = await mkdtemp(path.join(tmpdir(), 'forgetpw-demo-'));
        await chmod(root, 0o755);
        const docRoot = path.join(root, 'htdocs');
        await mkdir(path.join(docRoot, 'cgi'), { recursive: true, mode: 0o755 });
        await writeFile(path.join(docRoot, 'index.html'), PAGE);
        await writeFile(path.join(docRoot, 'cgi', 'whoami.cgi'), WHOAMI, { mode: 0o755 });
        // The logged-out pages the example's Alias serves (its /var/www/forgetpw is root/static here),
        // so logging out ends on "You Are Logged Out", not Apache's bare Not Found (issue 15).
        await extractTemplates(path.join(root, 'static'), { static: true, force: false });
        const example = await readFile(path.join(packageRoot(), 'apache-example.conf'), 'utf8');
        const cgi = `<Directory "${docRoot}/cgi">\n  Options +ExecCGI\n  AddHandler cgi-script .cgi\n</Directory>`;
        const apache = await runApache({
          root,
          httpPort,
          config: hermeticConfig(example, { root, httpPort, fcgiPort: daemon.port, docRoot, extra: cgi }),
        });
        io.out(`Open http://127.0.0.1:${httpPort}/ and log in as ${address.address}.`);
        const folder = config.email.options.path;
        io.out(
          `Each login link is printed here${typeof folder === 'string' ? ` (and written to ${folder})` : ''}.`,
        );
        io.out('Stop with Ctrl-C.');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await apache.stop();
        await rm(root, { recursive: true, force: true });
      } finally {
        await daemon.close();
      }
    });
}

function printingLinks(inner: Mailer, key: string, io: CliIo): Mailer {
  const pattern = new RegExp(`https?://[^\\s<>"]*[?&]${key}=[A-Za-z0-9_-]+`);
  return {
    send: async (message) => {
      await inner.send(message);
      const url = pattern.exec(message.text)?.[0];
      io.out(`Login link for ${message.to}: ${url ?? '(see the mail)'}`);
    },
    verify: () => inner.verify(),
    close: () => inner.close(),
  };
}
