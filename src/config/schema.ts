import { z } from 'zod';
import { STATE_NAMES } from '../templates/states.js';
import type { Config } from './config.js';
import { didYouMean } from './closest-name.js';
import { field } from './field.js';
import { issueMessage } from './issue-message.js';
import { mailMethod, mailOptions, packMailMethod } from './mail-options.js';
import { stateOptions } from './state-options.js';

/*
 * The one config schema: every key with its type, default and one-line description
 * (the defaults are the documentation, as in node-oidc-provider). Keys are the
 * folded spellings (see fold-keys.ts). `configReference()` renders this for the
 * README; `shown` overrides how a default is written there.
 */

function doc<T extends z.ZodType>(schema: T, description: string, shown?: string): T {
  return schema.meta(shown === undefined ? { description } : { description, shown });
}

/** A group of keys; absent or empty (`state:` in YAML) means all defaults. */
const group = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.preprocess((v) => v ?? {}, z.strictObject(shape));

/** A key with no default: present in the result as undefined. */
const unset = <T extends z.ZodType>(schema: T) => schema.optional().prefault(undefined);

const mapping = z.record(z.string(), z.unknown()).transform((given, ctx) => {
  const out: Record<string, string> = {};
  for (const [state, file] of Object.entries(given)) {
    if (!(STATE_NAMES as readonly string[]).includes(state)) {
      const hint = didYouMean(state, STATE_NAMES);
      ctx.addIssue({ code: 'custom', message: `unknown page state${hint}`, path: [state] });
      continue;
    }
    const parsed = field.templateFile().safeParse(file, { error: issueMessage });
    if (parsed.success) out[state] = parsed.data;
    else
      ctx.addIssue({
        code: 'custom',
        message: parsed.error.issues[0]?.message ?? 'expected a file name or path',
        path: [state],
      });
  }
  return out;
});

const duration = (iso: string, description: string, minSeconds = 1) =>
  doc(field.duration(minSeconds).prefault(iso), description);

export const configSchema = z
  .strictObject({
    host: doc(
      field.host().default('localhost'),
      'Address the FastCGI daemon listens on (`fcgi -l`); `localhost` means 127.0.0.1, where Apache is told to connect.',
    ),
    port: doc(field.integer(1, 65535).default(10101), 'TCP port the FastCGI daemon listens on (`fcgi -p`).'),
    pid: doc(unset(field.path()), 'Pid file `fcgi` writes (`-P`); relative to the config file.', '(none)'),
    workers: doc(
      field.integer(1, 64).default(1),
      'Daemon processes sharing the port (`fcgi -w`), each with its own cache; a dead one is restarted.',
    ),
    base: doc(
      unset(z.unknown()),
      "Ignored: the original's `-b` wrote it for its `mint` verb, which this version does not have.",
      '(none)',
    ),
    state: group({
      dsn: doc(
        field.dsn().default('sqlite://forgetpw.sqlite'),
        'Database: `sqlite://file` (relative to the config file), `postgres://user:pass@host:port/db` or `mysql://user:pass@host:port/db` (MariaDB/MySQL). Also FORGETPW_DSN.',
      ),
      user: doc(unset(field.text()), 'Database user, if not in the DSN. Also FORGETPW_DB_USER.', '(none)'),
      password: doc(
        unset(field.text()),
        'Database password, if not in the DSN. Also FORGETPW_DB_PASSWORD.',
        '(none)',
      ),
      options: doc(stateOptions.default({}), 'Database driver options (pool, ssl, timeouts; see below).'),
      expiry: group({
        query: duration('PT10M', 'How long an e-mailed link works (ISO 8601 duration or seconds).'),
        cookie: duration('P2W', 'Session idle lifetime; each use moves the expiry forward.'),
        absolute: duration('P90D', 'Session lifetime cap, however active the session is.'),
        slide: duration('PT1H', 'A session expiry (and last-seen time) is written at most this often.', 0),
      }),
    }),
    keys: group({
      query: doc(field.name().default('knock'), 'Query parameter that carries the link token.'),
      cookie: doc(field.name().default('forgetpw'), 'Name of the session cookie.'),
      email: doc(
        field.name().default('email'),
        'Form field with the e-mail address (the default forms use `email`).',
      ),
      forward: doc(
        field.name().default('forward'),
        'Form field with the page to return to (forms use `forward`).',
      ),
      logout: doc(
        field.name().default('all'),
        'Query or form field on the logout target that ends every session.',
      ),
    }),
    vars: group({
      user: doc(
        field.name().default('FCGI_USER'),
        'Variable carrying the logged-in address (becomes REMOTE_USER).',
      ),
      redirect: doc(
        field.name().default('FCGI_REDIRECT'),
        'Variable carrying the URL to redirect to after a link.',
      ),
      type: doc(field.name().default('FCGI_CONTENT_TYPE'), "Variable carrying an error page's content type."),
    }),
    targets: group({
      login: doc(
        field.target().default('/email-link'),
        'Path the e-mail form and the link confirmation post to.',
      ),
      logout: doc(field.target().default('/logout'), 'Path that logs out (POST).'),
      logout_one: doc(
        field.redirectTarget().default('/logged-out'),
        'Where logging out of this browser redirects to: a path on the site, or an http(s) URL.',
      ),
      logout_all: doc(
        field.redirectTarget().default('/logged-out-all'),
        'Where logging out everywhere redirects to: a path on the site, or an http(s) URL.',
      ),
      account: doc(
        field.target().default('/account'),
        'The account page (sessions, app passwords); its reveal links point here too.',
      ),
    }),
    templates: group({
      path: doc(
        unset(field.path()),
        'Folder of XHTML templates replacing the packaged ones; relative to the config file.',
        '(packaged)',
      ),
      transform: doc(
        unset(field.urlOrPath()),
        'XSLT stylesheet of the pages (not mail): its URL for the browser, or with `transform_on: server` its file (relative to the config file).',
        '(none)',
      ),
      transform_on: doc(
        field.choice(['client', 'server']).default('client'),
        '`client`: pages name the stylesheet in an `<?xml-stylesheet?>` for the browser (the original). `server`: the daemon applies it and serves HTML.',
      ),
      mapping: doc(
        mapping.default({}),
        'Page state -> template file, overriding single pages: a name in the templates folder, or a path (relative to `templates.path`, else to the config file).',
      ),
      base: doc(unset(field.urlOrPath()), '`<base href>` of the mail (pages use the request URL).', '(none)'),
      site_mail: doc(
        field.boolean().default(false),
        'Let `$DOCUMENT_ROOT/.forgetpw/email.xhtml` replace the link mail (whoever can write the web root could then mail links elsewhere).',
      ),
      languages: doc(
        field.languageList().default(['en', 'de', 'fr']),
        "Languages of the pages and mail, in order: a browser's `Accept-Language` picks one (`de-AT` counts as `de`), the first is for browsers asking for none of them. Each but `en` needs a `<lang>/` template folder (packaged: `de`, `fr`).",
      ),
      sites: doc(
        z
          .record(z.string(), field.path())
          .transform((given) =>
            Object.fromEntries(
              Object.entries(given).map(([host, folder]) => [host.trim().toLowerCase(), folder]),
            ),
          )
          .default({}),
        "Host -> folder of that site's own templates (every page and the mail; same file names and `<lang>/` folders as `path`); files it lacks come from `path` or the packaged ones. Relative to the config file.",
      ),
      csp: doc(
        unset(field.cspSources()),
        'Extra Content-Security-Policy sources for pages, e.g. `font-src https://fonts.example; style-src https://cdn.example`.',
        '(none)',
      ),
    }),
    email: z.preprocess(
      packMailMethod,
      z.strictObject({
        from: doc(
          field.mailbox(),
          'Sender of the link mails: one mailbox. Also FORGETPW_EMAIL_FROM.',
          '(required)',
        ),
        method: doc(
          mailMethod,
          "How mail is sent: `sendmail`, `smtp` or `file`; the Mail gem's `test` is read as `file`.",
          'sendmail',
        ),
        options: doc(mailOptions, 'Transport options of the method (see below).', '{}'),
      }),
    ),
    knock: group({
      confirm: doc(
        field.choice(['same-browser', 'always', 'never']).default('same-browser'),
        'When a link asks for a click to confirm: outside the browser that asked for it, always, or never.',
      ),
      opens: doc(
        field.choice(['target', 'page']).default('target'),
        "What a mailed link opens: `target` is the login target (`/email-link?knock=...`), which sends the person on to the page; `page` is the page itself with `?knock=` (the original's links: only where every page is protected, or the token sits in an open page's logs).",
      ),
    }),
    sites: doc(
      field.siteList().default([]),
      'Host names this gate serves (`*.example` for all subdomains of example), besides every web domain the access list names (`privilege -d`). Links and sessions are made for these hosts only.',
    ),
    site_name: doc(
      z.union([field.text(), z.record(z.string(), field.text())]).default({}),
      'How people know the site, named in page titles, headings and the mail: one name for every site, or `HOST: NAME` per site; a site without one is called by its host name.',
      '(the host name)',
    ),
    addresses: group({
      recipient_delimiter: doc(
        field.delimiters().default('+'),
        "Characters that start a sub-address tag: `bob+x@` is bob's mailbox, one person for the list, limits, `disable` and REMOTE_USER. `''` keeps tags.",
      ),
      extra_local_chars: doc(
        field.localChars().default(''),
        "Characters allowed in an address before the @ besides ASCII letters, digits and `. - _ +` (any of ``#$&'*/=?^`{|}~``).",
        "''",
      ),
      unicode: doc(
        field.boolean().default(false),
        'Allow non-ASCII letters before the @ (RFC 6532); off, since look-alikes (`İ`, Cyrillic `а`) pass for other people.',
      ),
    }),
    trusted_proxies: doc(
      field.ipList().default([]),
      'IP addresses or CIDR ranges whose X-Forwarded-* headers are believed.',
    ),
    privacy: group({
      conceal_list: doc(
        field.boolean().default(false),
        'Answer "mail sent" whether or not the address is on the list (no account probing).',
      ),
    }),
    limits: group({
      email_per_address: doc(
        field.integer(0).default(5),
        'Link mails per address asked from one client network (IPv4 address, IPv6 /64) per window; 0 turns this off.',
      ),
      email_per_address_total: doc(
        field.integer(0).default(20),
        'Link mails per address from all networks together per window; 0 turns this off.',
      ),
      email_per_ip: doc(
        field.integer(0).default(60),
        'Link requests per client network (IPv4 address, IPv6 /64) per window; 0 turns this off.',
      ),
      bad_tokens_per_ip: doc(
        field.integer(0).default(50),
        'Bad links, cookies or tokens per client network per window; 0 turns this off.',
      ),
      window: duration('PT15M', 'Length of the rate-limit window.'),
    }),
    fastcgi: group({
      max_body: doc(
        field.integer(1).default(16_384),
        'Bytes of a form POST the daemon reads; a larger one gets the 413 page at once.',
      ),
      max_connections: doc(
        field.integer(1).default(1024),
        'FastCGI connections open at once; more are closed as they arrive.',
      ),
      request_timeout: duration(
        'PT30S',
        "Time from a request's start for all of it to arrive, however slowly it trickles.",
      ),
      idle_timeout: duration(
        'PT30S',
        'A connection that starts no request for this long is closed. Both timeouts are checked every tenth of the shorter one (at least every second), so a peer is closed at most that much late.',
      ),
    }),
    cache: group({
      ttl: doc(
        field.duration().prefault(5),
        'Seconds a session check may be answered from memory; 0 disables.',
      ),
      // Sized for the few hundred people this gate is for, several devices each, not for the
      // 10,000 it was: a full cache of 10,000 cost 18 MB of RSS (issue 18), and a session past
      // the bound only costs one database read when it is checked again.
      size: doc(
        field.integer(1).default(2_000),
        'Session checks kept in memory at most (about 2 KB of memory each); a miss reads the database.',
      ),
    }),
    log: group({
      level: doc(
        field.choice(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        'Log level. Also FORGETPW_LOG_LEVEL.',
      ),
    }),
    metrics: group({
      listen: doc(unset(field.hostPort()), '`host:port` serving /healthz, /readyz and /metrics.', '(off)'),
    }),
    http: group({
      listen: doc(
        unset(field.hostPort()),
        '`host:port` of the HTTP forward-auth listener `fcgi` serves beside FastCGI (`forgetpw http` alone: 127.0.0.1:10102).',
        '(off)',
      ),
      trusted_proxies: doc(
        field.ipList().default(['127.0.0.1', '::1']),
        'Peers of the HTTP listener whose X-Forwarded-*/X-Original-* headers are believed.',
      ),
      user_header: doc(
        field.name().default('Remote-User'),
        'Response header of an allowed forward-auth check that names the user.',
      ),
      email_header: doc(
        field.name().default('Remote-Email'),
        "Response header of an allowed forward-auth check that carries the user's address.",
      ),
    }),
    app_passwords: group({
      reveal_expiry: duration('P1D', 'How long the mailed link that reveals a new app password works.'),
    }),
    audit: group({
      retention: doc(
        field.duration().prefault('P90D'),
        'How long audit events are kept; the daemon deletes older ones. 0 keeps them forever.',
      ),
    }),
  })
  .transform(({ base: _ignored, ...config }, ctx): Config => {
    const { transform, transform_on: on } = config.templates;
    if (on === 'server' && transform === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'server needs templates.transform: the stylesheet file to apply',
        path: ['templates', 'transform_on'],
      });
    }
    if (on === 'server' && transform !== undefined && /^https?:/i.test(transform)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'with transform_on: server the daemon reads the stylesheet itself: name its file (a path or file: URL), not an http URL',
        path: ['templates', 'transform'],
      });
    }
    return config;
  });
