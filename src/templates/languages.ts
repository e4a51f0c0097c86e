/**
 * Where each language's templates live. English is the folder itself (`templates/*.xhtml`,
 * `templates.path`, a site folder), so gem-style folders of English files keep working;
 * every other language is a `<lang>/` folder beside them (`templates/de/*.xhtml`).
 */
import { join } from 'node:path';

/** The languages the package ships complete template sets (and static pages) for. */
export const PACKAGED_LANGUAGES = ['en', 'de', 'fr'] as const;

/** The language every missing file falls back to. */
export const BASE_LANGUAGE = 'en';

/** The folder holding `language`'s files inside a template folder. */
export function languageFolder(folder: string, language: string): string {
  return language === BASE_LANGUAGE ? folder : join(folder, language);
}
