import type { SendmailTransportOptions } from 'nodemailer';
import { AppError } from '../errors/app-error.js';
import type { Mailer } from '../flows/mailer.js';
import { composeMail } from './compose-mail.js';
import { lazyTransport } from './lazy-transport.js';
import { findExecutable } from './find-executable.js';
import { transportCall } from './transport-call.js';

/** Pipes each message to a local sendmail (`path`, default `sendmail` from PATH). */
export function sendmailMailer(from: string, options: Readonly<Record<string, unknown>>): Mailer {
  const sendmail = options as SendmailTransportOptions;
  const path = sendmail.path ?? 'sendmail';
  const transporter = lazyTransport({ ...sendmail, sendmail: true, path, logger: false });
  return {
    async send(message) {
      const mail = composeMail(from, message);
      await transportCall(async () => (await transporter.get()).sendMail(mail));
    },
    async verify() {
      if ((await findExecutable(path)) === undefined) {
        throw new AppError('MAIL_FAILED', `the mail transport failed: ${path} is not an executable file`);
      }
    },
    // Each message is its own process; there is nothing to close.
    close() {},
  };
}
