import type { Received } from '../support/smtp-sink.js';

/** The login link in a received mail, taken from its HTML as a mail client would. */
export function linkFromMail(mail: Received): URL {
  const href = /href="([^"]*knock=[^"]*)"/.exec(mail.html)?.[1];
  if (href === undefined) throw new Error(`no link in the mail:\n${mail.html}`);
  return new URL(href.replaceAll('&amp;', '&'));
}
