import type { GateClient } from '../support/gate-client.js';
import type { SmtpSink } from '../support/smtp-sink.js';

/** A whole login as a browser does it: ask, take the link from the mail, open it. Returns the session. */
export async function ownerSession(
  gate: GateClient,
  sink: SmtpSink,
  address: string,
  site: string,
): Promise<string> {
  // Mails to the owner the storm caused (tagged spellings) are older than this one: skip them.
  const before = sink.messages.length;
  const asked = await gate.post(
    '/email-link',
    { email: address, forward: `http://${site}/page.html` },
    { host: site, origin: `http://${site}` },
  );
  if (asked.status !== 303) throw new Error(`asking for a link answered ${asked.status}`);
  let mail = await sink.next(address);
  while (sink.messages.indexOf(mail) < before) mail = await sink.next(address);
  const href = /href="([^"]*knock=[^"]*)"/.exec(mail.html)?.[1];
  if (href === undefined) throw new Error('no link in the mail');
  const link = new URL(href.replaceAll('&amp;', '&'));
  const opened = await gate.authorize(link.pathname + link.search, {
    host: site,
    cookie: `forgetpw_link=${asked.cookie('forgetpw_link') ?? ''}`,
  });
  const session = opened.cookie('forgetpw');
  if (opened.status !== 200 || session === undefined)
    throw new Error(`opening the link answered ${opened.status}`);
  return session;
}
