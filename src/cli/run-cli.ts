import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isAppError, type AppErrorCode } from '../errors/app-error.js';
import { packageRoot } from '../app/package-root.js';
import type { CliIo } from './cli-io.js';
import { VERBS } from './verbs.js';

/** Exit 2: the invocation or the configuration is wrong; exit 1: something failed at run time. */
const USAGE_CODES: ReadonlySet<AppErrorCode> = new Set([
  'USAGE',
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'CONFIG_EXISTS',
  'DSN_INVALID',
  'ADDRESS_INVALID',
  'DOMAIN_INVALID',
  'TEMPLATE_MISSING',
  'TEMPLATE_INVALID',
  'DB_NOT_MIGRATED',
]);

/**
 * The program with every verb; only the verb `argv` names is loaded for real, the
 * others are stubs that show in the help (they never run).
 */
export async function buildProgram(io: CliIo, argv: readonly string[] = []): Promise<Command> {
  const { version } = JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as {
    version: string;
  };
  const program = new Command('forgetpw')
    .description('forget-passwords: a passwordless gate for websites behind Apache')
    .version(version, '-v, --version')
    .option('-c, --config <file>', 'configuration file', './forgetpw.yml')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const wanted = verbIn(argv);
  for (const verb of VERBS) {
    const command =
      verb.name === wanted ? (await verb.load())(io) : new Command(verb.name).description(verb.summary);
    program.addCommand(command.exitOverride().configureOutput(program.configureOutput()));
  }
  return program;
}

/** The verb argv runs (or asks help for), skipping the global options. */
export function verbIn(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '-c' || token === '--config') i++;
    else if (token.startsWith('-')) continue;
    else if (token === 'help') return argv.slice(i + 1).find((t) => !t.startsWith('-'));
    else return token;
  }
  return undefined;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await (await buildProgram(io, argv)).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok =
        error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version';
      return ok ? 0 : 2;
    }
    if (isAppError(error)) {
      io.err(`error: ${error.message}`);
      for (const line of error.details) io.err(`  ${line}`);
      return USAGE_CODES.has(error.code) ? 2 : 1;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
