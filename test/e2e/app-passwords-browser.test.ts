import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startApache, type TestApache } from '../support/apache.js';
import { launchBrowser } from '../support/browser.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshSqlite } from '../support/databases.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const SITE = 'site.example';
const ANN = 'ann@example.org';
const SHOTS = '/tmp/forgetpw-screenshots/app-passwords';

function linkIn(html: string, key: string): string {
  const href = new RegExp(`href="([^"]*[?&]${key}=[^"]*)"`).exec(html)?.[1];
  if (href === undefined) throw new Error(`no ${key} link in the mail`);
  return href.replace(/&amp;/g, '&');
}

/** A clock the test moves, so the expired page is seen without waiting a day. */
class Clock {
  offset = 0;
  now = (): number => Date.now() + this.offset;
}

describe('app passwords in a browser, through Apache', () => {
  let db: ReturnType<typeof freshSqlite>;
  let sink: SmtpSink;
  let gate: TestDaemon;
  let apache: TestApache;
  let browser: Browser;
  const clock = new Clock();

  beforeAll(async () => {
    db = freshSqlite();
    sink = await startSmtpSink();
    gate = await startTestDaemon({ dsn: db.dsn, smtpPort: sink.port, clock });
    await gate.daemon.store.acl.put([{ domain: SITE, address: ANN, allow: true }], Date.now());
    apache = await startApache({ fcgiPort: gate.port });
    browser = await launchBrowser();
    await mkdir(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await apache?.stop();
    await gate?.close();
    await sink?.close();
    db?.cleanup();
  });

  it('logs in, creates a password, reveals it once from the mail and uses it with curl-style Basic', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const account = apache.url('/account', SITE);

    const login = await page.goto(account);
    expect(login?.status()).toBe(401);
    await page.fill('input[name="email"]', ANN);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    await expect(page.title()).resolves.toMatch(/^Check Your E-Mail · /);
    await page.goto(linkIn((await sink.next(ANN)).html, 'knock'));
    expect(page.url()).toBe(account);
    await expect(page.title()).resolves.toBe('Your Account · site.example');
    expect(await page.textContent('main')).toContain('this browser');
    await page.screenshot({ path: `${SHOTS}/01-account.png`, fullPage: true });

    await page.fill('input[name="label"]', 'feed reader');
    await page.selectOption('select[name="lifetime"]', 'P90D');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Create it")')]);
    await expect(page.title()).resolves.toMatch(/^Check Your E-Mail for the Link · /);
    await page.screenshot({ path: `${SHOTS}/02-sent.png`, fullPage: true });

    const mail = await sink.next(ANN);
    expect(mail.subject).toBe(`Your New App Password for ${SITE}`);
    const reveal = linkIn(mail.html, 'reveal');
    expect(mail.text).toContain('/account?reveal=');

    // Another browser (the phone that reads the mail): a button first, nothing spent.
    const phone = await browser.newContext();
    const mobile = await phone.newPage();
    const confirm = await mobile.goto(reveal);
    expect(confirm?.status()).toBe(200);
    await expect(mobile.title()).resolves.toBe('Show Your New App Password · site.example');
    expect(await mobile.locator('pre').count()).toBe(0);
    await mobile.screenshot({ path: `${SHOTS}/03-reveal-confirm.png`, fullPage: true });
    await Promise.all([mobile.waitForNavigation(), mobile.click('button[type="submit"]')]);
    await expect(mobile.title()).resolves.toBe('Your New App Password · site.example');
    const secret = (await mobile.textContent('pre.secret code'))!.trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await mobile.textContent('main')).toContain(`curl -u ${ANN}:${secret}`);
    expect(await mobile.textContent('main')).toContain('will not be shown again');
    await mobile.screenshot({ path: `${SHOTS}/04-revealed.png`, fullPage: true });

    const basic = `Basic ${Buffer.from(`${ANN}:${secret}`).toString('base64')}`;
    const used = await http(apache.url('/cgi/whoami.cgi', SITE), { headers: { authorization: basic } });
    expect(used.status).toBe(200);
    expect(used.body).toContain(`REMOTE_USER=${ANN}`);
    const bearer = await http(apache.url('/page.html', SITE), {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(bearer.status).toBe(200);
    const wrong = await http(apache.url('/page.html', SITE), {
      headers: { authorization: `Basic ${Buffer.from(`${ANN}:${'x'.repeat(43)}`).toString('base64')}` },
    });
    expect(wrong.status).toBe(401);

    const again = await mobile.goto(reveal);
    expect(again?.status()).toBe(410);
    await expect(mobile.title()).resolves.toBe('This Link Was Already Used · site.example');
    expect(await mobile.textContent('body')).not.toContain(secret);
    await mobile.screenshot({ path: `${SHOTS}/05-used.png`, fullPage: true });

    await page.goto(account);
    const row = page.locator('tr', { hasText: 'feed reader' });
    expect(await row.textContent()).toContain('active');
    expect(await row.textContent()).not.toContain('never');

    // Revoked on the page: Apache lets it in no more.
    await Promise.all([page.waitForNavigation(), row.locator('button').click()]);
    expect(await page.locator('tr', { hasText: 'feed reader' }).count()).toBe(0);
    const revoked = await http(apache.url('/cgi/whoami.cgi', SITE), { headers: { authorization: basic } });
    expect(revoked.status).toBe(401);
    await phone.close();
    await context.close();
  });

  it('says a reveal link past its expiry has expired and how to get a new one', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const account = apache.url('/account', SITE);
    await page.goto(account);
    await page.fill('input[name="email"]', ANN);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    await page.goto(linkIn((await sink.next(ANN)).html, 'knock'));
    await page.fill('input[name="label"]', 'too late');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Create it")')]);
    const reveal = linkIn((await sink.next(ANN)).html, 'reveal');

    clock.offset += 86_400_000 + 1000;
    const expired = await page.goto(reveal);
    expect(expired?.status()).toBe(410);
    await expect(page.title()).resolves.toMatch(/^This Link Has Expired · /);
    expect(await page.getAttribute('main a', 'href')).toBe('/account');
    await page.screenshot({ path: `${SHOTS}/06-expired.png`, fullPage: true });
    await context.close();
  });
});
