import path from 'node:path';
import { Command } from 'commander';
import { AppError } from '../errors/app-error.js';
import type { CliIo } from './cli-io.js';
import { detach, runDaemon } from './fcgi.js';
import { readConfig } from './read-config.js';

interface HttpOptions {
  listen?: string;
  port?: string;
  detach?: boolean;
  pid?: string;
}

/**
 * `forgetpw http [-l HOST] [-p PORT] [-z] [-P PIDFILE]`: the daemon with its HTTP forward-auth
 * listener only (SPEC §9), for nginx, Caddy and Traefik; `http.listen` in the config, else
 * 127.0.0.1:10102. Same start-up checks, signals, metrics and logs as `fcgi`.
 */
export function httpCommand(io: CliIo): Command {
  return new Command('http')
    .description('run the HTTP forward-auth daemon (nginx auth_request, Caddy forward_auth, Traefik)')
    .option('-l, --listen <host>', 'address to listen on (default: from `http.listen`, else 127.0.0.1)')
    .option('-p, --port <port>', 'port to listen on (default: from `http.listen`, else 10102)')
    .option('-z, --detach', 'detach from the terminal and run in the background')
    .option('-P, --pid <file>', 'write the process id to this file (overrides `pid`)')
    .action(async (options: HttpOptions, command: Command) => {
      const overrides: Record<string, unknown> = {};
      if (options.pid !== undefined) overrides.pid = path.resolve(io.cwd, options.pid);
      const configured = readConfig(command, io, { overrides }).config.http.listen;
      const match = configured === undefined ? undefined : /^(.*):(\d+)$/.exec(configured);
      const host = options.listen ?? match?.[1]?.replace(/^\[(.*)\]$/, '$1') ?? '127.0.0.1';
      const port = options.port ?? match?.[2] ?? '10102';
      if (!/^\d{1,5}$/.test(port)) throw new AppError('USAGE', `-p: not a port number: ${port}`);
      overrides['http.listen'] = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      const loaded = readConfig(command, io, { overrides });
      if (options.detach === true) return detach(io);
      await runDaemon(loaded, io, { overrides, fcgi: false });
    });
}
