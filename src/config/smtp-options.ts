import { z } from 'zod';
import { field } from './field.js';
import { foldOptionKey } from './fold-keys.js';
import { optionSpec } from './option-map.js';

const AUTH_KEYS = ['user', 'pass'];

/** Where ca_file/ca_path wait until the config loader reads them into `tls.ca` (see read-ca-files.ts). */
export const CA_FILE = 'tls.caFile';
export const CA_PATH = 'tls.caPath';

/** `auth: {User: ..., PASS: ...}` folds like the rest of the map. */
const auth = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value).map(([k, v]) => [AUTH_KEYS.find((a) => a === foldOptionKey(k)) ?? k, v]),
        )
      : value,
  z.strictObject({ user: field.text().optional(), pass: field.text().optional() }),
);

/** Node's `tls.connect` options, handed to nodemailer as they are. */
const tlsOptions = z.record(z.string(), z.unknown());

const ms = () => field.integer(0);
const seconds = () => field.integer(0);

/**
 * `email.options` for `method: smtp`: nodemailer's SMTP transport options, plus the
 * Ruby Mail gem's names that the original passed straight to `Mail.delivery_method`,
 * so its configs keep working.
 */
export const SMTP_OPTIONS = [
  optionSpec({ name: 'host', value: field.host(), description: 'SMTP server.', fallback: 'localhost' }),
  optionSpec({
    name: 'port',
    value: field.integer(1, 65535),
    description: 'SMTP port; nodemailer picks 587, or 465 with `secure`.',
  }),
  optionSpec({
    name: 'secure',
    value: field.boolean(),
    description:
      'true: implicit TLS from the first byte (port 465). false: plain, upgraded by STARTTLS when offered.',
  }),
  optionSpec({
    name: 'requireTLS',
    value: field.boolean(),
    description: 'Fail unless the server offers STARTTLS.',
  }),
  optionSpec({
    name: 'ignoreTLS',
    value: field.boolean(),
    description: 'Never use STARTTLS, even when offered.',
  }),
  optionSpec({
    name: 'name',
    value: field.host(),
    description: 'Host name sent in EHLO (default: this host).',
  }),
  optionSpec({
    name: 'auth',
    value: auth,
    write: (v) => [
      ['auth.user', v.user],
      ['auth.pass', v.pass],
    ],
    description: 'Login: `{user, pass}` (also FORGETPW_SMTP_USER, FORGETPW_SMTP_PASSWORD).',
  }),
  optionSpec({
    name: 'connectionTimeout',
    value: ms(),
    description: 'Milliseconds to wait for the connection.',
  }),
  optionSpec({ name: 'greetingTimeout', value: ms(), description: 'Milliseconds to wait for the greeting.' }),
  optionSpec({ name: 'socketTimeout', value: ms(), description: 'Milliseconds of inactivity allowed.' }),
  optionSpec({
    name: 'tls',
    value: z.union([field.boolean(), tlsOptions], {
      error: 'expected true, false or a mapping of TLS options',
    }),
    write: (v) => (typeof v === 'boolean' ? [['secure', v]] : [['tls', v]]),
    description:
      "A mapping: node's TLS options (`rejectUnauthorized`, `servername`, ...). true/false: the Mail gem's " +
      'name for `secure`. `tls: false` means no implicit TLS here; the original turned TLS on for it.',
  }),
  optionSpec({
    name: 'ssl',
    value: field.boolean(),
    write: (v) => [['secure', v]],
    description: 'Mail gem name for `secure`.',
  }),
  optionSpec({
    name: 'address',
    value: field.host(),
    write: (v) => [['host', v]],
    description: 'Mail gem name for `host`.',
  }),
  optionSpec({
    name: 'user_name',
    value: field.text(),
    write: (v) => [['auth.user', v]],
    description: 'Mail gem name for `auth.user`.',
  }),
  optionSpec({
    name: 'password',
    value: field.text(),
    write: (v) => [['auth.pass', v]],
    description: 'Mail gem name for `auth.pass`.',
  }),
  optionSpec({
    name: 'domain',
    value: field.host(),
    write: (v) => [['name', v]],
    description: 'Mail gem name for `name` (the EHLO host name).',
  }),
  optionSpec({
    name: 'enable_starttls_auto',
    value: field.boolean(),
    write: (v) => [['ignoreTLS', v ? undefined : true]],
    description: "Mail gem: true (nodemailer's default) uses STARTTLS when offered; false sets `ignoreTLS`.",
  }),
  optionSpec({
    name: 'enable_starttls',
    value: field.boolean(),
    write: (v) => [['requireTLS', v ? true : undefined]],
    description: 'Mail gem: true sets `requireTLS`.',
  }),
  optionSpec({
    name: 'authentication',
    value: field.choice(['plain', 'login', 'cram_md5', ':plain', ':login', ':cram_md5']),
    write: () => [],
    description: 'Mail gem: accepted and ignored; the mechanism is negotiated with the server.',
  }),
  optionSpec({
    name: 'openssl_verify_mode',
    value: z.union([field.choice(['none', 'peer']), z.literal(0), z.literal(1)], {
      error: 'expected none or peer',
    }),
    write: (v) => [['tls.rejectUnauthorized', !(v === 'none' || v === 0)]],
    description:
      'Mail gem: `none` sets `tls.rejectUnauthorized: false` (accept any certificate); `peer` checks it.',
  }),
  optionSpec({
    name: 'ca_file',
    value: field.path(),
    write: (v) => [[CA_FILE, v]],
    description:
      "Mail gem: a PEM file of CA certificates trusted for the server's certificate, besides the system's; relative to the config file.",
  }),
  optionSpec({
    name: 'ca_path',
    value: field.path(),
    write: (v) => [[CA_PATH, v]],
    description: 'Mail gem: a folder of PEM CA certificate files, trusted the same way.',
  }),
  optionSpec({
    name: 'open_timeout',
    value: seconds(),
    write: (v) => [['connectionTimeout', v * 1000]],
    description: 'Mail gem: seconds, sets `connectionTimeout`.',
  }),
  optionSpec({
    name: 'read_timeout',
    value: seconds(),
    write: (v) => [['socketTimeout', v * 1000]],
    description: 'Mail gem: seconds, sets `socketTimeout`.',
  }),
] as const;
