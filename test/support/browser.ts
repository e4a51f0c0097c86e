import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium driven by playwright-core (never `npx playwright install`: nothing outside
 * is reachable). site.example and its subdomains resolve to 127.0.0.1, so a test can open
 * http://site.example:PORT/ on the hermetic Apache with the host name a real site would have.
 */
export async function launchBrowser(): Promise<Browser> {
  try {
    await access(CHROMIUM);
  } catch {
    throw new Error(`${CHROMIUM} not found; install it: apt-get install -y chromium`);
  }
  // Chromium leaves `.org.chromium.Chromium.*` folders in TMPDIR when a helper process outlives
  // the browser: each launch gets a folder of its own, removed when the browser is closed.
  const scratch = await mkdtemp(path.join(tmpdir(), 'fp-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, TMPDIR: scratch },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP site.example 127.0.0.1, MAP *.site.example 127.0.0.1',
    ],
  });
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    try {
      await close(options);
    } finally {
      await rm(scratch, { recursive: true, force: true, maxRetries: 5 });
    }
  };
  return browser;
}
