/**
 * `forgetpw extract [--static [--site-name NAME]] DEST`: copies the packaged default templates
 * (or the static logged-out pages, naming the site) somewhere an admin can edit them. Existing
 * files are never overwritten silently.
 */
import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { nameStaticPage } from './name-static-page.js';
import { packagedFolder } from './packaged-folder.js';
import { STATES, STATIC_PAGES } from './states.js';

export interface ExtractOptions {
  readonly static: boolean;
  readonly force: boolean;
  /** The static pages' site name (title and heading); without it they name no site. */
  readonly siteName?: string;
}

export async function extractTemplates(dest: string, options: ExtractOptions): Promise<string[]> {
  const source = packagedFolder(options.static ? 'static' : 'templates');
  const files = options.static ? [...STATIC_PAGES] : [...new Set(Object.values(STATES).map((s) => s.file))].sort();
  await mkdir(dest, { recursive: true });
  const targets = files.map((file) => join(dest, file));
  if (!options.force) {
    const existing: string[] = [];
    for (const target of targets) if (await exists(target)) existing.push(target);
    if (existing.length > 0) {
      throw new AppError('USAGE', `refusing to overwrite ${existing.length} existing file(s) in ${dest} (use --force)`, {
        details: existing,
      });
    }
  }
  for (const [index, file] of files.entries()) {
    // COPYFILE_EXCL (and `wx`) close the gap between the check above and the copy.
    if (options.static) {
      const page = nameStaticPage(await readFile(join(source, file), 'utf8'), options.siteName);
      await writeFile(targets[index]!, page, { flag: options.force ? 'w' : 'wx' });
    } else await copyFile(join(source, file), targets[index]!, options.force ? 0 : constants.COPYFILE_EXCL);
  }
  return targets;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
