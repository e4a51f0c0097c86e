import { z } from 'zod';
import type { MailMethod } from './config.js';
import { field } from './field.js';
import { optionSpec, readOptionMap } from './option-map.js';
import type { OptionSpec } from './option-map.js';
import { SMTP_OPTIONS } from './smtp-options.js';

const SENDMAIL_OPTIONS = [
  optionSpec({
    name: 'path',
    value: field.path(),
    description: 'The sendmail binary (looked up on PATH unless it contains a /).',
    fallback: 'sendmail',
  }),
  optionSpec({
    name: 'location',
    value: field.path(),
    write: (v) => [['path', v]],
    description: 'Mail gem name for `path`.',
  }),
  optionSpec({
    name: 'args',
    value: z.array(field.text()),
    description: "Arguments instead of nodemailer's (it keeps `-i` and the recipients).",
  }),
  optionSpec({
    name: 'arguments',
    value: field.text(),
    write: (v) => [['args', v.split(/\s+/).filter((arg) => arg !== '')]],
    description: 'Mail gem name for `args`, as one string.',
  }),
  optionSpec({
    name: 'newline',
    value: field.choice(['unix', 'windows']),
    description: 'Line endings piped to sendmail.',
  }),
];

const FILE_OPTIONS = [
  optionSpec({
    name: 'path',
    value: field.path(),
    description: 'Folder the .eml files are written to, relative to the config file.',
    fallback: 'mail',
  }),
  optionSpec({
    name: 'location',
    value: field.path(),
    write: (v) => [['path', v]],
    description: 'Mail gem name for `path`.',
  }),
];

/** The accepted `email.options` keys of each `email.method`. */
export const MAIL_OPTIONS: Readonly<Record<MailMethod, readonly OptionSpec[]>> = {
  smtp: SMTP_OPTIONS,
  sendmail: SENDMAIL_OPTIONS,
  file: FILE_OPTIONS,
};

function isMethod(method: unknown): method is MailMethod {
  return typeof method === 'string' && Object.hasOwn(MAIL_OPTIONS, method);
}

/**
 * The options map depends on its sibling `method`, so the email group's preprocess
 * packs both into `options` (see `packMailMethod`): an unknown method or a missing
 * `from` then never hides problems in the options.
 */
export const mailOptions = z
  .object({ method: z.unknown(), given: z.unknown() })
  .transform(({ method, given }, ctx) =>
    isMethod(method)
      ? readOptionMap(given, MAIL_OPTIONS[method], ctx, { kind: 'reject', label: `method ${method}` })
      : {},
  );

/** Preprocess of the email group: hands the (folded) method to the options reader. */
export function packMailMethod(email: unknown): unknown {
  email ??= {};
  if (typeof email !== 'object' || Array.isArray(email)) return email;
  const { method = 'sendmail', options } = email as { method?: unknown; options?: unknown };
  let folded = typeof method === 'string' ? method.trim().toLowerCase().replace(/^:/, '') : method;
  // The Mail gem's `test` keeps each message for inspection and sends nothing: so does `file`.
  if (folded === 'test') folded = 'file';
  return { ...email, method: folded, options: { method: folded, given: options } };
}

/** Mail gem delivery methods that have no safe equivalent here, and what to use instead. */
const REPLACED: Readonly<Record<string, string>> = {
  logger:
    "the Mail gem's logger would write each mail, with its login link, into a log; use `file` (one .eml file per mail in email.options.path) instead",
  smtp_connection: 'use `smtp` (one connection per mail)',
  exim: 'use `sendmail` with email.options.path set to the exim binary',
};

/** email.method: sendmail, smtp or file (the Mail gem's `test` is read as `file`). */
export const mailMethod = z.unknown().transform((value, ctx): MailMethod => {
  if (value === undefined) return 'sendmail';
  if (value === 'sendmail' || value === 'smtp' || value === 'file') return value;
  const instead = typeof value === 'string' && Object.hasOwn(REPLACED, value) ? REPLACED[value] : undefined;
  ctx.addIssue({
    code: 'custom',
    message:
      instead === undefined
        ? "expected one of sendmail, smtp, file (the Mail gem's test is read as file)"
        : `${JSON.stringify(value)}: ${instead}`,
  });
  return z.NEVER;
});
