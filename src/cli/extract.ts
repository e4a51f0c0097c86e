import path from 'node:path';
import { Command } from 'commander';
import { extractTemplates } from '../templates/extract.js';
import type { CliIo } from './cli-io.js';

/**
 * `forgetpw extract [--static [--site-name NAME]] DEST`: copies the default templates (or the
 * static pages, which name the site NAME) to edit them.
 */
export function extractCommand(io: CliIo): Command {
  return new Command('extract')
    .description('write the default templates (or, with --static, the logged-out pages) into DEST')
    .argument('<dest>', 'folder to write into (created if missing)')
    .option('--static', 'write the static pages (logged-out, logged-out-all) instead of the templates')
    .option('--site-name <name>', "with --static: the site's name for the pages' title and heading")
    .option('--force', 'overwrite files that already exist')
    .action(async (dest: string, options: { static?: boolean; force?: boolean; siteName?: string }) => {
      const written = await extractTemplates(path.resolve(io.cwd, dest), {
        static: options.static === true,
        force: options.force === true,
        ...(options.siteName === undefined ? {} : { siteName: options.siteName }),
      });
      for (const file of written) io.out(`wrote ${file}`);
    });
}
