import type { RequestListener } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { freshSqlite } from '../support/databases.js';
import type { startSmtpSink } from '../support/smtp-sink.js';
import { serverPresent, startProxyStack, type ProxyStack } from './proxy-stack.js';

const ALICE = 'alice@example.org';

function linkIn(html: string): string {
  const href = /href="([^"]*knock=[^"]*)"/.exec(html)?.[1];
  if (href === undefined) throw new Error('no link in the mail');
  return href.replace(/&amp;/g, '&');
}

/** The app behind nginx and Caddy: a page that names the user, different on every load. */
function secretPage(): RequestListener {
  let served = 0;
  return (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<p>secret page for ${String(req.headers['remote-user'] ?? '')}, load ${++served}</p>\n`);
  };
}

// One Chromium for the file: each launch leaves a profile folder until its process is gone.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

// Issue 15, item 1, behind the forward-auth examples as shipped (the Apache case is in
// test/e2e/browser-login.test.ts): Back after logout must not show the protected page.
describe.each(['nginx', 'caddy', 'lighttpd'] as const)('logging out in Chromium behind %s', (kind) => {
  // With CI=true a missing server fails this suite rather than skipping it (.ci/run installs it).
  const present = serverPresent(kind);
  const maybe = present ? it : it.skip;
  const db = freshSqlite();
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let stack: ProxyStack | undefined;
  let port: number;

  beforeAll(async () => {
    if (!present) return;
    stack = await startProxyStack({
      kind,
      dsn: db.dsn,
      sites: ['127.0.0.1'],
      address: ALICE,
      page: '<p>secret page</p>\n',
      app: secretPage(),
    });
    ({ sink, port } = stack);
  }, 30_000);

  afterAll(async () => {
    await stack?.close();
    db.cleanup();
  });

  maybe('shows no protected page from the cache after logout, by Back or by opening it again', async () => {
    // 127.0.0.1 is a secure context even over http, where browsers obey Clear-Site-Data.
    const context = await browser.newContext();
    const page = await context.newPage();
    const target = `http://127.0.0.1:${port}${kind === 'lighttpd' ? '/page.html' : '/page'}`;
    const first = await page.goto(target);
    expect(first?.status()).toBe(401);
    await expect(page.title()).resolves.toMatch(/^Log In · /);
    await page.fill('input[name="email"]', ALICE);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    await expect(page.title()).resolves.toMatch(/^Check Your E-Mail · /);
    await page.goto(linkIn((await sink.next(ALICE)).html));
    expect(page.url()).toBe(target);
    const content = (await page.textContent('body')) ?? '';
    expect(content).toContain('secret page');
    // Log out as a page's logout button does: a form POST from the site.
    await Promise.all([
      page.waitForNavigation(),
      page.evaluate(`(() => { const f = document.createElement('form'); f.method = 'post';
        f.action = '/logout'; document.body.append(f); f.submit(); })()`),
    ]);
    expect(await page.textContent('body')).toContain('You Are Logged Out');
    await page.goBack();
    expect(page.url()).toBe(target);
    expect(await page.textContent('body')).not.toContain('secret page');
    await expect(page.title()).resolves.toMatch(/^Log In · /);
    const again = await page.goto(target);
    expect(again?.status()).toBe(401);
    await context.close();
  });
});
