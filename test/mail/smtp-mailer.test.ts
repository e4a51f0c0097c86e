import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import type { MailMessage, Mailer } from '../../src/flows/mailer.js';
import { createMailer } from '../../src/mail/create-mailer.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const PASSWORD = 'hunter2-sm7p-pa55';
const TOKEN = 'Zq8d1Xk2LinkSecret';
const message: MailMessage = {
  to: 'ann@example.org',
  subject: 'Ihr Anmeldelink für Zürich ✓',
  text: `Open https://site.example/knock?t=${TOKEN} before 10:15 UTC.`,
  html: `<p><a href="https://site.example/knock?t=${TOKEN}">Log in</a> before 10:15 UTC.</p>`,
};

const open: Array<SmtpSink | Mailer> = [];
afterEach(async () => {
  for (const thing of open.splice(0)) {
    if ('port' in thing) await thing.close();
    else thing.close();
  }
});

async function sink(options?: Parameters<typeof startSmtpSink>[0]): Promise<SmtpSink> {
  const started = await startSmtpSink(options);
  open.push(started);
  return started;
}

function smtp(port: number, extra: Record<string, unknown> = {}): Mailer {
  const mailer = createMailer(
    {
      from: 'gate@site.example',
      method: 'smtp',
      options: { host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...extra },
    },
    { log: pino({ level: 'silent' }) },
  );
  open.push(mailer);
  return mailer;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function failure(work: Promise<unknown>) {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${inspect(error)}`);
  return error;
}

describe('createMailer (smtp)', () => {
  it('delivers the subject, the text part and the HTML part', async () => {
    const server = await sink();
    await smtp(server.port).send(message);
    const received = await server.next('ann@example.org');
    expect(received.subject).toBe(message.subject);
    expect(received.text.trim()).toBe(message.text);
    expect(received.html).toContain(`href="https://site.example/knock?t=${TOKEN}"`);
  });

  it('sends one multipart/alternative message in UTF-8', async () => {
    const server = await sink();
    await smtp(server.port).send(message);
    const received = await server.next();
    expect(received.headers['content-type']).toMatch(/^multipart\/alternative;/);
    expect(received.raw).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(received.raw).toMatch(/Content-Type: text\/html; charset=utf-8/i);
  });

  it('encodes the UTF-8 subject so it round-trips', async () => {
    const server = await sink();
    await smtp(server.port).send(message);
    const received = await server.next();
    expect(received.raw).toMatch(/^Subject: =\?UTF-8\?/im);
    expect(received.subject).toBe('Ihr Anmeldelink für Zürich ✓');
  });

  it('sends From the configured address To the one recipient', async () => {
    const server = await sink();
    await smtp(server.port).send(message);
    const received = await server.next();
    expect(received.from).toBe('gate@site.example');
    expect(received.mailFrom).toBe('gate@site.example');
    expect(received.to).toEqual(['ann@example.org']);
    expect(received.headers['to']).toBe('ann@example.org');
  });

  it('marks the message Auto-Submitted: auto-generated', async () => {
    const server = await sink();
    await smtp(server.port).send(message);
    const received = await server.next();
    expect(received.headers['auto-submitted']).toBe('auto-generated');
  });

  it('logs in with AUTH when the server requires it', async () => {
    const server = await sink({ auth: { user: 'gate', pass: PASSWORD } });
    await smtp(server.port, { auth: { user: 'gate', pass: PASSWORD } }).send(message);
    const received = await server.next();
    expect(received.subject).toBe(message.subject);
  });

  it('rejects a refused message with MAIL_FAILED that holds neither the password nor the message', async () => {
    const server = await sink({ auth: { user: 'gate', pass: PASSWORD } });
    server.failNext(554);
    const error = await failure(smtp(server.port, { auth: { user: 'gate', pass: PASSWORD } }).send(message));
    expect(error.code).toBe('MAIL_FAILED');
    expect(error.message).toBe('the mail transport failed: EMESSAGE at DATA, 554');
    const everything = inspect(error, { depth: 10, showHidden: true });
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('rejected by the test sink');
    expect(server.messages).toHaveLength(0);
  });

  it('rejects a wrong password with MAIL_FAILED that does not repeat it', async () => {
    const server = await sink({ auth: { user: 'gate', pass: 'the-right-one' } });
    const error = await failure(smtp(server.port, { auth: { user: 'gate', pass: PASSWORD } }).send(message));
    expect(error.code).toBe('MAIL_FAILED');
    expect(error.message).toMatch(/^the mail transport failed: EAUTH at AUTH [A-Z]+, 535$/);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(PASSWORD);
  });

  it('fails quickly with MAIL_FAILED when nothing listens', async () => {
    const mailer = smtp(await closedPort());
    const started = Date.now();
    const error = await failure(mailer.send(message));
    expect(error.code).toBe('MAIL_FAILED');
    expect(error.message).toBe('the mail transport failed: ESOCKET (ECONNREFUSED) at CONN');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('verifies a reachable server', async () => {
    const server = await sink();
    await expect(smtp(server.port).verify()).resolves.toBeUndefined();
  });

  it('verifies the credentials too', async () => {
    const server = await sink({ auth: { user: 'gate', pass: 'the-right-one' } });
    const error = await failure(smtp(server.port, { auth: { user: 'gate', pass: PASSWORD } }).verify());
    expect(error.code).toBe('MAIL_FAILED');
    expect(error.message).toContain('EAUTH');
  });

  it('fails verification when nothing listens', async () => {
    const error = await failure(smtp(await closedPort()).verify());
    expect(error.code).toBe('MAIL_FAILED');
  });
});
