/**
 * The Pages port (src/flows/pages.ts): every template the states may need is
 * loaded and compiled here, at start, in every language and site set, so a missing
 * or malformed file stops the daemon before it listens. Requests then only pick a
 * template (the site's override if it has one), negotiate a serialisation and join
 * segments.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.js';
import type { MailWhere, Pages, RenderOptions, RenderedMail, RenderedPage } from '../flows/pages.js';
import type { Vars } from '../flows/vars.js';
import { BASE_LANGUAGE, PACKAGED_LANGUAGES } from './languages.js';
import { loadSets, type Chosen } from './load-sets.js';
import { CONTENT_TYPES, negotiateVariant } from './negotiate-variant.js';
import { packagedFolder } from './packaged-folder.js';
import type { ServerTransform } from './server-transform.js';
import { createSiteOverrides } from './site-overrides.js';
import { STATE_NAMES, STATES, type StateName } from './states.js';

export interface PagesOptions {
  /** templates.path: the folder of the templates; undefined = the packaged defaults. */
  readonly path: string | undefined;
  /** templates.mapping: state name -> file name (relative to `path`). */
  readonly mapping: Readonly<Record<string, string>>;
  /** templates.transform: XSLT URL for an xml-stylesheet PI on XHTML pages (the browser applies it). */
  readonly transform: string | undefined;
  /** templates.transform_on: server: the loaded stylesheet `serve()` applies (no PI then). */
  readonly serverTransform?: ServerTransform | undefined;
  /** templates.base: <base href> for the mail, and for pages given none. */
  readonly base: string | undefined;
  /** templates.languages; every packaged language when not given. */
  readonly languages?: readonly string[];
  /** templates.sites: host -> folder of the site's own set. */
  readonly sites?: Readonly<Record<string, string>>;
  readonly log: Logger;
}

export interface LoadedPages extends Pages {
  /**
   * Default template files missing from `templates.path` and taken from the packaged
   * ones instead (a copy of the gem's content/ folder has no knock-confirm, throttled
   * or basic-503 page); empty when every file was found or no path is set.
   */
  readonly fallbacks: readonly string[];
  /** Translations no folder has (`de/email-sent.xhtml`): those pages are shown in English. */
  readonly untranslated: readonly string[];
}

export function createPages(options: PagesOptions): LoadedPages {
  const folder = resolve(options.path ?? packagedFolder('templates'));
  const unknown = Object.keys(options.mapping).filter((key) => !Object.hasOwn(STATES, key));
  if (unknown.length > 0) {
    throw new AppError('CONFIG_INVALID', 'templates.mapping names unknown states', {
      details: unknown.map((key) => `templates.mapping.${key}: not a state (${STATE_NAMES.join(', ')})`),
    });
  }
  const fileOf = (state: StateName): string => options.mapping[state] ?? STATES[state].file;
  const files = [...new Set(STATE_NAMES.map(fileOf))];
  // Only a state's default file falls back to the package: a file named in templates.mapping must exist.
  const defaults = new Set<string>(STATE_NAMES.filter((s) => options.mapping[s] === undefined).map((s) => STATES[s].file));
  const languages = options.languages ?? PACKAGED_LANGUAGES;
  const sets = loadSets({
    folder,
    packaged: resolve(packagedFolder('templates')),
    sites: options.sites ?? {},
    languages,
    files,
    mapped: new Set(files.filter((file) => !defaults.has(file))),
    transform: options.transform,
  });
  if (sets.fallbacks.length > 0) {
    options.log.info(
      { event: 'template-fallback', files: sets.fallbacks },
      `${folder} lacks ${sets.fallbacks.join(', ')}; using the packaged ones`,
    );
  }
  if (sets.untranslated.length > 0) {
    options.log.info(
      { event: 'template-untranslated', files: sets.untranslated },
      `no translation of ${sets.untranslated.join(', ')}; those pages are shown in English`,
    );
  }
  const overrides = createSiteOverrides(options.transform, options.log);
  const offered = new Set(languages);

  /**
   * A `$DOCUMENT_ROOT/.forgetpw/` override replaces one file in one language
   * (`.forgetpw/de/<file>` German, `.forgetpw/<file>` English); a language nothing
   * translates falls back to English, the override's English first.
   */
  const pick = (state: StateName, language: string | undefined, host: string | undefined, documentRoot: string | undefined): Chosen => {
    const file = fileOf(state);
    const wanted = language !== undefined && offered.has(language) ? language : BASE_LANGUAGE;
    const own = (lang: string): Chosen | undefined => {
      if (documentRoot === undefined) return undefined;
      const template = overrides.find(documentRoot, file, lang);
      return template === undefined ? undefined : { template, language: lang };
    };
    if (wanted !== BASE_LANGUAGE) {
      const chosen = own(wanted) ?? sets.choose(host, wanted, file);
      if (chosen.language === wanted) return chosen;
    }
    return own(BASE_LANGUAGE) ?? sets.choose(host, BASE_LANGUAGE, file);
  };

  // Pages and mail name the site (issue 15); a caller that gave only the host names it by that.
  const named = (vars: Vars): Vars =>
    vars['SITE_NAME'] === undefined ? { ...vars, SITE_NAME: vars['DOMAIN'] ?? '' } : vars;

  const page = (state: StateName, given: Vars, render: RenderOptions): RenderedPage => {
    const vars = named(given);
    const variant = negotiateVariant(render.accept);
    const { template, language } = pick(state, render.language, render.host, render.documentRoot);
    const body = template.render(variant, vars, render.base ?? options.base);
    return { contentType: CONTENT_TYPES[variant], body: Buffer.from(body, 'utf8'), language };
  };
  const server = options.serverTransform;

  return {
    fallbacks: sets.fallbacks,
    untranslated: sets.untranslated,
    page,
    async serve(state, given, render) {
      // curl's text/plain is derived from the template, as without a transform.
      if (server === undefined || negotiateVariant(render.accept) === 'text') return page(state, given, render);
      const { template, language } = pick(state, render.language, render.host, render.documentRoot);
      const xhtml = template.render('xhtml', named(given), render.base ?? options.base);
      try {
        return { contentType: CONTENT_TYPES.html, body: Buffer.from(await server.apply(xhtml), 'utf8'), language };
      } catch (error) {
        // It worked on the sample page at start; a page it fails on is still served, untransformed.
        // The message names the stylesheet's fault; the error object, which may hold the page (a
        // confirm page holds a link token), is not logged.
        const reason = (error instanceof Error ? error.message : String(error)).slice(0, 200);
        options.log.warn({ event: 'transform-failed', file: server.file, state, reason }, 'the stylesheet failed on a page');
        return page(state, given, { ...render, accept: 'text/html' });
      }
    },
    mail(given: Vars, documentRoot: string | undefined, state: StateName = 'email', where: MailWhere = {}): RenderedMail {
      const vars = named(given);
      const { template, language } = pick(state, where.language, where.host, documentRoot);
      return {
        subject: template.title(vars),
        html: template.render('html', vars, options.base),
        text: template.render('text', vars, options.base),
        language,
      };
    },
  };
}
