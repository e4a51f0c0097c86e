/**
 * The Pages port (src/flows/pages.ts): every template the states may need is
 * loaded and compiled here, at start, so a missing or malformed file stops the
 * daemon before it listens. Requests then only pick a template (the site's
 * override if it has one), negotiate a serialisation and join segments.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.js';
import type { Pages, RenderOptions, RenderedMail, RenderedPage } from '../flows/pages.js';
import type { Vars } from '../flows/vars.js';
import type { Template } from './compile-template.js';
import { loadTemplate } from './load-template.js';
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
  readonly log: Logger;
}

export interface LoadedPages extends Pages {
  /**
   * Default template files missing from `templates.path` and taken from the packaged
   * ones instead (a copy of the gem's content/ folder has no knock-confirm, throttled
   * or basic-503 page); empty when every file was found or no path is set.
   */
  readonly fallbacks: readonly string[];
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
  const packaged = resolve(packagedFolder('templates'));
  const defaults = new Map<string, Template>();
  const fallbacks: string[] = [];
  for (const state of STATE_NAMES) {
    const file = fileOf(state);
    if (defaults.has(file)) continue;
    const own = resolve(folder, file);
    // Only a state's default file falls back: a file named in templates.mapping must exist.
    const fallback =
      folder !== packaged && options.mapping[state] === undefined && !existsSync(own) && STATES[state].file === file;
    if (fallback) fallbacks.push(file);
    defaults.set(file, loadTemplate(fallback ? resolve(packaged, file) : own, options.transform));
  }
  if (fallbacks.length > 0) {
    options.log.info(
      { event: 'template-fallback', files: fallbacks },
      `${folder} lacks ${fallbacks.join(', ')}; using the packaged ones`,
    );
  }
  const overrides = createSiteOverrides(options.transform, options.log);

  const pick = (state: StateName, documentRoot: string | undefined): Template => {
    const file = fileOf(state);
    return (documentRoot === undefined ? undefined : overrides.find(documentRoot, file)) ?? defaults.get(file)!;
  };

  // Pages and mail name the site (issue 15); a caller that gave only the host names it by that.
  const named = (vars: Vars): Vars =>
    vars['SITE_NAME'] === undefined ? { ...vars, SITE_NAME: vars['DOMAIN'] ?? '' } : vars;

  const page = (state: StateName, given: Vars, render: RenderOptions): RenderedPage => {
    const vars = named(given);
    const variant = negotiateVariant(render.accept);
    const body = pick(state, render.documentRoot).render(variant, vars, render.base ?? options.base);
    return { contentType: CONTENT_TYPES[variant], body: Buffer.from(body, 'utf8') };
  };
  const server = options.serverTransform;

  return {
    fallbacks,
    page,
    async serve(state, given, render) {
      // curl's text/plain is derived from the template, as without a transform.
      if (server === undefined || negotiateVariant(render.accept) === 'text') return page(state, given, render);
      const xhtml = pick(state, render.documentRoot).render('xhtml', named(given), render.base ?? options.base);
      try {
        return { contentType: CONTENT_TYPES.html, body: Buffer.from(await server.apply(xhtml), 'utf8') };
      } catch (error) {
        // It worked on the sample page at start; a page it fails on is still served, untransformed.
        // The message names the stylesheet's fault; the error object, which may hold the page (a
        // confirm page holds a link token), is not logged.
        const reason = (error instanceof Error ? error.message : String(error)).slice(0, 200);
        options.log.warn({ event: 'transform-failed', file: server.file, state, reason }, 'the stylesheet failed on a page');
        return page(state, given, { ...render, accept: 'text/html' });
      }
    },
    mail(given: Vars, documentRoot: string | undefined, state: StateName = 'email'): RenderedMail {
      const vars = named(given);
      const template = pick(state, documentRoot);
      return {
        subject: template.title(vars),
        html: template.render('html', vars, options.base),
        text: template.render('text', vars, options.base),
      };
    },
  };
}
