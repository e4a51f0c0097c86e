/**
 * The Pages port (src/flows/ports.ts): every template the states may need is
 * loaded and compiled here, at start, so a missing or malformed file stops the
 * daemon before it listens. Requests then only pick a template (the site's
 * override if it has one), negotiate a serialisation and join segments.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../app/app-error.js';
import type { Pages, RenderedMail, RenderedPage, RenderOptions, Vars } from '../flows/ports.js';
import type { Template } from './compile-template.js';
import { loadTemplate } from './load-template.js';
import { CONTENT_TYPES, negotiateVariant } from './negotiate-variant.js';
import { packagedFolder } from './packaged-folder.js';
import { createSiteOverrides } from './site-overrides.js';
import { STATE_NAMES, STATES, type StateName } from './states.js';

export interface PagesOptions {
  /** templates.path: the folder of the templates; undefined = the packaged defaults. */
  readonly path: string | undefined;
  /** templates.mapping: state name -> file name (relative to `path`). */
  readonly mapping: Readonly<Record<string, string>>;
  /** templates.transform: XSLT URL for an xml-stylesheet PI on XHTML pages. */
  readonly transform: string | undefined;
  /** templates.base: <base href> for the mail, and for pages given none. */
  readonly base: string | undefined;
  readonly log: Logger;
}

export function createPages(options: PagesOptions): Pages {
  const folder = resolve(options.path ?? packagedFolder('templates'));
  const unknown = Object.keys(options.mapping).filter((key) => !Object.hasOwn(STATES, key));
  if (unknown.length > 0) {
    throw new AppError('CONFIG_INVALID', 'templates.mapping names unknown states', {
      details: unknown.map((key) => `templates.mapping.${key}: not a state (${STATE_NAMES.join(', ')})`),
    });
  }
  const fileOf = (state: StateName): string => options.mapping[state] ?? STATES[state].file;
  const defaults = new Map<string, Template>();
  for (const state of STATE_NAMES) {
    const file = fileOf(state);
    if (!defaults.has(file)) defaults.set(file, loadTemplate(resolve(folder, file), options.transform));
  }
  const overrides = createSiteOverrides(options.transform, options.log);

  const pick = (state: StateName, documentRoot: string | undefined): Template => {
    const file = fileOf(state);
    return (documentRoot === undefined ? undefined : overrides.find(documentRoot, file)) ?? defaults.get(file)!;
  };

  return {
    page(state: StateName, vars: Vars, render: RenderOptions): RenderedPage {
      const variant = negotiateVariant(render.accept);
      const body = pick(state, render.documentRoot).render(variant, vars, render.base ?? options.base);
      return { contentType: CONTENT_TYPES[variant], body: Buffer.from(body, 'utf8') };
    },
    mail(vars: Vars, documentRoot: string | undefined, state: StateName = 'email'): RenderedMail {
      const template = pick(state, documentRoot);
      return {
        subject: template.title(vars),
        html: template.render('html', vars, options.base),
        text: template.render('text', vars, options.base),
      };
    },
  };
}
