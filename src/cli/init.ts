import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { AppError, isAppError } from '../errors/app-error.js';
import { loadConfig } from '../config/load-config.js';
import { renderConfigYaml } from '../config/render-config.js';
import { migrateLatest } from '../store/migrate.js';
import { openStore } from '../store/open-store.js';
import { redactDsn } from '../store/parse-dsn.js';
import type { CliIo } from './cli-io.js';
import { configFile } from './read-config.js';

interface InitOptions {
  dsn: string;
  from: string;
  method?: string;
  listen?: string;
  port?: string;
  queryKey?: string;
  cookieKey?: string;
  urlExpiry?: string;
  cookieExpiry?: string;
  userVar?: string;
  redirectVar?: string;
  pid?: string;
  force?: boolean;
}

/** `forgetpw init -d DSN -f FROM`: writes the config, creates or updates the tables. */
export function initCommand(io: CliIo): Command {
  return new Command('init')
    .description('write the configuration file and create the database tables')
    .requiredOption(
      '-d, --dsn <dsn>',
      'database: sqlite://path.db, postgres:///db or postgres://user:pw@host:port/db',
    )
    .requiredOption('-f, --from <address>', 'the From address of the mails')
    .option('-m, --method <method>', 'mail transport: sendmail, smtp or file')
    .option('-l, --listen <host>', 'address the daemon listens on')
    .option('-p, --port <port>', 'port the daemon listens on')
    .option('-P, --pid <file>', 'pid file written by fcgi')
    .option('--query-key <name>', 'query parameter of the link token')
    .option('--cookie-key <name>', 'session cookie name')
    .option('--url-expiry <duration>', 'link lifetime (ISO 8601, e.g. PT10M)')
    .option('--cookie-expiry <duration>', 'session idle lifetime (ISO 8601, e.g. P2W)')
    .option('--user-var <name>', 'variable carrying the user to Apache')
    .option('--redirect-var <name>', 'variable carrying the post-link redirect')
    .option('--force', 'overwrite an existing configuration file')
    .action(async (options: InitOptions, command: Command) => {
      const file = configFile(command, io);
      const raw = settingsFrom(options, io.cwd);
      // Validate before writing anything: a bad setting leaves no file behind.
      let config;
      try {
        config = loadConfig(path.join(path.dirname(file), '.forgetpw-init-check.yml'), {
          env: {},
          allowMissing: true,
          base: raw,
        });
      } catch (error) {
        if (!isAppError(error, 'CONFIG_INVALID')) throw error;
        throw new AppError('CONFIG_INVALID', 'nothing was written; these settings are wrong', {
          details: error.details,
        });
      }
      const yaml = renderConfigYaml(raw);
      const existing = await readFile(file, 'utf8').catch(() => undefined);
      if (existing !== undefined && existing !== yaml && options.force !== true) {
        throw new AppError('CONFIG_EXISTS', `${file} already exists; use --force to overwrite it`);
      }
      if (existing === yaml) {
        io.out(`Configuration ${file} is unchanged.`);
      } else {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, yaml, { mode: 0o600 });
        io.out(`${existing === undefined ? 'Created' : 'Overwrote'} configuration ${file}.`);
      }
      const store = await openStore(config.state, { baseDir: path.dirname(file) });
      try {
        const applied = await migrateLatest(store.knex);
        const where = redactDsn(config.state.dsn);
        io.out(
          applied.length === 0
            ? `Database ${where} is up to date.`
            : `Database ${where}: applied ${applied.length} migration(s): ${applied.join(', ')}.`,
        );
      } finally {
        await store.close();
      }
      io.out('Next: grant access with `forgetpw privilege -d SITE ADDRESS`, then run `forgetpw fcgi`.');
    });
}

function settingsFrom(o: InitOptions, cwd: string): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const put = (keys: string[], value: unknown): void => {
    if (value === undefined) return;
    let node = raw;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = value;
  };
  put(['host'], o.listen);
  put(['port'], o.port === undefined || !/^\d+$/.test(o.port) ? o.port : Number(o.port));
  put(['pid'], o.pid === undefined ? undefined : path.resolve(cwd, o.pid));
  put(['state', 'dsn'], o.dsn);
  put(['state', 'expiry', 'query'], o.urlExpiry);
  put(['state', 'expiry', 'cookie'], o.cookieExpiry);
  put(['keys', 'query'], o.queryKey);
  put(['keys', 'cookie'], o.cookieKey);
  put(['vars', 'user'], o.userVar);
  put(['vars', 'redirect'], o.redirectVar);
  put(['email', 'from'], o.from);
  put(['email', 'method'], o.method);
  return raw;
}
