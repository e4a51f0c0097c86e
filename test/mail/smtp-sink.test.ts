import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailMessage, Mailer } from '../../src/flows/mailer.js';
import { createMailer } from '../../src/mail/create-mailer.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const message = (to: string): MailMessage => ({
  to,
  subject: `For ${to}`,
  text: 'text',
  html: '<p>html</p>',
});

const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close();
});

async function sink(options?: Parameters<typeof startSmtpSink>[0]): Promise<SmtpSink> {
  const started = await startSmtpSink(options);
  sinks.push(started);
  return started;
}

function mailer(port: number): Mailer {
  return createMailer(
    { from: 'gate@site.example', method: 'smtp', options: { host: '127.0.0.1', port, ignoreTLS: true } },
    { log: pino({ level: 'silent' }) },
  );
}

describe('startSmtpSink', () => {
  it('returns the next message for the given recipient, skipping others', async () => {
    const server = await sink();
    await mailer(server.port).send(message('one@example.org'));
    await mailer(server.port).send(message('two@example.org'));
    expect((await server.next('two@example.org')).subject).toBe('For two@example.org');
    expect((await server.next()).subject).toBe('For one@example.org');
  });

  it('waits for a message that has not arrived yet', async () => {
    const server = await sink();
    const waiting = server.next('late@example.org');
    await mailer(server.port).send(message('late@example.org'));
    expect((await waiting).to).toEqual(['late@example.org']);
  });

  it('rejects next() when nothing arrives in time', async () => {
    const server = await sink();
    await expect(server.next('nobody@example.org', 50)).rejects.toThrow(
      'no mail to nobody@example.org within 50 ms',
    );
  });

  it('rejects only the next message after failNext', async () => {
    const server = await sink();
    server.failNext(451);
    await expect(mailer(server.port).send(message('one@example.org'))).rejects.toThrow(/451/);
    await mailer(server.port).send(message('two@example.org'));
    expect(server.messages.map((received) => received.to)).toEqual([['two@example.org']]);
  });

  it('rejects every message with failWith', async () => {
    const server = await sink({ failWith: 550 });
    await expect(mailer(server.port).send(message('one@example.org'))).rejects.toThrow(/550/);
    await expect(mailer(server.port).send(message('two@example.org'))).rejects.toThrow(/550/);
    expect(server.messages).toEqual([]);
  });

  it('refuses mail without AUTH when credentials are required', async () => {
    const server = await sink({ auth: { user: 'gate', pass: 'secret' } });
    await expect(mailer(server.port).send(message('one@example.org'))).rejects.toMatchObject({
      code: 'MAIL_FAILED',
    });
    expect(server.messages).toEqual([]);
  });
});
