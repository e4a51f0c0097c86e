import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { renderConfigYaml } from '../config/render-config.js';
import { migrateLatest } from '../store/migrate.js';
import { openStore } from '../store/open-store.js';
import type { CliIo } from './cli-io.js';
import { runDaemon } from './fcgi.js';
import { configFile, readConfig, type LoadedConfig } from './read-config.js';

/**
 * The embedded defaults of a first run: an SQLite file, mail written to a folder, and this
 * machine as the one site served (issue 10: the gate serves only the hosts it is told of).
 */
export const QUICKSTART_SETTINGS = {
  sites: ['localhost', '127.0.0.1'],
  state: { dsn: 'sqlite://forgetpw.sqlite' },
  email: { from: 'forgetpw@localhost', method: 'file', options: { path: 'mail' } },
};

/**
 * `forgetpw start [-l HOST] [-p PORT]` (what `npm start` runs): on a fresh checkout, writes a
 * config with local defaults if there is none, migrates, and runs the daemon.
 */
export function startCommand(io: CliIo): Command {
  return new Command('start')
    .description(
      'first run: create a local config (SQLite, mail to ./mail) if missing, migrate, run the daemon',
    )
    .option('-l, --listen <host>', 'address to listen on (overrides `host`)')
    .option('-p, --port <port>', 'port to listen on (overrides `port`)')
    .action(async (options: { listen?: string; port?: string }, command: Command) => {
      const overrides: Record<string, unknown> = {};
      if (options.listen !== undefined) overrides.host = options.listen;
      if (options.port !== undefined) overrides.port = options.port;
      const loaded = await prepareQuickstart(command, io, overrides);
      if (loaded.config.email.method === 'file') {
        io.out(`Login links are written as .eml files to ${String(loaded.config.email.options.path)}`);
      }
      await runDaemon(loaded, io, { overrides });
    });
}

/** Writes the local-defaults config when there is none, loads it and migrates its database. */
export async function prepareQuickstart(
  command: Command,
  io: CliIo,
  overrides: Record<string, unknown> = {},
): Promise<LoadedConfig> {
  const file = configFile(command, io);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, renderConfigYaml(QUICKSTART_SETTINGS), { mode: 0o600 });
    io.out(`Created ${file} with local defaults (SQLite database, mail written to ./mail).`);
  }
  const loaded = readConfig(command, io, { overrides });
  const store = await openStore(loaded.config.state, { baseDir: loaded.dir });
  try {
    await migrateLatest(store.knex);
  } finally {
    await store.close();
  }
  return loaded;
}
