/**
 * Loads every template set at start (STYLE.md: fail at start): one per site of
 * `templates.sites` plus the default, each in every configured language. A file is
 * looked for in the site's folder, then `templates.path`, then the packaged one, in
 * the language asked for; a language missing the file falls back to English, found
 * the same way. So a broken file in any set stops `start` and `check`, naming it.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { AppError } from '../errors/app-error.js';
import type { Template } from './compile-template.js';
import { BASE_LANGUAGE, languageFolder, PACKAGED_LANGUAGES } from './languages.js';
import { loadTemplate } from './load-template.js';

/** A template with the language it is written in (not always the one asked for). */
export interface Chosen {
  readonly template: Template;
  readonly language: string;
}

export interface SetSources {
  /** templates.path, resolved, or the packaged folder. */
  readonly folder: string;
  readonly packaged: string;
  /** Host -> site folder (templates.sites). */
  readonly sites: Readonly<Record<string, string>>;
  readonly languages: readonly string[];
  /** Every template file the states use, each once. */
  readonly files: readonly string[];
  /** Files named in templates.mapping: they must exist in English, never taken from the package. */
  readonly mapped: ReadonlySet<string>;
  readonly transform: string | undefined;
}

export interface TemplateSets {
  /** The template for `file` on `host` (its site set, or the default) in `language`. */
  choose(host: string | undefined, language: string, file: string): Chosen;
  /** Default files `templates.path` lacked, taken from the package (`basic-503.xhtml`). */
  readonly fallbacks: readonly string[];
  /** Translations missing from every folder, shown in English (`de/email-sent.xhtml`). */
  readonly untranslated: readonly string[];
}

/** Language -> file -> the template chosen for it. */
type LanguageSet = ReadonlyMap<string, ReadonlyMap<string, Chosen>>;

export function loadSets(sources: SetSources): TemplateSets {
  const { folder, packaged, languages, files } = sources;
  const all = [BASE_LANGUAGE, ...languages.filter((l) => l !== BASE_LANGUAGE)];
  for (const language of all) {
    if (language === BASE_LANGUAGE || (PACKAGED_LANGUAGES as readonly string[]).includes(language)) continue;
    const places = [folder, ...Object.values(sources.sites)].map((f) => languageFolder(f, language));
    if (!places.some(isFolder)) {
      throw new AppError('CONFIG_INVALID', `templates.languages: no templates for ${language}`, {
        details: [`templates.languages: ${language} has no folder (expected ${places.join(' or ')})`],
      });
    }
  }
  const compiled = new Map<string, Template>();
  const load = (path: string): Template => {
    let template = compiled.get(path);
    if (template === undefined) {
      template = loadTemplate(path, sources.transform);
      compiled.set(path, template);
    }
    return template;
  };
  const fallbacks = new Set<string>();
  const untranslated = new Set<string>();

  const build = (site: string | undefined): LanguageSet => {
    const roots = [...new Set([site, folder, packaged].filter((f): f is string => f !== undefined))];
    const byLanguage = new Map<string, Map<string, Chosen>>();
    for (const language of all) {
      const byFile = new Map<string, Chosen>();
      for (const file of files) {
        const found = roots
          .filter((root) => root !== packaged || !sources.mapped.has(file) || language !== BASE_LANGUAGE)
          .map((root) => inLanguage(resolve(root, file), language))
          .find((path) => existsSync(path));
        if (found !== undefined) {
          byFile.set(file, { template: load(found), language });
          if (site === undefined && language === BASE_LANGUAGE && folder !== packaged && found.startsWith(`${packaged}/`))
            fallbacks.add(file);
        } else if (language === BASE_LANGUAGE) {
          // Nowhere in English: load the file it should be, so the error names it.
          const expected = resolve(sources.mapped.has(file) ? folder : packaged, file);
          byFile.set(file, { template: load(expected), language });
        } else {
          byFile.set(file, byLanguage.get(BASE_LANGUAGE)!.get(file)!);
          untranslated.add(`${language}/${file}`);
        }
      }
      byLanguage.set(language, byFile);
    }
    return byLanguage;
  };

  const base = build(undefined);
  const bySite = new Map<string, LanguageSet>();
  for (const [host, siteFolder] of Object.entries(sources.sites)) {
    const resolved = resolve(siteFolder);
    if (!isFolder(resolved)) {
      throw new AppError('CONFIG_INVALID', `templates.sites.${host}: not a folder`, {
        details: [`templates.sites.${host}: ${resolved} is not a folder`],
      });
    }
    bySite.set(host, build(resolved));
  }

  return {
    fallbacks: [...fallbacks],
    untranslated: [...untranslated],
    choose(host, language, file) {
      const set = (host === undefined ? undefined : bySite.get(host)) ?? base;
      const chosen = (set.get(language) ?? set.get(BASE_LANGUAGE)!).get(file);
      if (chosen === undefined) throw new AppError('INTERNAL', `no template ${file}`);
      return chosen;
    },
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where a file's translation is: a `<lang>/` folder beside the English file. For a plain name
 * that is `<root>/de/<name>`; a `templates.mapping` path elsewhere (`/srv/login.xhtml`,
 * `../x/login.xhtml`) has its German beside it (`/srv/de/login.xhtml`), never itself again.
 */
function inLanguage(english: string, language: string): string {
  return resolve(languageFolder(dirname(english), language), basename(english));
}
