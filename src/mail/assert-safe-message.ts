import { AppError } from '../errors/app-error.js';
import type { MailMessage } from '../flows/mailer.js';

// Besides control characters: what would add a second recipient or a display name.
const ADDRESS_BREAKING = /[\s,;<>"()\\]/;

/**
 * Defence in depth (SPEC §5): the flows validate addresses first, but nothing that could
 * add a header or a recipient reaches the mail composer even if one of them slips.
 */
export function assertSafeMessage(message: Pick<MailMessage, 'to' | 'subject'>): void {
  const { to, subject } = message;
  if (hasControl(to, false) || ADDRESS_BREAKING.test(to) || !/^[^@]+@[^@]+$/.test(to)) {
    throw new AppError('ADDRESS_INVALID', 'the recipient is not a single plain e-mail address');
  }
  if (hasControl(subject, true)) {
    throw new AppError('ADDRESS_INVALID', 'the subject contains a control character');
  }
}

/** RFC 5322 §2.2: CR and LF end a header line; NUL and other C0/DEL have no place in one. */
function hasControl(value: string, allowTab: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && !(allowTab && code === 0x09)) || code === 0x7f) return true;
  }
  return false;
}
