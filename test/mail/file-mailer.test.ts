import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import PostalMime from 'postal-mime';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailMessage, Mailer } from '../../src/flows/mailer.js';
import { createMailer } from '../../src/mail/create-mailer.js';

const TOKEN = 'Fq9LinkSecretInFile';
const message: MailMessage = {
  to: 'bob@example.org',
  subject: 'Your login link for Zürich',
  text: `Open https://site.example/knock?t=${TOKEN}`,
  html: `<p><a href="https://site.example/knock?t=${TOKEN}">Log in</a></p>`,
};

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'forgetpw-mail-'));
  folders.push(folder);
  return folder;
}

function fileMailer(folder: string, lines: string[] = []): Mailer {
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return createMailer({ from: 'gate@site.example', method: 'file', options: { path: folder } }, { log });
}

async function onlyFile(folder: string): Promise<string> {
  const names = await readdir(folder);
  expect(names).toHaveLength(1);
  return join(folder, names[0]!);
}

describe('createMailer (file)', () => {
  it('writes the message as a parseable .eml file', async () => {
    const folder = join(await tempFolder(), 'spool', 'new');
    await fileMailer(folder).send(message);
    const file = await onlyFile(folder);
    const parsed = await PostalMime.parse(await readFile(file));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.address).toBe('gate@site.example');
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.html).toContain(`knock?t=${TOKEN}`);
    expect(parsed.headers.find((header) => header.key === 'auto-submitted')?.value).toBe('auto-generated');
  });

  it('ends every line with CRLF as RFC 5322 requires', async () => {
    const folder = await tempFolder();
    await fileMailer(folder).send(message);
    const raw = await readFile(await onlyFile(folder), 'latin1');
    expect(raw).toContain('\r\n');
    expect(raw.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('names the file by UTC time and a random suffix', async () => {
    const folder = await tempFolder();
    const mailer = fileMailer(folder);
    await mailer.send(message);
    await mailer.send(message);
    const names = await readdir(folder);
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{16}\.eml$/);
  });

  it('lets only the owner read the file', async () => {
    const folder = await tempFolder();
    await fileMailer(folder).send(message);
    const info = await stat(await onlyFile(folder));
    expect(info.mode & 0o777).toBe(0o600);
  });

  it('logs the path of the file but not the message', async () => {
    const folder = await tempFolder();
    const lines: string[] = [];
    await fileMailer(folder, lines).send(message);
    const file = await onlyFile(folder);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(expect.objectContaining({ event: 'mail-written', path: file }));
    expect(lines.join('')).not.toContain(TOKEN);
  });

  it('verifies a folder that does not exist yet under a writable one', async () => {
    const folder = join(await tempFolder(), 'later');
    await expect(fileMailer(folder).verify()).resolves.toBeUndefined();
  });

  it('fails verification when the path is a file', async () => {
    const file = join(await tempFolder(), 'not-a-folder');
    await writeFile(file, '');
    await expect(fileMailer(file).verify()).rejects.toMatchObject({ code: 'MAIL_FAILED' });
  });

  it('fails with MAIL_FAILED when the folder cannot be created', async () => {
    const file = join(await tempFolder(), 'not-a-folder');
    await writeFile(file, '');
    await expect(fileMailer(join(file, 'spool')).send(message)).rejects.toMatchObject({
      code: 'MAIL_FAILED',
      message: 'the mail transport failed: ENOTDIR',
    });
  });

  it('refuses a configuration without a folder', () => {
    const log = pino({ level: 'silent' });
    expect(() => createMailer({ from: 'gate@site.example', method: 'file', options: {} }, { log })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
