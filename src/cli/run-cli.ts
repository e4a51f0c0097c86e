import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isAppError, type AppErrorCode } from '../app/app-error.js';
import { packageRoot } from '../app/package-root.js';
import type { CliIo } from './cli-io.js';
import { auditCommand } from './audit.js';
import { checkCommand } from './check.js';
import { disableCommand } from './disable.js';
import { enableCommand } from './enable.js';
import { logoutCommand } from './logout.js';
import { migrateCommand } from './migrate.js';
import { mintCommand } from './mint.js';
import { sessionsCommand } from './sessions.js';
import { usersCommand } from './users.js';
import { extractCommand } from './extract.js';
import { fcgiCommand } from './fcgi.js';
import { initCommand } from './init.js';
import { privilegeCommand } from './privilege.js';
import { startCommand } from './start.js';
import { demoCommand } from './demo.js';

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

export function buildProgram(io: CliIo): Command {
  const { version } = JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as {
    version: string;
  };
  const program = new Command('forgetpw')
    .description('forget-passwords: a passwordless gate for websites behind Apache')
    .version(version, '-v, --version')
    .option('-c, --config <file>', 'configuration file', './forgetpw.yml')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  for (const command of [
    initCommand(io),
    privilegeCommand(io),
    fcgiCommand(io),
    extractCommand(io),
    startCommand(io),
    usersCommand(io),
    disableCommand(io),
    enableCommand(io),
    sessionsCommand(io),
    logoutCommand(io),
    mintCommand(io),
    checkCommand(io),
    migrateCommand(io),
    auditCommand(io),
    demoCommand(io),
  ]) {
    program.addCommand(command.exitOverride().configureOutput(program.configureOutput()));
  }
  return program;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
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
