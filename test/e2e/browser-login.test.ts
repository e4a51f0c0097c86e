import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApache, type TestApache } from '../support/apache.js';
import { launchBrowser } from '../support/browser.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshSqlite } from '../support/databases.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const SITE = 'site.example';
const ALICE = 'alice@example.org';
/** Where screenshots are kept; without it they go to a fresh temp folder removed afterwards. */
const KEEP_SHOTS = process.env['FORGETPW_SCREENSHOTS'];
let SHOTS = '';

function linkIn(html: string): string {
  const href = /href="([^"]*knock=[^"]*)"/.exec(html)?.[1];
  if (href === undefined) throw new Error('no link in the mail');
  return href.replace(/&amp;/g, '&');
}

describe('logging in with a browser', () => {
  let db: ReturnType<typeof freshSqlite>;
  let sink: SmtpSink;
  let gate: TestDaemon;
  let apache: TestApache;
  let browser: Browser;

  beforeAll(async () => {
    db = freshSqlite();
    sink = await startSmtpSink();
    gate = await startTestDaemon({ dsn: db.dsn, smtpPort: sink.port });
    await gate.daemon.store.acl.put(
      [SITE, '127.0.0.1'].map((domain) => ({ domain, address: 'example.org', allow: true })),
      Date.now(),
    );
    apache = await startApache({ fcgiPort: gate.port });
    browser = await launchBrowser();
    if (KEEP_SHOTS === undefined || KEEP_SHOTS === '') {
      SHOTS = await mkdtemp(path.join(tmpdir(), 'fp-shots-'));
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

  it('fills the form, follows the mailed link and lands on the protected page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const target = apache.url('/page.html', SITE);
    const first = await page.goto(target);
    expect(first?.status()).toBe(401);
    await expect(page.title()).resolves.toMatch(/^Log In · /);
    await page.screenshot({ path: `${SHOTS}/01-form.png` });

    await page.fill('input[name="email"]', ALICE);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"], input[type="submit"]')]);
    await expect(page.title()).resolves.toMatch(/^Check Your E-Mail · /);
    expect(await page.textContent('body')).toContain(ALICE);
    await page.screenshot({ path: `${SHOTS}/02-sent.png` });

    const mail = await sink.next(ALICE);
    expect(mail.subject).toContain(SITE);
    await page.goto(linkIn(mail.html));
    expect(page.url()).toBe(target);
    expect(await page.textContent('body')).toContain('page');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'forgetpw');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    await context.close();
  });

  it('types the mailed code on the sent page, which a reload does not send again, and lands on the page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const target = apache.url('/page x.html', SITE);
    await page.goto(target);
    const before = sink.messages.length;
    await page.fill('input[name="email"]', 'cody@example.org');
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/email-link?sent=1');
    await page.reload();
    await expect(page.title()).resolves.toMatch(/^Check Your E-Mail · /);
    await page.screenshot({ path: `${SHOTS}/02b-sent-with-code.png` });
    const mail = await sink.next('cody@example.org');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.messages.length - before).toBe(1);
    const code = /(?<![A-Za-z0-9_-])[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}(?![A-Za-z0-9_-])/.exec(
      mail.text,
    )![0];
    await page.fill('input[name="code"]', code.toLowerCase().replace('-', ' '));
    await Promise.all([page.waitForNavigation(), page.click('form:has(input[name="code"]) button')]);
    expect(page.url()).toBe(target.replace(' ', '%20'));
    expect(await page.textContent('body')).toContain('page x');
    await context.close();
  });

  it('shows no protected page from the cache after logout, by Back or by opening it again', async () => {
    // 127.0.0.1 is a secure context even over http, where browsers obey Clear-Site-Data.
    const context = await browser.newContext();
    const page = await context.newPage();
    const target = apache.url('/page.html', '127.0.0.1');
    await page.goto(target);
    await page.fill('input[name="email"]', ALICE);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    await page.goto(linkIn((await sink.next(ALICE)).html));
    expect(page.url()).toBe(target);
    const content = await page.textContent('body');
    // Log out as a page's logout button does: a form POST from the site.
    await Promise.all([
      page.waitForNavigation(),
      page.evaluate(`(() => { const f = document.createElement('form'); f.method = 'post';
        f.action = '/logout'; document.body.append(f); f.submit(); })()`),
    ]);
    expect(await page.textContent('body')).toContain('You Are Logged Out');
    await page.goBack();
    expect(page.url()).toBe(target);
    expect(await page.textContent('body')).not.toBe(content);
    await expect(page.title()).resolves.toMatch(/^Log In · /);
    await page.screenshot({ path: `${SHOTS}/04-back-after-logout.png` });
    const again = await page.goto(target);
    expect(again?.status()).toBe(401);
    await context.close();
  });

  it('asks a browser that did not request the link to confirm, and logs it in on the button', async () => {
    const asking = await browser.newContext();
    const askPage = await asking.newPage();
    const target = apache.url('/index.html', SITE);
    await askPage.goto(target);
    await askPage.fill('input[name="email"]', ALICE);
    await Promise.all([
      askPage.waitForNavigation(),
      askPage.click('button[type="submit"], input[type="submit"]'),
    ]);
    const mail = await sink.next(ALICE);

    const other = await browser.newContext();
    const page = await other.newPage();
    const opened = await page.goto(linkIn(mail.html));
    expect(opened?.status()).toBe(401);
    await page.screenshot({ path: `${SHOTS}/03-confirm.png` });
    await Promise.all([page.waitForNavigation(), page.click('form button, form input[type="submit"]')]);
    expect(page.url()).toBe(target);
    expect(await page.textContent('body')).toContain('index');
    await asking.close();
    await other.close();
  });
});
