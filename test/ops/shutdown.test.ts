import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { gateClient } from '../support/gate-client.js';
import { spawnCli, type CliProcess } from './cli-process.js';
import { makeDaemonFolder, type DaemonFolder } from './daemon-folder.js';

const SITE = 'site.example';

/** An SMTP server that takes a message and holds its answer until `release()`. */
async function startHoldingSmtp(): Promise<{
  port: number;
  /** Resolves when a message's data has arrived (the sender now waits for the answer). */
  received: Promise<void>;
  release(): void;
  close(): Promise<void>;
}> {
  let arrived = (): void => undefined;
  const received = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        arrived();
        void held.then(() => callback());
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    release,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('SIGTERM', () => {
  let folder: DaemonFolder | undefined;
  let daemon: CliProcess | undefined;

  afterEach(async () => {
    await daemon?.kill();
    await folder?.cleanup();
    daemon = undefined;
    folder = undefined;
  });

  it('finishes the request in flight, removes the pid file and exits 0', async () => {
    const smtp = await startHoldingSmtp();
    try {
      folder = await makeDaemonFolder({
        settings: {
          email: {
            method: 'smtp',
            options: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true },
          },
        },
        acl: [{ domain: SITE, address: 'example.org', allow: true }],
      });
      daemon = spawnCli(['-c', folder.config, 'fcgi'], folder.dir);
      await daemon.logged('listening');
      expect((await readFile(folder.pidFile, 'utf8')).trim()).toBe(String(daemon.pid));

      const answer = gateClient(folder.port).post(
        '/email-link',
        { email: 'alice@example.org', forward: `http://${SITE}/page.html` },
        { host: SITE, origin: `http://${SITE}` },
      );
      await smtp.received;
      daemon.signal('SIGTERM');
      await daemon.logged('stopping');
      smtp.release();

      const sent = await answer;
      expect(sent.status).toBe(303);
      expect(sent.header('Location')).toBe(`http://${SITE}/email-link?sent=1`);
      expect((await daemon.exited).code).toBe(0);
      expect(existsSync(folder.pidFile)).toBe(false);
      await daemon.logged('stopped');
    } finally {
      smtp.release();
      await smtp.close();
    }
  });

  it('stops the same way on SIGINT (Ctrl-C)', async () => {
    folder = await makeDaemonFolder();
    daemon = spawnCli(['-c', folder.config, 'fcgi'], folder.dir);
    await daemon.logged('listening');
    daemon.signal('SIGINT');
    expect((await daemon.exited).code).toBe(0);
    expect(existsSync(folder.pidFile)).toBe(false);
  });
});
