import { Command } from 'commander';
import { migrateLatest } from '../store/migrate.js';
import { openStore } from '../store/open-store.js';
import { redactDsn } from '../store/parse-dsn.js';
import type { CliIo } from './cli-io.js';
import { readConfig } from './read-config.js';

/**
 * `forgetpw migrate`: applies pending migrations (after an upgrade). Safe when
 * several hosts run it at once: the migrator takes a database lock.
 */
export function migrateCommand(io: CliIo): Command {
  return new Command('migrate')
    .description('apply pending database migrations (after an upgrade)')
    .action(async (_options: unknown, command: Command) => {
      const { config, dir } = readConfig(command, io);
      const store = await openStore(config.state, { baseDir: dir });
      try {
        const applied = await migrateLatest(store.knex);
        const where = redactDsn(config.state.dsn);
        io.out(
          applied.length === 0
            ? `Database ${where} is up to date; nothing to apply.`
            : `Database ${where}: applied ${applied.length} migration(s): ${applied.join(', ')}.`,
        );
      } finally {
        await store.close();
      }
    });
}
