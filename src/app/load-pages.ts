import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { createPages, type LoadedPages } from '../templates/create-pages.js';
import { loadServerTransform } from '../templates/server-transform.js';

/**
 * The templates of a config, and with `templates.transform_on: server` its stylesheet,
 * read and tried now: at start, on SIGHUP and by `forgetpw check`.
 */
export async function loadPages(config: Config, log: Logger): Promise<LoadedPages> {
  const { transform, transform_on: on } = config.templates;
  const serverTransform =
    on === 'server' && transform !== undefined ? await loadServerTransform(transform) : undefined;
  return createPages({
    path: config.templates.path,
    mapping: config.templates.mapping,
    transform: on === 'client' ? transform : undefined,
    serverTransform,
    base: config.templates.base,
    languages: config.templates.languages,
    sites: config.templates.sites,
    log,
  });
}
