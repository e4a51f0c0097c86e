import { AppError } from '../errors/app-error.js';

const SMTP_COMMAND = /^[A-Z][A-Z0-9 -]{0,30}$/;
const ENHANCED_STATUS = /\b[245]\.\d{1,3}\.\d{1,3}\b/;

interface TransportFault {
  readonly code?: unknown;
  readonly originalCode?: unknown;
  readonly command?: unknown;
  readonly responseCode?: unknown;
  readonly response?: unknown;
  readonly message?: unknown;
}

/**
 * Turns a transport error into MAIL_FAILED without its message, response text or stack:
 * nodemailer puts the server's reply (which may echo the message) into `message`, and the
 * transport options carry the SMTP password. Only stable codes survive, e.g.
 * `EMESSAGE at DATA, 550 5.7.1` or `ESOCKET (ECONNREFUSED) at CONN`.
 */
export function mailFailure(error: unknown): AppError {
  const fault: TransportFault = typeof error === 'object' && error !== null ? error : {};
  const code = token(fault.code) ?? 'unknown error';
  const parts = [code];
  const original = token(fault.originalCode);
  if (original !== undefined && original !== code) parts.push(`(${original})`);
  if (typeof fault.command === 'string' && SMTP_COMMAND.test(fault.command))
    parts.push(`at ${fault.command}`);
  let reason = parts.join(' ');
  if (typeof fault.responseCode === 'number' && Number.isInteger(fault.responseCode)) {
    const enhanced =
      typeof fault.response === 'string' ? ENHANCED_STATUS.exec(fault.response)?.[0] : undefined;
    reason += `, ${fault.responseCode}${enhanced === undefined ? '' : ` ${enhanced}`}`;
  }
  if (code === 'ESENDMAIL' && typeof fault.message === 'string') {
    // The sendmail transport's own wording, never the child's output.
    const exit = /exited with code (\d+)|terminated by (SIG[A-Z0-9]+)/.exec(fault.message);
    if (exit !== null) reason += exit[1] === undefined ? `, ${exit[2]}` : `, exit ${exit[1]}`;
  }
  const cause = Object.assign(new Error(reason), { name: 'MailTransportError', code });
  return new AppError('MAIL_FAILED', `the mail transport failed: ${reason}`, { cause });
}

function token(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Z][A-Z0-9_]{0,40}$/.test(value) ? value : undefined;
}
