/**
 * Per-site templates in `$DOCUMENT_ROOT/.forgetpw/<file>` (ORIGINAL.md §6, 0.3.0+).
 * Parsed files are cached and re-read when their mtime or size changes, so an
 * edit takes effect on the next request without a restart. A broken override is
 * logged once per version of the file and the default is used instead: a site
 * owner's typo must not take the login page down.
 */
import { statSync, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import type { Template } from './compile-template.js';
import { BASE_LANGUAGE, languageFolder } from './languages.js';
import { loadTemplate } from './load-template.js';

export interface SiteOverrides {
  /** The site's own version of `file` in `language` (`.forgetpw/de/<file>`), or undefined to use the default. */
  find(documentRoot: string, file: string, language?: string): Template | undefined;
}

interface Entry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly template: Template | undefined;
}

/** Bounds memory when many virtual hosts share one daemon. */
const MAX_ENTRIES = 1000;

export function createSiteOverrides(transform: string | undefined, log: Logger): SiteOverrides {
  const cache = new Map<string, Entry>();
  return {
    find(documentRoot, file, language = BASE_LANGUAGE) {
      if (documentRoot === '') return undefined;
      // `language` is one of templates.languages (two or three letters): no path can come of it.
      const path = join(languageFolder(join(documentRoot, '.forgetpw'), language), basename(file));
      let stats: Stats | undefined;
      try {
        stats = statSync(path, { throwIfNoEntry: false });
      } catch {
        stats = undefined;
      }
      if (stats === undefined || !stats.isFile()) {
        cache.delete(path);
        return undefined;
      }
      const cached = cache.get(path);
      if (cached !== undefined && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.template;
      let template: Template | undefined;
      try {
        template = loadTemplate(path, transform);
        log.info({ event: 'template-override-loaded', file: path }, 'per-site template loaded');
      } catch (err) {
        log.warn({ event: 'template-override-invalid', file: path, err }, 'broken per-site template; using the default');
      }
      if (cache.size >= MAX_ENTRIES && cached === undefined) cache.delete(cache.keys().next().value!);
      cache.set(path, { mtimeMs: stats.mtimeMs, size: stats.size, template });
      return template;
    },
  };
}
