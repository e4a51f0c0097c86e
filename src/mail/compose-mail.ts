import type { SendMailOptions } from 'nodemailer';
import type { MailMessage } from '../flows/mailer.js';
import { assertSafeMessage } from './assert-safe-message.js';

/**
 * The nodemailer message for one login mail: text and HTML make it multipart/alternative,
 * UTF-8 throughout. Refuses header-breaking input before anything is built.
 */
export function composeMail(from: string, message: MailMessage): SendMailOptions {
  assertSafeMessage(message);
  // A bare `robot@example.org` gets the site's name: `Site name <robot@example.org>` (issue 15).
  const bare = !from.includes('<');
  return {
    from:
      bare && message.fromName !== undefined && message.fromName !== ''
        ? {
            name: [...message.fromName].filter((c) => c >= ' ' && c !== '\u007f').join(''),
            address: from.trim(),
          }
        : from,
    // An address object, not a string, so nodemailer never parses a display name out of it.
    to: { name: '', address: message.to },
    subject: message.subject,
    text: message.text,
    html: message.html,
    // RFC 3834 §5: keeps vacation responders from answering a machine-sent login link.
    headers: { 'Auto-Submitted': 'auto-generated' },
    // The HTML is ours; it must never make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    xMailer: false,
  };
}
