import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import PostalMime from 'postal-mime';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailMessage, Mailer } from '../../src/flows/mailer.js';
import { createMailer } from '../../src/mail/create-mailer.js';

const message: MailMessage = {
  to: 'carol@example.org',
  subject: 'Your login link',
  text: 'Open https://site.example/knock?t=SendmailSecret',
  html: '<p><a href="https://site.example/knock?t=SendmailSecret">Log in</a></p>',
};

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** A fake sendmail: stores its arguments and stdin next to itself, then exits with `status`. */
async function fakeSendmail(status = 0): Promise<{ path: string; folder: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'forgetpw-sendmail-'));
  folders.push(folder);
  const path = join(folder, 'sendmail');
  const script = `#!/bin/sh\nprintf '%s\\n' "$@" > '${folder}/args'\ncat > '${folder}/message'\nexit ${status}\n`;
  await writeFile(path, script, { mode: 0o755 });
  return { path, folder };
}

function sendmail(path: string, args?: string[]): Mailer {
  const options = args === undefined ? { path } : { path, args };
  return createMailer(
    { from: 'gate@site.example', method: 'sendmail', options },
    { log: pino({ level: 'silent' }) },
  );
}

describe('createMailer (sendmail)', () => {
  it('pipes the whole message to the sendmail program', async () => {
    const fake = await fakeSendmail();
    await sendmail(fake.path).send(message);
    const parsed = await PostalMime.parse(await readFile(join(fake.folder, 'message')));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.to?.[0]?.address).toBe('carol@example.org');
    expect(parsed.html).toContain('knock?t=SendmailSecret');
  });

  it('passes -i, the sender and the one recipient as arguments', async () => {
    const fake = await fakeSendmail();
    await sendmail(fake.path).send(message);
    const args = (await readFile(join(fake.folder, 'args'), 'utf8')).trim().split('\n');
    expect(args).toEqual(['-i', '-f', 'gate@site.example', 'carol@example.org']);
  });

  it('uses configured arguments instead of the sender', async () => {
    const fake = await fakeSendmail();
    await sendmail(fake.path, ['-oi']).send(message);
    const args = (await readFile(join(fake.folder, 'args'), 'utf8')).trim().split('\n');
    expect(args).toEqual(['-i', '-oi', 'carol@example.org']);
  });

  it('fails with MAIL_FAILED and the exit status when sendmail fails', async () => {
    const fake = await fakeSendmail(75);
    await expect(sendmail(fake.path).send(message)).rejects.toMatchObject({
      code: 'MAIL_FAILED',
      message: 'the mail transport failed: ESENDMAIL, exit 75',
    });
  });

  it('verifies an executable program', async () => {
    const fake = await fakeSendmail();
    await expect(sendmail(fake.path).verify()).resolves.toBeUndefined();
  });

  it('fails verification for a program that is not executable', async () => {
    const fake = await fakeSendmail();
    await chmod(fake.path, 0o644);
    await expect(sendmail(fake.path).verify()).rejects.toMatchObject({ code: 'MAIL_FAILED' });
  });

  it('fails verification for a missing program', async () => {
    const fake = await fakeSendmail();
    await expect(sendmail(join(fake.folder, 'missing')).verify()).rejects.toMatchObject({
      code: 'MAIL_FAILED',
    });
  });
});
