/**
 * The gem README's `templates.transform` in Chromium (issue 12): the page names the
 * site's XSLT, the CSP lets the browser fetch it, and the site's stylesheet styles
 * the result. And a site template linking a same-site stylesheet gets it applied.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagedFolder } from '../../src/templates/packaged-folder.js';
import { http, startApache, type TestApache } from '../support/apache.js';
import { launchBrowser } from '../support/browser.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshSqlite } from '../support/databases.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { SITE_CSS, STYLE_LOCATION, TRANSFORM_XSL } from './site-style.js';
import { tempFolder } from '../support/temp-folder.js';
import { readFileSync } from 'node:fs';

const SITE = 'site.example';
/** Chromium's Accept header for a page. */
const ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const BANNER_COLOUR = "getComputedStyle(document.querySelector('#site-banner')).color";

async function serveStyle(apache: TestApache): Promise<void> {
  await mkdir(path.join(apache.docRoot, 'style'), { recursive: true });
  await writeFile(path.join(apache.docRoot, 'style', 'transform.xsl'), TRANSFORM_XSL);
  await writeFile(path.join(apache.docRoot, 'style', 'site.css'), SITE_CSS);
}

/** What a person reads on the login page, per row: the same stylesheet both ways must show the same. */
const shown = new Map<string, string>();

/** The stylesheet the daemon applies is a file it reads at start (here, outside the web root). */
function serverStylesheet(): string {
  const folder = tempFolder('fp-transform-');
  const file = path.join(folder, 'transform.xsl');
  writeFileSync(file, TRANSFORM_XSL);
  return file;
}

describe.each([
  ['applied by Chromium', () => ({ transform: '/style/transform.xsl' })],
  ['applied by the daemon', () => ({ transform: serverStylesheet(), transform_on: 'server' })],
] as const)('templates.transform %s', (how, templates) => {
  let db: ReturnType<typeof freshSqlite>;
  let sink: SmtpSink;
  let gate: TestDaemon;
  let apache: TestApache;
  let browser: Browser;

  beforeAll(async () => {
    db = freshSqlite();
    sink = await startSmtpSink();
    gate = await startTestDaemon({ dsn: db.dsn, smtpPort: sink.port, settings: { templates: templates() } });
    await gate.daemon.store.acl.put([{ domain: SITE, address: 'example.org', allow: true }], Date.now());
    apache = await startApache({ fcgiPort: gate.port, insideSite: STYLE_LOCATION });
    await serveStyle(apache);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await apache?.stop();
    await gate?.close();
    await sink?.close();
    db?.cleanup();
  });

  it('shows the login form inside the site layout, styled by the site stylesheet', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      // Resources the policy blocked. (Chromium's own XSLT deprecation banner has an inline
      // handler the policy blocks too; that is the browser's, not the site's.)
      if (/Refused to (load|apply|execute)/i.test(m.text())) violations.push(m.text());
    });
    const answer = await page.goto(apache.url('/page.html', SITE));
    expect(answer?.status()).toBe(401);
    const banner = page.locator('#site-banner');
    expect(await banner.textContent({ timeout: 5000 })).toBe('Example Site');
    expect(await page.evaluate(BANNER_COLOUR)).toBe('rgb(1, 2, 3)');
    expect(await page.locator('form input[name="email"]').count()).toBe(1);
    expect(await page.locator('form').getAttribute('action')).toBe('/email-link');
    expect(violations, violations.join('\n')).toEqual([]);
    // The site's banner and the page's content (Chromium's own XSLT banner is not the page's).
    const text = [await page.title(), await banner.innerText(), await page.locator('main').innerText()];
    shown.set(how, text.join('\n'));
    await context.close();
  });

  if (how === 'applied by the daemon') {
    it("shows the same text as the browser's transform, served as text/html without the instruction", async () => {
      const answer = await http(apache.url('/page.html', SITE), { headers: { accept: ACCEPT } });
      expect(answer.status).toBe(401);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.body).not.toContain('<?xml-stylesheet');
      expect(answer.body).toMatch(/^<!DOCTYPE html>/);
      // No XSLT is fetched by the browser, so the policy allows none.
      expect(answer.headers['content-security-policy']).not.toContain('script-src');
      const client = shown.get('applied by Chromium');
      expect(client, 'the client-side row runs first').toBeDefined();
      expect(shown.get(how)).toBe(client);
    });
  }
});

describe('a site template with a same-site stylesheet', () => {
  let db: ReturnType<typeof freshSqlite>;
  let sink: SmtpSink;
  let gate: TestDaemon;
  let apache: TestApache;
  let browser: Browser;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'fp-site-templates-'));
    const own = readFileSync(path.join(packagedFolder('templates'), 'basic-401.xhtml'), 'utf8')
      .replace('</head>', '<link rel="stylesheet" href="/style/site.css"/></head>')
      .replace('<main>', '<main><div id="site-banner">Example Site</div>');
    await writeFile(path.join(folder, 'basic-401.xhtml'), own);
    db = freshSqlite();
    sink = await startSmtpSink();
    gate = await startTestDaemon({
      dsn: db.dsn,
      smtpPort: sink.port,
      settings: { templates: { path: folder } },
    });
    await gate.daemon.store.acl.put([{ domain: SITE, address: 'example.org', allow: true }], Date.now());
    apache = await startApache({ fcgiPort: gate.port, insideSite: STYLE_LOCATION });
    await serveStyle(apache);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await apache?.stop();
    await gate?.close();
    await sink?.close();
    db?.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  it('applies it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    expect((await page.goto(apache.url('/page.html', SITE)))?.status()).toBe(401);
    const banner = page.locator('#site-banner');
    await expect.poll(() => page.evaluate(BANNER_COLOUR)).toBe('rgb(1, 2, 3)');
    expect(await banner.textContent()).toBe('Example Site');
    await context.close();
  });
});
