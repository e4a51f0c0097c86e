import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mailFailure } from '../../src/mail/mail-failure.js';

function nodemailerError(fields: Record<string, unknown>, message: string): Error {
  return Object.assign(new Error(message), fields);
}

describe('mailFailure', () => {
  it('keeps the code, command, reply code and enhanced status', () => {
    const error = mailFailure(
      nodemailerError(
        {
          code: 'EENVELOPE',
          command: 'RCPT TO',
          responseCode: 550,
          response: '550 5.1.1 <ann@example.org>: unknown',
        },
        'Recipient command failed: 550 5.1.1 <ann@example.org>: unknown',
      ),
    );
    expect(error.code).toBe('MAIL_FAILED');
    expect(error.message).toBe('the mail transport failed: EENVELOPE at RCPT TO, 550 5.1.1');
  });

  it('drops the server response and the original message everywhere', () => {
    const secret = 'pa55word-and-link-token';
    const error = mailFailure(
      nodemailerError(
        { code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535, response: `535 no ${secret}` },
        `Invalid login: 535 no ${secret}`,
      ),
    );
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(secret);
    expect(error.message).toBe('the mail transport failed: EAUTH at AUTH PLAIN, 535');
  });

  it('drops a command that carries anything but a verb', () => {
    const error = mailFailure(
      nodemailerError({ code: 'EAUTH', command: 'AUTH PLAIN AGdhdGUAc2VjcmV0' }, 'x'),
    );
    expect(error.message).toBe('the mail transport failed: EAUTH');
  });

  it('names the system error beneath a socket error', () => {
    const error = mailFailure(
      nodemailerError({ code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }, 'x'),
    );
    expect(error.message).toBe('the mail transport failed: ESOCKET (ECONNREFUSED) at CONN');
  });

  it('says "unknown error" for something without a code', () => {
    expect(mailFailure('boom').message).toBe('the mail transport failed: unknown error');
  });

  it('keeps a sanitised cause with the code', () => {
    const error = mailFailure(nodemailerError({ code: 'ETIMEDOUT', command: 'CONN' }, 'Timeout secret'));
    expect(error.cause).toMatchObject({ name: 'MailTransportError', code: 'ETIMEDOUT' });
    expect(inspect(error.cause)).not.toContain('secret');
  });
});
