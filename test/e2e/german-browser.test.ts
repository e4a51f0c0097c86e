import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApache, type TestApache } from '../support/apache.js';
import { launchBrowser } from '../support/browser.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshSqlite } from '../support/databases.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { CODE } from '../flows/harness.js';

const SITE = 'site.example';
const ANNA = 'anna@example.org';
/** Where screenshots are kept; without it they go to a fresh temp folder removed afterwards. */
const KEEP_SHOTS = process.env['FORGETPW_SCREENSHOTS'];
let SHOTS = '';

function linkIn(html: string): string {
  const href = /href="([^"]*knock=[^"]*)"/.exec(html)?.[1];
  if (href === undefined) throw new Error('no link in the mail');
  return href.replace(/&amp;/g, '&');
}

/** The page's language as the browser sees it, and the header it came with. */
async function languageOf(context: BrowserContext, url: string): Promise<string | null> {
  const page = context.pages()[0]!;
  expect(page.url()).toBe(url);
  return page.evaluate<string | null>('document.documentElement.getAttribute("lang")');
}

describe('logging in with a German browser', () => {
  let db: ReturnType<typeof freshSqlite>;
  let sink: SmtpSink;
  let gate: TestDaemon;
  let apache: TestApache;
  let browser: Browser;

  beforeAll(async () => {
    db = freshSqlite();
    sink = await startSmtpSink();
    gate = await startTestDaemon({
      dsn: db.dsn,
      smtpPort: sink.port,
      settings: { site_name: 'Projektablage' },
    });
    await gate.daemon.store.acl.put([{ domain: SITE, address: 'example.org', allow: true }], Date.now());
    apache = await startApache({ fcgiPort: gate.port });
    browser = await launchBrowser();
    if (KEEP_SHOTS === undefined || KEEP_SHOTS === '') {
      SHOTS = await mkdtemp(path.join(tmpdir(), 'fp-shots-de-'));
      console.log(`screenshots: ${SHOTS} (removed afterwards; FORGETPW_SCREENSHOTS=DIR keeps them)`);
    } else {
      SHOTS = path.resolve(KEEP_SHOTS);
      await mkdir(SHOTS, { recursive: true });
      console.log(`screenshots: ${SHOTS}`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await apache?.stop();
    await gate?.close();
    await sink?.close();
    db?.cleanup();
    if (SHOTS !== '' && (KEEP_SHOTS === undefined || KEEP_SHOTS === ''))
      await rm(SHOTS, { recursive: true, force: true });
  });

  it('reads every page and the mail in German, from the form to the logged-out page', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const target = apache.url('/page.html', SITE);

    const first = await page.goto(target);
    expect(first?.status()).toBe(401);
    expect(first?.headers()['content-language']).toBe('de');
    await expect(page.title()).resolves.toBe('Anmelden · Projektablage');
    expect(await languageOf(context, target)).toBe('de');
    expect(await page.textContent('label[for="email"]')).toBe('Ihre E-Mail-Adresse');
    await page.screenshot({ path: `${SHOTS}/de-01-anmelden.png`, fullPage: true });

    await page.fill('input[name="email"]', ANNA);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    await expect(page.title()).resolves.toBe('Prüfen Sie Ihre E-Mails · Projektablage');
    const sent = await page.textContent('main');
    expect(sent).toContain(ANNA);
    expect(sent).toMatch(/Beide sind 10 Minuten lang gültig \(bis \d\d\.\d\d\.\d{4}, \d\d:\d\d UTC\)/);
    expect(await page.textContent('label[for="code"]')).toBe(
      'E-Mail auf einem anderen Gerät geöffnet? Geben Sie hier den Code ein',
    );
    expect(await page.textContent('summary')).toBe('Falsche Adresse?');
    expect(sent).toContain('Sie können innerhalb von 15 Minuten bis zu 5 Links anfordern.');
    await page.screenshot({ path: `${SHOTS}/de-02-email-gesendet.png`, fullPage: true });

    const mail = await sink.next(ANNA);
    expect(mail.subject).toBe('Anmelden bei Projektablage');
    expect(mail.text).toMatch(
      /Dieser Link und der Code unten sind 10 Minuten lang gültig \(bis \d\d\.\d\d\.\d{4}, \d\d:\d\d UTC\)/,
    );
    const shown = await context.newPage();
    await shown.setContent(mail.html, { waitUntil: 'load' });
    await shown.screenshot({ path: `${SHOTS}/de-03-mail.png`, fullPage: true });
    await shown.close();

    await page.goto(linkIn(mail.html));
    expect(page.url()).toBe(target);
    expect(await page.textContent('body')).toContain('page');
    await page.screenshot({ path: `${SHOTS}/de-04-geschuetzte-seite.png`, fullPage: true });

    await Promise.all([
      page.waitForNavigation(),
      page.evaluate(`(() => { const f = document.createElement('form'); f.method = 'post';
        f.action = '/logout'; document.body.append(f); f.submit(); })()`),
    ]);
    expect(page.url()).toBe(apache.url('/logged-out', SITE));
    await expect(page.title()).resolves.toBe('Sie sind abgemeldet');
    expect(await page.evaluate<string | null>('document.documentElement.getAttribute("lang")')).toBe('de');
    await page.screenshot({ path: `${SHOTS}/de-05-abgemeldet.png`, fullPage: true });
    await context.close();
  });

  it('asks a second German browser to confirm, in German, and logs it in', async () => {
    const asking = await browser.newContext({ locale: 'de-DE' });
    const askPage = await asking.newPage();
    const target = apache.url('/index.html', SITE);
    await askPage.goto(target);
    await askPage.fill('input[name="email"]', ANNA);
    await Promise.all([askPage.waitForNavigation(), askPage.click('button[type="submit"]')]);
    const mail = await sink.next(ANNA);

    const other = await browser.newContext({ locale: 'de-AT' });
    const page = await other.newPage();
    const opened = await page.goto(linkIn(mail.html));
    expect(opened?.status()).toBe(401);
    await expect(page.title()).resolves.toBe('Anmeldung bestätigen · Projektablage');
    expect(await page.textContent('form button')).toBe('Bei Projektablage anmelden');
    await page.screenshot({ path: `${SHOTS}/de-06-bestaetigen.png`, fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('form button')]);
    expect(page.url()).toBe(target);
    expect(await page.textContent('body')).toContain('index');

    // The spent link in a third browser: the expired page, in German, with its form.
    const third = await browser.newContext({ locale: 'de-DE' });
    const again = await third.newPage();
    const spent = await again.goto(linkIn(mail.html));
    expect(spent?.status()).toBe(401);
    await expect(again.title()).resolves.toBe('Der Link ist abgelaufen · Projektablage');
    expect(await again.textContent('button[type="submit"]')).toBe('Neuen Link zuschicken');
    await again.screenshot({ path: `${SHOTS}/de-07-abgelaufen.png`, fullPage: true });
    await asking.close();
    await other.close();
    await third.close();
  });

  it('logs in with the mailed code, in German, after a wrong one', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const target = apache.url('/page.html', SITE);
    await page.goto(target);
    await page.fill('input[name="email"]', ANNA);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    const code = CODE.exec((await sink.next(ANNA)).text)?.[0];
    expect(code).toBeDefined();

    await page.fill('input[name="code"]', 'AAAA-AAAA');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Mit dem Code anmelden")')]);
    await expect(page.title()).resolves.toBe('Dieser Code stimmt nicht · Projektablage');
    expect(await page.textContent('p.error')).toContain('Sie haben noch 4 Versuche');
    await page.screenshot({ path: `${SHOTS}/de-08-falscher-code.png`, fullPage: true });

    await page.fill('input[name="code"]', code!.toLowerCase());
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Mit dem Code anmelden")')]);
    expect(page.url()).toBe(target);
    expect(await page.textContent('body')).toContain('page');
    await context.close();
  });

  it('answers an English browser in English beside it', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const res = await page.goto(apache.url('/page.html', SITE));
    expect(res?.headers()['content-language']).toBe('en');
    await expect(page.title()).resolves.toBe('Log In · Projektablage');
    await context.close();
  });
});
