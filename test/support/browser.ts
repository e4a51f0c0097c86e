import { mkdtempSync, rmSync } from 'node:fs';
import { access } from 'node:fs/promises';
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
  // Chromium's own scratch files (`.org.chromium.Chromium.*`, shared memory when /dev/shm is
  // short) go to a folder of this browser, removed when it goes: one killed mid-write by
  // browser.close() after a long screenshot run would otherwise be left in the run's TMPDIR.
  const scratch = mkdtempSync(path.join(tmpdir(), 'fp-chromium-'));
  const browser = await chromium
    .launch({
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
    })
    .catch((error: unknown) => {
      rmSync(scratch, { recursive: true, force: true });
      throw error;
    });
  browser.on('disconnected', () => rmSync(scratch, { recursive: true, force: true }));
  return browser;
}
