import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runApache } from '../../src/apache/run-apache.js';
import { freePort } from '../support/free-port.js';

async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'forgetpw-run-'));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  return root;
}

const minimal = (root: string, port: number): string =>
  [
    `ServerRoot "${root}"`,
    `DefaultRuntimeDir "${root}/run"`,
    `PidFile "${root}/run/httpd.pid"`,
    `ErrorLog "${root}/logs/error.log"`,
    `Listen 127.0.0.1:${String(port)}`,
    'ServerName 127.0.0.1',
    'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so',
  ].join('\n');

describe('runApache', () => {
  it("fails with apache2's own words when the config is wrong", async () => {
    const root = await tempRoot();
    const httpPort = await freePort();

    const run = runApache({ root, config: `${minimal(root, httpPort)}\nNoSuchDirective on`, httpPort });

    await expect(run).rejects.toThrow(/Invalid command 'NoSuchDirective'/);
  });

  it('fails instead of reporting ready when another server holds the port', async () => {
    const root = await tempRoot();
    const other = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => other.close(() => resolve())));
    const address = other.address();
    const httpPort = typeof address === 'object' && address !== null ? address.port : 0;

    const run = runApache({ root, config: minimal(root, httpPort), httpPort });

    await expect(run).rejects.toThrow(/Address already in use/);
  });
});
