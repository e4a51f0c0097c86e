import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/flows/mailer.js';
import { createMailer } from '../../src/mail/create-mailer.js';

const message: MailMessage = {
  to: 'ann@example.org',
  subject: 'Your login link',
  text: 'Open https://site.example/knock?t=abc',
  html: '<p><a href="https://site.example/knock?t=abc">Log in</a></p>',
};
const log = pino({ level: 'silent' });

const servers: Server[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** A TCP listener that only counts connections: any attempt to talk SMTP shows up. */
async function connectionCounter(): Promise<{ port: number; count: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, count: () => connections };
}

function smtpMailer(port: number) {
  return createMailer(
    { from: 'gate@site.example', method: 'smtp', options: { host: '127.0.0.1', port, ignoreTLS: true } },
    { log },
  );
}

describe('createMailer refusing header-breaking input', () => {
  it.each([
    ['a CR LF and a Bcc header', 'ann@example.org\r\nBcc: eve@example.net'],
    ['a bare LF', 'ann@example.org\nX-Evil: 1'],
    ['a NUL', 'ann@example.org\u0000'],
    ['a comma', 'ann@example.org,eve@example.net'],
    ['a semicolon', 'ann@example.org;eve@example.net'],
    ['a display name', 'Ann <eve@example.net>'],
    ['no address at all', ''],
  ])('refuses a recipient with %s before connecting', async (_what, to) => {
    const server = await connectionCounter();
    await expect(smtpMailer(server.port).send({ ...message, to })).rejects.toMatchObject({
      code: 'ADDRESS_INVALID',
    });
    expect(server.count()).toBe(0);
  });

  it.each([
    ['a CR LF', 'Your link\r\nBcc: eve@example.net'],
    ['a bare CR', 'Your link\rX-Evil: 1'],
    ['a NUL', 'Your link\u0000'],
  ])('refuses a subject with %s before connecting', async (_what, subject) => {
    const server = await connectionCounter();
    await expect(smtpMailer(server.port).send({ ...message, subject })).rejects.toMatchObject({
      code: 'ADDRESS_INVALID',
    });
    expect(server.count()).toBe(0);
  });

  it('writes no file for a refused recipient', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'forgetpw-mail-'));
    folders.push(folder);
    const mailer = createMailer(
      { from: 'gate@site.example', method: 'file', options: { path: folder } },
      { log },
    );
    await expect(
      mailer.send({ ...message, to: 'ann@example.org\r\nBcc: eve@example.net' }),
    ).rejects.toMatchObject({
      code: 'ADDRESS_INVALID',
    });
    expect(await readdir(folder)).toEqual([]);
  });

  it('lets an internationalised address through', async () => {
    const server = await connectionCounter();
    // Reaching the transport (which then fails) proves validation passed.
    await expect(
      smtpMailer(server.port).send({ ...message, to: 'jürgen@bücher.example' }),
    ).rejects.toMatchObject({
      code: 'MAIL_FAILED',
    });
    expect(server.count()).toBe(1);
  });
});
