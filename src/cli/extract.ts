import path from 'node:path';
import { Command } from 'commander';
import { extractTemplates } from '../templates/extract.js';
import type { CliIo } from './cli-io.js';

/** `forgetpw extract [--static] DEST`: copies the default templates (or static pages) to edit them. */
export function extractCommand(io: CliIo): Command {
  return new Command('extract')
    .description('write the default templates (or, with --static, the logged-out pages) into DEST')
    .argument('<dest>', 'folder to write into (created if missing)')
    .option('--static', 'write the static pages (logged-out, logged-out-all) instead of the templates')
    .option('--force', 'overwrite files that already exist')
    .action(async (dest: string, options: { static?: boolean; force?: boolean }) => {
      const written = await extractTemplates(path.resolve(io.cwd, dest), {
        static: options.static === true,
        force: options.force === true,
      });
      for (const file of written) io.out(`wrote ${file}`);
    });
}
