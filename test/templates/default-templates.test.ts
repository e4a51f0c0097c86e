import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGED_LANGUAGES } from '../../src/templates/languages.js';
import { packagedFolder } from '../../src/templates/packaged-folder.js';
import { STATES, STATIC_PAGES, STATIC_TYPE_MAPS } from '../../src/templates/states.js';
import { attribute, elements, textOf, wellFormed } from './xml-query.js';

const TEMPLATES = [...new Set(Object.values(STATES).map((s) => s.file))].sort();
const ENGLISH = [
  ...TEMPLATES.map((f) => join(packagedFolder('templates'), f)),
  ...STATIC_PAGES.map((f) => join(packagedFolder('static'), f)),
];
/** Every packaged translation, beside the English file it translates. */
const TRANSLATED = PACKAGED_LANGUAGES.filter((l) => l !== 'en').flatMap((language) =>
  ENGLISH.map((english) => ({ language, english, file: join(dirname(english), language, basename(english)) })),
);
const FILES = [...ENGLISH, ...TRANSLATED.map((t) => t.file)];

/** What a translation must keep: every variable, and every form field and link target in order. */
function skeleton(source: string): string[] {
  const vars = [...source.matchAll(/<\?var \$(\w+)\?>|\$([A-Z_]+)/g)].map((m) => m[1] ?? m[2] ?? '');
  const fields = [...source.matchAll(/<(form|input|button|select|option|a|tr|p|td)\b[^>]*?(?:name|href|action|data-repeat|type)="([^"]*)"/g)].map(
    (m) => `${m[1] ?? ''}:${m[2] ?? ''}`,
  );
  // A sentence may put its variables in another order; the fields keep theirs.
  return [...vars.sort(), ...fields];
}

describe('the packaged templates', () => {
  it('ship exactly one file per template name, and a folder per other language', () => {
    const others = PACKAGED_LANGUAGES.filter((l) => l !== 'en');
    expect(readdirSync(packagedFolder('templates')).sort()).toEqual([...TEMPLATES, ...others].sort());
    expect(readdirSync(packagedFolder('static')).sort()).toEqual([...STATIC_PAGES, ...STATIC_TYPE_MAPS, ...others].sort());
    for (const language of others) {
      expect(readdirSync(join(packagedFolder('templates'), language)).sort()).toEqual(TEMPLATES);
      expect(readdirSync(join(packagedFolder('static'), language)).sort()).toEqual([...STATIC_PAGES].sort());
    }
  });

  it.each(ENGLISH)('%s says it is English', (file) => {
    const root = wellFormed(readFileSync(file, 'utf8'));
    expect([attribute(root, 'lang'), attribute(root, 'xml:lang')]).toEqual(['en', 'en']);
  });

  it.each(TRANSLATED)('$file says its language and keeps every variable and field of the English one', (t) => {
    const source = readFileSync(t.file, 'utf8');
    const root = wellFormed(source);
    expect([attribute(root, 'lang'), attribute(root, 'xml:lang')]).toEqual([t.language, t.language]);
    expect(skeleton(source)).toEqual(skeleton(readFileSync(t.english, 'utf8')));
    // The style sheet is the same: a translation changes words, not looks.
    const style = (text: string): string => /<style>[\s\S]*<\/style>/.exec(text)?.[0] ?? '';
    expect(style(source)).toBe(style(readFileSync(t.english, 'utf8')));
    expect(textOf(root)).not.toBe(textOf(wellFormed(readFileSync(t.english, 'utf8'))));
  });

  it.each(FILES)('%s is XHTML whose <h1> repeats its <title>', (file) => {
    const root = wellFormed(readFileSync(file, 'utf8'));
    expect(attribute(root, 'xmlns')).toBe('http://www.w3.org/1999/xhtml');
    const [title] = elements(root, 'title');
    const [h1] = elements(root, 'h1');
    // The title reads "Heading · SITE" (tabs); the heading puts the site above itself, in the same words.
    const words = (text: string): string[] => text.split(/[\s·]+/).filter((w) => w !== '').sort();
    expect(words(textOf(h1!))).toEqual(words(textOf(title!)));
  });

  it.each(FILES)('%s needs no script and nothing from elsewhere', (file) => {
    const root = wellFormed(readFileSync(file, 'utf8'));
    expect(elements(root, 'script')).toEqual([]);
    expect(elements(root, 'link')).toEqual([]);
    expect(elements(root, 'img')).toEqual([]);
    const urls = elements(root, 'a').map((a) => attribute(a, 'href') ?? '');
    expect(urls.filter((u) => /^(https?:|javascript:)/.test(u))).toEqual([]);
    expect(elements(root, 'style').length).toBeLessThanOrEqual(1);
  });

  it('logged-out says this browser, logged-out-all says everywhere', () => {
    const text = (f: string): string => textOf(wellFormed(readFileSync(join(packagedFolder('static'), f), 'utf8')));
    expect(text('logged-out.xhtml')).toContain('You are logged out on this browser.');
    expect(text('logged-out-all.xhtml')).toContain('You are logged out everywhere');
    expect(text('de/logged-out.xhtml')).toContain('Sie sind in diesem Browser abgemeldet.');
    expect(text('de/logged-out-all.xhtml')).toContain('Sie sind überall abgemeldet');
  });
});
