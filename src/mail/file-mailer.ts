import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.js';
import type { Mailer } from '../flows/mailer.js';
import { composeMail } from './compose-mail.js';
import { lazyTransport } from './lazy-transport.js';
import { transportCall } from './transport-call.js';

/**
 * Writes each message as an RFC 5322 `.eml` file (CRLF line ends) into a folder, for
 * development and for hosts that pick mail up from a spool. The files hold live login
 * links, so only the owner may read them.
 */
export function fileMailer(from: string, options: Readonly<Record<string, unknown>>, log: Logger): Mailer {
  const folder = options['path'];
  if (typeof folder !== 'string' || folder === '') {
    throw new AppError('CONFIG_INVALID', 'email.options.path: the file method needs a folder');
  }
  const transporter = lazyTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    logger: false,
  });
  return {
    async send(message) {
      const mail = composeMail(from, message);
      const path = await transportCall(async () => {
        const info = await (await transporter.get()).sendMail(mail);
        await mkdir(folder, { recursive: true, mode: 0o700 });
        const file = join(folder, fileName(new Date()));
        await writeFile(file, info.message as Buffer, { mode: 0o600, flag: 'wx' });
        return file;
      });
      log.info({ event: 'mail-written', path }, 'mail written to a file');
    },
    async verify() {
      if (!(await canWriteInto(folder))) {
        throw new AppError('MAIL_FAILED', `the mail transport failed: ${folder} is not a writable folder`);
      }
    },
    // Nothing stays open between messages.
    close() {},
  };
}

/** `<UTC timestamp>-<random hex>.eml`: sorts by time, never collides. */
function fileName(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '')}-${randomBytes(8).toString('hex')}.eml`;
}

/** The folder, or the nearest existing folder above it (send creates the rest), is writable. */
async function canWriteInto(folder: string): Promise<boolean> {
  let current = resolve(folder);
  for (;;) {
    try {
      const info = await stat(current);
      if (!info.isDirectory()) return false;
      await access(current, constants.W_OK | constants.X_OK);
      return true;
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) return false;
      current = parent;
    }
  }
}
