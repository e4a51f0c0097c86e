import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagedFolder } from '../../src/templates/packaged-folder.js';
import { STATES, STATIC_PAGES } from '../../src/templates/states.js';
import { attribute, elements, textOf, wellFormed } from './xml-query.js';

const TEMPLATES = [...new Set(Object.values(STATES).map((s) => s.file))].sort();
const FILES = [
  ...TEMPLATES.map((f) => join(packagedFolder('templates'), f)),
  ...STATIC_PAGES.map((f) => join(packagedFolder('static'), f)),
];

describe('the packaged templates', () => {
  it('ship exactly one file per template name', () => {
    expect(readdirSync(packagedFolder('templates')).sort()).toEqual(TEMPLATES);
    expect(readdirSync(packagedFolder('static')).sort()).toEqual([...STATIC_PAGES].sort());
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
  });
});
