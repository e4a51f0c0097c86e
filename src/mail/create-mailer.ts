import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Mailer } from '../flows/mailer.js';
import { fileMailer } from './file-mailer.js';
import { sendmailMailer } from './sendmail-mailer.js';
import { smtpMailer } from './smtp-mailer.js';

/**
 * The Mailer for `email.method` (SPEC §5). `email.options` already uses nodemailer's
 * names (the config loader maps the Mail gem's). Every send refuses header-breaking
 * input with ADDRESS_INVALID and turns any transport fault into MAIL_FAILED whose
 * message and cause hold neither the SMTP password nor the message.
 */
export function createMailer(email: Config['email'], options: { log: Logger }): Mailer {
  switch (email.method) {
    case 'smtp':
      return smtpMailer(email.from, email.options);
    case 'sendmail':
      return sendmailMailer(email.from, email.options);
    case 'file':
      return fileMailer(email.from, email.options, options.log);
  }
}
