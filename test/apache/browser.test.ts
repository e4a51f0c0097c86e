import { describe, expect, it, onTestFinished } from 'vitest';
import { startApache } from '../support/apache.js';
import { launchBrowser } from '../support/browser.js';
import { fakeFastcgi } from './fake-fastcgi.js';

const PAGE = `<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Log in</title></head><body><p>Who are you?</p></body></html>`;

describe('launchBrowser', () => {
  it('opens site.example on the hermetic Apache and renders its XHTML', async () => {
    const fake = await fakeFastcgi(
      () => `Status: 401\r\nVariable-FCGI_CONTENT_TYPE: application/xhtml+xml; charset=utf-8\r\n\r\n${PAGE}`,
    );
    onTestFinished(() => fake.close());
    const apache = await startApache({ fcgiPort: fake.port });
    onTestFinished(() => apache.stop());
    const browser = await launchBrowser();
    onTestFinished(() => browser.close());
    const page = await browser.newPage();

    const response = await page.goto(apache.url('/page.html', 'site.example'));

    expect(response?.status()).toBe(401);
    expect(await page.title()).toBe('Log in');
    expect(await page.textContent('p')).toBe('Who are you?');
    expect(fake.calls[0]?.params.get('HTTP_HOST')).toBe(`site.example:${String(apache.port)}`);
  });
});
