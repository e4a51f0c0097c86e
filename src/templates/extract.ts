/**
 * `forgetpw extract [--static [--site-name NAME]] DEST`: copies the packaged default templates
 * (or the static logged-out pages, naming the site) somewhere an admin can edit them, English
 * at the top and each other packaged language in its `<lang>/` folder, as `templates.path`
 * reads them. Existing files are never overwritten silently.
 */
import { constants, existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { BASE_LANGUAGE, PACKAGED_LANGUAGES } from './languages.js';
import { nameStaticPage } from './name-static-page.js';
import { packagedFolder } from './packaged-folder.js';
import { STATES, STATIC_PAGES, STATIC_TYPE_MAPS } from './states.js';

export interface ExtractOptions {
  readonly static: boolean;
  readonly force: boolean;
  /** The static pages' site name (title and heading); without it they name no site. */
  readonly siteName?: string;
}

export async function extractTemplates(dest: string, options: ExtractOptions): Promise<string[]> {
  const source = packagedFolder(options.static ? 'static' : 'templates');
  const english = options.static ? [...STATIC_PAGES] : [...new Set(Object.values(STATES).map((s) => s.file))].sort();
  const translated = PACKAGED_LANGUAGES.filter((l) => l !== BASE_LANGUAGE).flatMap((language) =>
    english.map((file) => join(language, file)).filter((file) => existsSync(join(source, file))),
  );
  const files = [...english, ...translated, ...(options.static ? STATIC_TYPE_MAPS : [])];
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
    await mkdir(dirname(targets[index]!), { recursive: true });
    // COPYFILE_EXCL (and `wx`) close the gap between the check above and the copy.
    if (options.static && file.endsWith('.xhtml')) {
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
