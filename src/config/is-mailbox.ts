/** RFC 5322 dot-atom local part; non-ASCII allowed as RFC 6531 (SMTPUTF8) does. */
const LOCAL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/;
/** Host name labels, Unicode allowed (IDNA happens in the mailer). */
const LABEL = /^[A-Za-z0-9\u0080-\uFFFF](?:[A-Za-z0-9\u0080-\uFFFF-]{0,61}[A-Za-z0-9\u0080-\uFFFF])?$/;

function isAddress(text: string): boolean {
  const at = text.lastIndexOf('@');
  if (at <= 0) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  return local.length <= 64 && LOCAL.test(local) && domain.split('.').every((label) => LABEL.test(label));
}

/**
 * One mailbox for a From header: `robot@example.org` or `Example Robot <robot@example.org>`.
 * CR, LF and commas are refused outright: they would add headers or recipients.
 */
export function isMailbox(text: string): boolean {
  if (/[\r\n\0,]/.test(text)) return false;
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(text);
  if (named === null) return isAddress(text);
  const display = named[1] ?? '';
  const quoted = /^"[^"\\]*"$/.test(display);
  if (!quoted && /[<>"@\\]/.test(display)) return false;
  return isAddress(named[2] ?? '');
}
