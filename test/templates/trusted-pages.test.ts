import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { RenderOptions } from '../../src/flows/pages.js';
import { createPages } from '../../src/templates/create-pages.js';
import { nameStaticPage } from '../../src/templates/name-static-page.js';
import { packagedFolder } from '../../src/templates/packaged-folder.js';
import { STATE_NAMES, STATES, STATIC_PAGES, type StateName } from '../../src/templates/states.js';
import { elements, textOf, wellFormed } from './xml-query.js';

// Issue 15, items 6 and 7, checked on the packaged pages themselves.
const NAME = 'Acme & Sons <Docs>';
const VARS = {
  LOGIN: '/email-link',
  LOGOUT: '/logout',
  ACCOUNT: '/account',
  FORWARD: 'https://docs.example.org/handbook',
  EMAIL: 'alice@example.org',
  DOMAIN: 'docs.example.org',
  SITE_NAME: NAME,
  SITE: 'docs.example.org',
  FROM: 'Docs Gate <gate@docs.example.org>',
  KNOCK: 'K'.repeat(43),
  RETRY_AFTER: '15 minutes',
  URL: 'https://docs.example.org/handbook',
  PRETTY_URL: 'docs.example.org/handbook',
  KNOCK_URL: `https://docs.example.org/email-link?knock=${'K'.repeat(43)}`,
  REVEAL_URL: `https://docs.example.org/account?reveal=${'R'.repeat(43)}`,
  ACCOUNT_URL: 'https://docs.example.org/account',
  EXPIRES: '2026-11-22 14:05 UTC',
  LABEL: 'feed reader',
};
const MAILS: readonly StateName[] = ['email', 'reveal_email'];
const PAGES = STATE_NAMES.filter((s) => !MAILS.includes(s));
const pages = createPages({
  path: undefined,
  mapping: {},
  transform: undefined,
  base: undefined,
  log: pino({ level: 'silent' }),
});
const render = (state: StateName, accept: string): string =>
  pages
    .page(state, VARS, { accept, documentRoot: undefined, base: 'https://docs.example.org/' } satisfies RenderOptions)
    .body.toString('utf8');
/** Words that send a person to a form; a text/plain reader has none. */
const FORM_WORDS = /press(ing)? the button|enter it\b|fill in|type (it|your)/i;

describe('pages a person trusts', () => {
  it.each(PAGES)('%s names the site in its <title> and its <h1>', (state) => {
    const root = wellFormed(render(state, 'application/xhtml+xml'));
    const [title] = elements(root, 'title');
    const [h1] = elements(root, 'h1');
    expect(textOf(title!)).toContain(NAME);
    expect(textOf(h1!)).toContain(NAME);
  });

  it.each(MAILS)('the %s mail names the site in its subject and heading', (state) => {
    const mail = pages.mail(VARS, undefined, state);
    expect(mail.subject).toContain(NAME);
    expect(mail.text).toContain(NAME);
  });

  it.each(PAGES)('%s as text/plain never asks for a button or a field it does not have', (state) => {
    expect(render(state, 'text/plain')).not.toMatch(FORM_WORDS);
  });

  it.each(MAILS)('the text part of the %s mail asks for no button or field', (state) => {
    expect(pages.mail(VARS, undefined, state).text).not.toMatch(FORM_WORDS);
  });

  it.each(STATIC_PAGES)('the static %s names the site it is written or served for', (file) => {
    const packaged = readFileSync(join(packagedFolder('static'), file), 'utf8');
    const named = wellFormed(nameStaticPage(packaged, NAME));
    expect(textOf(elements(named, 'title')[0]!)).toMatch(/^You Are Logged Out.* · Acme & Sons <Docs>$/);
    expect(textOf(elements(named, 'h1')[0]!)).toMatch(/^Acme & Sons <Docs> You Are Logged Out/);
    // Without a name (an operator's `extract --static` without --site-name): no hole in the words.
    const plain = nameStaticPage(packaged, undefined);
    const unnamed = wellFormed(plain);
    expect(textOf(elements(unnamed, 'title')[0]!)).toMatch(/^You Are Logged Out( Everywhere)?$/);
    expect(textOf(elements(unnamed, 'h1')[0]!)).toMatch(/^You Are Logged Out( Everywhere)?$/);
    expect(plain).not.toContain('<?var');
    expect(plain).not.toContain('class="site"');
  });
});

// ---- Item 7: input borders and the focus ring reach 3:1 against what is next to them (WCAG 1.4.11).

interface Rule {
  readonly selectors: readonly string[];
  readonly declarations: ReadonlyMap<string, string>;
}

/** Flat rules of a style sheet, outside @media (light) and inside prefers-color-scheme:dark. */
function styleSheet(css: string): { light: Rule[]; dark: Rule[] } {
  const light: Rule[] = [];
  const dark: Rule[] = [];
  const rules = (text: string, into: Rule[]): void => {
    for (const m of text.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      const declarations = new Map<string, string>();
      for (const d of m[2]!.split(';')) {
        const colon = d.indexOf(':');
        if (colon > 0) declarations.set(d.slice(0, colon).trim(), d.slice(colon + 1).trim());
      }
      into.push({ selectors: m[1]!.split(',').map((s) => s.trim()), declarations });
    }
  };
  let rest = css;
  for (const m of css.matchAll(/@media\s*\(([^)]*)\)\s*\{((?:[^{}]*\{[^{}]*\})*)\s*\}/g)) {
    if (/prefers-color-scheme\s*:\s*dark/.test(m[1]!)) rules(m[2]!, dark);
    rest = rest.replace(m[0], '');
  }
  rules(rest, light);
  return { light, dark };
}

/** The color a selector's rules give `longhand` (or its shorthand); the last rule wins. */
function colorOf(rules: readonly Rule[], selector: string, longhand: string, shorthand: string): string | undefined {
  let found: string | undefined;
  for (const rule of rules) {
    if (!rule.selectors.includes(selector)) continue;
    const value = rule.declarations.get(longhand) ?? rule.declarations.get(shorthand);
    const hex = value === undefined ? undefined : /#[0-9a-f]{3,6}\b/i.exec(value)?.[0];
    if (hex !== undefined) found = hex;
  }
  return found;
}

function luminance(hex: string): number {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const MAIL_FILES = new Set<string>(MAILS.map((m) => STATES[m].file));
const STYLED = [
  ...[...new Set(Object.values(STATES).map((s) => s.file))]
    .filter((f) => !MAIL_FILES.has(f))
    .map((f) => join(packagedFolder('templates'), f)),
  ...STATIC_PAGES.map((f) => join(packagedFolder('static'), f)),
];

describe('contrast of controls', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrast('#000', '#fff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrast('#fff', '#fff')).toBe(1);
  });

  it.each(STYLED)('%s: input and select borders and focus rings reach 3:1, light and dark', (file) => {
    const root = wellFormed(readFileSync(file, 'utf8'));
    const has = (name: string): boolean => elements(root, name).length > 0;
    const css = elements(root, 'style').map(textOf).join('\n');
    const { light, dark } = styleSheet(css);
    for (const [scheme, rules] of [
      ['light', light],
      ['dark', [...light, ...dark]],
    ] as const) {
      const card = colorOf(rules, 'main', 'background-color', 'background');
      expect(card, `${scheme} main background`).toBeDefined();
      const inputBorder = colorOf(rules, 'input', 'border-color', 'border');
      const inputFill = colorOf(rules, 'input', 'background-color', 'background') ?? card!;
      const checks: Array<[string, string | undefined, string]> = [
        ['input border', inputBorder, card!],
        ['input border on its own background', inputBorder, inputFill],
        ['input focus ring', colorOf(rules, 'input:focus', 'outline-color', 'outline'), card!],
        ['button focus ring', colorOf(rules, 'button:focus-visible', 'outline-color', 'outline'), card!],
        ['link focus ring', colorOf(rules, 'a:focus-visible', 'outline-color', 'outline'), card!],
      ];
      // A select is styled (and checked) where a page has one; the UA draws any other.
      if (has('select')) {
        checks.push(
          ['select border', colorOf(rules, 'select', 'border-color', 'border'), card!],
          ['select focus ring', colorOf(rules, 'select:focus', 'outline-color', 'outline'), card!],
        );
      }
      // Every page carries the input, button and link styles, used or not: each is checked on each.
      for (const [what, color, against] of checks) {
        expect(color, `${scheme} ${what}`).toBeDefined();
        expect(contrast(color!, against), `${scheme} ${what} ${color} on ${against}`).toBeGreaterThanOrEqual(3);
      }
    }
  });
});
