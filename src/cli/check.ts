import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { loadPages } from '../app/load-pages.js';
import { AppError } from '../errors/app-error.js';
import type { Config } from '../config/config.js';
import { createLogger } from '../log/create-logger.js';
import { createMailer } from '../mail/create-mailer.js';
import { isGemDatabase } from '../store/gem-database.js';
import { pendingMigrations } from '../store/migrate.js';
import { openStore, type StoreHandle } from '../store/open-store.js';
import { parseDsn, redactDsn } from '../store/parse-dsn.js';
import { STATE_NAMES } from '../templates/states.js';
import type { CliIo } from './cli-io.js';
import { readConfig } from './read-config.js';

type Status = 'ok' | 'FAILED' | 'skipped';

interface CheckResult {
  readonly check: string;
  readonly status: Status;
  readonly detail: string;
}

/** An SMTP server that accepts the connection but never answers must not hang the check. */
const MAIL_TIMEOUT_MS = 15_000;

/**
 * `forgetpw check`: what the daemon needs at start, tested without starting it.
 * A bad config is a usage error (exit 2, every problem listed); any failed check exits 1.
 */
export function checkCommand(io: CliIo): Command {
  return new Command('check')
    .description('check the config, the database and its migrations, the mail transport and the templates')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const loaded = readConfig(command, io);
      const { config } = loaded;
      const results: CheckResult[] = [{ check: 'config', status: 'ok', detail: loaded.file }];
      const store = await attempt('database', async () => {
        // Opening an SQLite file that is not there would create an empty one.
        const parsed = parseDsn(config.state, loaded.dir);
        const file = parsed.connection['filename'];
        if (parsed.dialect === 'sqlite' && typeof file === 'string' && !existsSync(file)) {
          throw new Error(
            `${redactDsn(config.state.dsn)}: no such file (${file}); \`forgetpw init\` creates it`,
          );
        }
        const opened = await openStore(config.state, { baseDir: loaded.dir });
        return { value: opened, detail: `${redactDsn(config.state.dsn)} answers` };
      });
      results.push(store.result);
      try {
        results.push(await migrationsCheck(store.value));
      } finally {
        await store.value?.close();
      }
      results.push((await attempt('mail', () => verifyMail(config))).result);
      results.push((await attempt('templates', () => templatesCheck(config))).result);

      if (options.json === true) io.out(JSON.stringify(results));
      else for (const r of results) io.out(`${r.status.padEnd(7)} ${r.check.padEnd(11)} ${r.detail}`);
      const failed = results.filter((r) => r.status === 'FAILED').length;
      if (failed > 0) throw new AppError('INTERNAL', `${failed} of ${results.length} checks failed`);
      if (options.json !== true) io.out('All checks passed.');
    });
}

async function attempt<T>(
  check: string,
  work: () => Promise<{ value: T; detail: string }>,
): Promise<{ value: T | undefined; result: CheckResult }> {
  try {
    const { value, detail } = await work();
    return { value, result: { check, status: 'ok', detail } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const details = error instanceof AppError ? error.details.map((d) => `; ${d}`).join('') : '';
    return { value: undefined, result: { check, status: 'FAILED', detail: `${message}${details}` } };
  }
}

async function migrationsCheck(store: StoreHandle | undefined): Promise<CheckResult> {
  if (store === undefined) return { check: 'migrations', status: 'skipped', detail: 'no database' };
  const { result } = await attempt('migrations', async () => {
    if (await isGemDatabase(store.knex)) {
      throw new Error("the Ruby gem's database: run `forgetpw migrate` to upgrade it in place");
    }
    const pending = await pendingMigrations(store.knex);
    if (pending.length === 0) return { value: undefined, detail: 'none pending' };
    throw new Error(`${pending.length} pending (${pending.join(', ')}): run \`forgetpw migrate\``);
  });
  return result;
}

async function verifyMail(config: Config): Promise<{ value: undefined; detail: string }> {
  const mailer = createMailer(config.email, { log: createLogger('silent') });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${MAIL_TIMEOUT_MS / 1000} s`)),
        MAIL_TIMEOUT_MS,
      );
    });
    await Promise.race([mailer.verify(), timeout]);
  } finally {
    clearTimeout(timer);
    mailer.close();
  }
  return { value: undefined, detail: `the ${config.email.method} transport is ready` };
}

async function templatesCheck(config: Config): Promise<{ value: undefined; detail: string }> {
  const { fallbacks, untranslated } = await loadPages(config, createLogger('silent'));
  const from = config.templates.path ?? 'the packaged defaults';
  const fell = fallbacks.length === 0 ? '' : `; packaged ones for the missing ${fallbacks.join(', ')}`;
  const hosts = Object.keys(config.templates.sites);
  const sets = hosts.length === 0 ? '' : `; own sets for ${hosts.join(', ')}`;
  const languages = config.templates.languages.join(', ');
  const english =
    untranslated.length === 0 ? '' : `; English for the untranslated ${untranslated.join(', ')}`;
  const { transform, transform_on: on } = config.templates;
  const applied = on === 'server' ? `; the daemon applies ${transform ?? ''}` : '';
  return {
    value: undefined,
    detail: `${STATE_NAMES.length} pages in ${languages} from ${from}${fell}${sets}${english}${applied}`,
  };
}
