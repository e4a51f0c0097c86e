import type { SMTPTransportOptions } from 'nodemailer';
import type { Mailer } from '../flows/mailer.js';
import { composeMail } from './compose-mail.js';
import { lazyTransport } from './lazy-transport.js';
import { transportCall } from './transport-call.js';

/** One SMTP connection per message (logins are rare; a pool would only hold idle sockets). */
export function smtpMailer(from: string, options: Readonly<Record<string, unknown>>): Mailer {
  const smtp = options as SMTPTransportOptions;
  const transporter = lazyTransport({
    ...smtp,
    // A link request waits on SMTP; a dead relay must not hold it for minutes.
    connectionTimeout: smtp.connectionTimeout ?? 10_000,
    greetingTimeout: smtp.greetingTimeout ?? 10_000,
    socketTimeout: smtp.socketTimeout ?? 30_000,
    // nodemailer's own logger would print message details and the AUTH exchange.
    logger: false,
    debug: false,
    transactionLog: false,
    pool: false,
  });
  return {
    async send(message) {
      const mail = composeMail(from, message);
      await transportCall(async () => (await transporter.get()).sendMail(mail));
    },
    async verify() {
      await transportCall(async () => (await transporter.get()).verify());
    },
    close() {
      transporter.close();
    },
  };
}
