import { z } from 'zod';
import { durationSeconds } from './duration-seconds.js';
import { isMailbox } from './is-mailbox.js';
import { netAddress } from './net-address.js';
import { parseSitePattern } from '../policy/site-pattern.js';
import { OPTIONAL_LOCAL_CHARACTERS } from '../policy/normalize-address.js';

/*
 * The value types of the config schema. Scalars written as strings are coerced the
 * way the original coerced its options ("587" is a number, "false" is false), so a
 * quoted YAML value or a CLI flag works. Messages quote a value only where the
 * field can never hold a secret.
 */

const NUMERIC = /^\s*[+-]?\d+(?:\.\d+)?\s*$/;
const KEY_NAME = /^[A-Za-z_][0-9A-Za-z_.-]*$/;

function toNumber(value: unknown): unknown {
  return typeof value === 'string' && NUMERIC.test(value) ? Number(value) : value;
}

function toBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (['true', 'yes', 'on'].includes(word)) return true;
  if (['false', 'no', 'off'].includes(word)) return false;
  return value;
}

function toText(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** A trimmed string that must pass `test`; `problem` words the complaint. */
function checked(test: (text: string) => boolean, problem: (text: string) => string) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (test(text)) return text;
    ctx.addIssue({ code: 'custom', message: problem(text) });
    return z.NEVER;
  });
}

const quote = (text: string): string => JSON.stringify(text);

/** A URL with a scheme we can link to, or a path reference; no markup-breaking characters. */
function isUrlOrPath(text: string): boolean {
  if (text === '' || /[\s"'<>`\\]/.test(text)) return false;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return URL.canParse(text, 'http://x.invalid/');
  return ['http', 'https', 'file'].includes(scheme) && URL.canParse(text);
}

export const field = {
  integer: (min: number, max = Number.MAX_SAFE_INTEGER) => z.preprocess(toNumber, z.int().min(min).max(max)),

  boolean: () => z.preprocess(toBoolean, z.boolean()),

  /** Any string; numbers are turned into text (a YAML password `123456`). Never echoed. */
  text: () => z.preprocess(toText, z.string()),

  choice: <const T extends readonly [string, ...string[]]>(values: T) =>
    z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values)),

  /** ISO 8601 duration or plain seconds, held as whole seconds. */
  duration: (minSeconds = 0) =>
    z.unknown().transform((value, ctx) => {
      const seconds = durationSeconds(value);
      if (seconds !== undefined && seconds >= minSeconds) return seconds;
      ctx.addIssue({
        code: 'custom',
        message:
          seconds !== undefined
            ? `must be at least ${minSeconds} second${minSeconds === 1 ? '' : 's'}`
            : typeof value === 'string'
              ? `${quote(value)} is not an ISO 8601 duration`
              : 'expected an ISO 8601 duration (PT10M) or a number of seconds',
      });
      return z.NEVER;
    }),

  host: () =>
    z
      .string()
      .transform((raw) => raw.trim().replace(/^\[(.*)\]$/, '$1'))
      .refine(netAddress.isHost, {
        error: (issue) => `${quote(String(issue.input))} is not a host name or IP address`,
      }),

  hostPort: () =>
    checked(
      (text) => netAddress.splitHostPort(text) !== undefined,
      (text) => `${quote(text)} is not host:port (such as 127.0.0.1:9464)`,
    ),

  /** keys.* and vars.*: the original's rule, because they become query, cookie and header names. */
  name: () =>
    checked(
      (text) => KEY_NAME.test(text),
      (text) => `${quote(text)} must match ${KEY_NAME.source}`,
    ),

  /** A responder target: matched exactly against the request path. */
  target: () =>
    checked(
      (text) => /^\/[^\s?#]*$/.test(text),
      (text) => `${quote(text)} is not an absolute path (starting with /, no query)`,
    ),

  /**
   * Where a page redirects to (targets.logout_one/_all): a path on the same site, or, as the
   * original allowed ("not necessarily relative"), an absolute http(s) URL such as the site's
   * home page elsewhere. Only the admin writes it, so it is no open redirect.
   */
  redirectTarget: () =>
    checked(
      (text) =>
        /^\/[^\s?#]*$/.test(text) ||
        (/^https?:\/\/[^\s"'<>`\\]+$/i.test(text) && URL.canParse(text) && new URL(text).hostname !== ''),
      (text) => `${quote(text)} is not an absolute path (starting with /, no query) or an http(s) URL`,
    ),

  fileName: () =>
    checked(
      (text) => text !== '' && text !== '.' && text !== '..' && !/[/\\\0]/.test(text),
      (text) => `${quote(text)} is not a plain file name (no folders)`,
    ),

  /** templates.mapping: a file name, or a path with folders (relative or absolute), as the original took. */
  templateFile: () =>
    checked(
      (text) => text !== '' && !text.includes('\0') && !/[/\\]\.{0,2}$/.test(`/${text}`),
      (text) => `${quote(text)} is not a file name or path`,
    ),

  path: () =>
    z.string().refine((text) => text.trim() !== '' && !text.includes('\0'), { error: 'expected a path' }),

  /** `directive source ...; directive source ...`: no quotes but CSP keywords, no commas or control characters. */
  cspSources: () =>
    checked(
      (text) =>
        text
          .split(';')
          .every((part) => /^\s*(?:[a-z-]+(?:\s+(?:'[a-z0-9+/=-]+'|[^\s;,'"]+))+)?\s*$/i.test(part)),
      (text) => `${quote(text)} is not a list of \`directive source ...\` separated by ;`,
    ),

  urlOrPath: () => checked(isUrlOrPath, (text) => `${quote(text)} is not a URL or path`),

  /** The DSN may carry a password, so the complaint never shows it. */
  dsn: () =>
    z.string().transform((raw, ctx) => {
      const text = raw.trim();
      if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/./.test(text)) return text;
      ctx.addIssue({
        code: 'custom',
        message: /^sqlite::memory:$/i.test(text)
          ? // Each process would open its own empty database: the daemon's list could never be filled.
            'sqlite::memory: is not kept between processes (the daemon, `init` and `privilege` would each see their own empty database); use a file, such as sqlite:///var/lib/forgetpw/forgetpw.sqlite'
          : 'expected a DSN such as sqlite://forgetpw.sqlite or postgres://host/db',
      });
      return z.NEVER;
    }),

  mailbox: () =>
    checked(
      isMailbox,
      (text) => `${quote(text)} is not one mailbox (robot@example.org or Name <robot@example.org>)`,
    ),

  /** Host names, or `*.example` for every subdomain of example; a list or one string. */
  siteList: () =>
    z.preprocess(
      (v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter((part) => part !== '') : v),
      z.array(
        z.string().transform((raw, ctx) => {
          const pattern = parseSitePattern(raw);
          if (pattern !== undefined) return pattern;
          ctx.addIssue({
            code: 'custom',
            message: `${quote(raw)} is not a host name or *.domain (no scheme, port or path)`,
          });
          return z.NEVER;
        }),
      ),
    ),

  /** Template languages: primary language subtags (`en`, `de`), a list or `en, de`; no duplicates. */
  languageList: () =>
    z.preprocess(
      (v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter((part) => part !== '') : v),
      z
        .array(
          checked(
            (text) => /^[a-z]{2,3}$/.test(text),
            (text) =>
              `${quote(text)} is not a language subtag such as en or de (two or three lower-case letters)`,
          ),
        )
        .min(1, { error: 'name at least one language' })
        .refine((list) => new Set(list).size === list.length, { error: 'names a language twice' }),
    ),

  /** Extra local-part characters: only RFC 5322 atext that routes nowhere. */
  localChars: () =>
    z.preprocess(
      toText,
      z.string().refine((text) => [...text].every((char) => OPTIONAL_LOCAL_CHARACTERS.includes(char)), {
        error: `may only hold characters from ${OPTIONAL_LOCAL_CHARACTERS} (% and ! route mail elsewhere and are never allowed)`,
      }),
    ),

  /** Sub-address delimiters: characters a local part may hold, such as + or -. */
  delimiters: () =>
    z.preprocess(
      toText,
      z.string().refine((text) => /^[+\-_.]*$/.test(text), { error: 'may only hold the characters + - _ .' }),
    ),

  /** A list, or one string of addresses separated by spaces or commas. */
  ipList: () =>
    z.preprocess(
      (v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter((part) => part !== '') : v),
      z.array(checked(netAddress.isIpOrCidr, (text) => `${quote(text)} is not an IP address or CIDR range`)),
    ),
};
