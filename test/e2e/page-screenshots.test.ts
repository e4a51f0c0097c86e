import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPages, type LoadedPages } from '../../src/templates/create-pages.js';
import { nameStaticPage } from '../../src/templates/name-static-page.js';
import { packagedFolder } from '../../src/templates/packaged-folder.js';
import { STATE_NAMES, STATIC_PAGES } from '../../src/templates/states.js';
import { launchBrowser } from '../support/browser.js';

/** Where screenshots are kept; without it they go to a fresh temp folder removed afterwards. */
const KEEP_SHOTS = process.env['FORGETPW_SCREENSHOTS'];
const SITE_NAME = 'Example Consulting client area';
// Long, unbreakable values: what overflows at 320 px if anything does.
const VARS = {
  LOGIN: '/email-link',
  LOGOUT: '/logout',
  ACCOUNT: '/account',
  DOMAIN: 'projects.client-portal.example.org',
  SITE_NAME,
  SITE: 'projects.client-portal.example.org',
  FORWARD: 'https://projects.client-portal.example.org/reports/2026/quarterly-overview-final-v3.html',
  EMAIL: 'firstname.lastname-department@subsidiary.example.org',
  FROM: 'Example Consulting <robot@example.org>',
  EXPIRES_IN: '10 minutes',
  EXPIRES: '2026-12-01 12:34 UTC',
  LIMITS: 'You can ask for up to 5 links every 15 minutes.',
  RETRY_AFTER: '12 minutes',
  CODE: 'K7QM-4XPD',
  TRIES_LEFT: '4 more tries',
  KNOCK: 'x'.repeat(43),
  KNOCK_URL: `https://projects.client-portal.example.org/email-link?knock=${'x'.repeat(43)}`,
  URL: 'https://projects.client-portal.example.org/reports/',
  PRETTY_URL: 'projects.client-portal.example.org/reports/',
  PROBLEM: 'That app password does not exist.',
  LABEL: 'feed reader',
  SECRET: 'y'.repeat(43),
  CURL: `curl -u firstname.lastname-department@subsidiary.example.org:${'y'.repeat(43)} https://projects.client-portal.example.org/`,
  BEARER: `Authorization: Bearer ${'y'.repeat(43)}`,
  REVEAL: 'z'.repeat(43),
  REVEAL_URL: 'https://projects.client-portal.example.org/account?reveal=zzz',
  ACCOUNT_URL: 'https://projects.client-portal.example.org/account',
};
/** The same values as a German or French page gets them. */
const TRANSLATED_VARS = {
  de: {
    ...VARS,
    EXPIRES_IN: '10 Minuten',
    EXPIRES: '01.12.2026, 12:34 UTC',
    LIMITS: 'Sie können innerhalb von 15 Minuten bis zu 5 Links anfordern.',
    RETRY_AFTER: '12 Minuten',
    PROBLEM: 'Dieses App-Passwort gibt es nicht.',
  },
  fr: {
    ...VARS,
    EXPIRES_IN: '10 minutes',
    EXPIRES: '01/12/2026 12:34 UTC',
    LIMITS: 'Vous pouvez demander jusqu’à 5 liens par période de 15 minutes.',
    RETRY_AFTER: '12 minutes',
    PROBLEM: 'Ce mot de passe d’application n’existe pas.',
  },
} as const;
const SIZES = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 320, height: 640 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

/** WCAG 2.x relative luminance contrast of two `rgb(...)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string): number => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

describe('every packaged page in Chromium', () => {
  let browser: Browser;
  let pages: LoadedPages;
  let shots = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    pages = createPages({
      path: undefined,
      mapping: {},
      transform: undefined,
      base: undefined,
      log: pino({ level: 'silent' }),
    });
    if (KEEP_SHOTS === undefined || KEEP_SHOTS === '') {
      shots = await mkdtemp(path.join(tmpdir(), 'fp-pages-'));
      console.log(`screenshots: ${shots} (removed afterwards; FORGETPW_SCREENSHOTS=DIR keeps them)`);
    } else {
      shots = path.resolve(KEEP_SHOTS);
      await mkdir(shots, { recursive: true });
      console.log(`screenshots: ${shots}`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    if (shots !== '' && (KEEP_SHOTS === undefined || KEEP_SHOTS === ''))
      await rm(shots, { recursive: true, force: true });
  });

  const states = STATE_NAMES.filter((s) => s !== 'email' && s !== 'reveal_email');

  async function look(name: string, html: string, named: boolean): Promise<void> {
    for (const size of SIZES) {
      for (const scheme of SCHEMES) {
        const context = await browser.newContext({
          viewport: { width: size.width, height: size.height },
          colorScheme: scheme,
        });
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        await page.screenshot({
          path: path.join(shots, `${name}-${size.name}-${scheme}.png`),
          fullPage: true,
        });
        // A string, not a function: the tests are typechecked without the DOM library.
        const seen = await page.evaluate<{
          overflow: number;
          title: string;
          h1: string;
          border?: string;
          behind: string;
        }>(`(() => {
          const input = document.querySelector('input[type=email]');
          const main = document.querySelector('main') ?? document.body;
          return {
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            title: document.title,
            h1: document.querySelector('h1')?.textContent ?? '',
            border: input === null ? undefined : getComputedStyle(input).borderTopColor,
            behind: getComputedStyle(main).backgroundColor,
          };
        })()`);
        await context.close();
        const where = `${name} at ${size.name}, ${scheme}`;
        expect(seen.overflow, `${where}: wider than the screen`).toBeLessThanOrEqual(0);
        if (named) {
          expect(seen.title, where).toContain(SITE_NAME);
          expect(seen.h1, where).toContain(SITE_NAME);
        }
        if (seen.border !== undefined)
          expect(
            contrast(seen.border, seen.behind),
            `${where}: input border contrast`,
          ).toBeGreaterThanOrEqual(3);
      }
    }
  }

  it('shows every state readable, named and unclipped at desktop and 320 px, light and dark', async () => {
    for (const state of states) {
      const html = pages
        .page(state, VARS, { accept: 'text/html', documentRoot: undefined, base: undefined })
        .body.toString('utf8');
      await look(state, html, true);
    }
  }, 180_000);

  it.each(Object.entries(TRANSLATED_VARS))(
    'shows every state in %s readable, named and unclipped (the words are longer)',
    async (language, vars) => {
      for (const state of states) {
        const rendered = pages.page(state, vars, {
          accept: 'text/html',
          documentRoot: undefined,
          base: undefined,
          language,
        });
        expect(rendered.language, state).toBe(language);
        await look(`${language}-${state}`, rendered.body.toString('utf8'), true);
      }
    },
    120_000,
  );

  it.each(Object.entries(TRANSLATED_VARS))(
    'shows the %s link mails and logged-out pages unclipped',
    async (language, vars) => {
      for (const state of ['email', 'reveal_email'] as const) {
        const mail = pages.mail(vars, undefined, state, { language });
        expect(mail.language, state).toBe(language);
        await look(`${language}-${state}`, mail.html, false);
      }
      for (const file of STATIC_PAGES) {
        const packaged = await readFile(path.join(packagedFolder('static'), language, file), 'utf8');
        await look(`${language}-${file.replace('.xhtml', '')}`, nameStaticPage(packaged, SITE_NAME), true);
      }
    },
    60_000,
  );

  it('shows the link mails and the logged-out pages unclipped, the pages naming the site', async () => {
    for (const state of ['email', 'reveal_email'] as const)
      await look(state, pages.mail(VARS, undefined, state).html, false);
    for (const file of STATIC_PAGES) {
      // As `extract --static --site-name` writes them, or the HTTP listener serves them.
      const packaged = await readFile(path.join(packagedFolder('static'), file), 'utf8');
      await look(file.replace('.xhtml', ''), nameStaticPage(packaged, SITE_NAME), true);
    }
  }, 60_000);
});
