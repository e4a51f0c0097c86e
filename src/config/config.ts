import type { SitePattern } from '../policy/site-pattern.js';

/**
 * The validated, defaulted, frozen configuration. Key names follow the original
 * gem's forgetpw.yml after folding (lower case, '-' and ' ' become '_').
 * Durations are held in seconds. The schema in `schema.ts` is the single source
 * of defaults and descriptions.
 */
export type KnockConfirm = 'same-browser' | 'always' | 'never';
export type MailMethod = 'sendmail' | 'smtp' | 'file';
export type TransformOn = 'client' | 'server';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** Address the FastCGI daemon listens on. */
  readonly host: string;
  readonly port: number;
  /** Pid file written by `fcgi` (also `-P`). */
  readonly pid: string | undefined;
  /** Processes serving the port (node cluster); 1 runs the daemon in this process. */
  readonly workers: number;
  readonly state: {
    readonly dsn: string;
    readonly user: string | undefined;
    readonly password: string | undefined;
    /** Passed to the database driver (knex `connection` extras / pool). */
    readonly options: Readonly<Record<string, unknown>>;
    readonly expiry: {
      /** Link lifetime, seconds (PT10M). */
      readonly query: number;
      /** Session idle lifetime, seconds (P2W). */
      readonly cookie: number;
      /** Session absolute lifetime, seconds (P90D). */
      readonly absolute: number;
      /** Sliding expiry / last-seen written at most once per this many seconds (PT1H). */
      readonly slide: number;
    };
  };
  readonly keys: {
    readonly query: string;
    readonly cookie: string;
    readonly email: string;
    readonly forward: string;
    readonly logout: string;
  };
  readonly vars: {
    readonly user: string;
    readonly redirect: string;
    readonly type: string;
  };
  readonly targets: {
    readonly login: string;
    readonly logout: string;
    readonly logout_one: string;
    readonly logout_all: string;
    /** The account page (sessions, app passwords) and its reveal links. */
    readonly account: string;
  };
  readonly templates: {
    /** Folder of the XHTML templates; undefined means the packaged defaults. */
    readonly path: string | undefined;
    /**
     * The XSLT stylesheet of the pages: with `transform_on: client` a URL named by an
     * xml-stylesheet PI; with `server` the absolute path of the file the daemon applies.
     */
    readonly transform: string | undefined;
    /** Who applies `transform`: the browser (the original's way) or the daemon. */
    readonly transform_on: TransformOn;
    /** State name -> file name overrides. */
    readonly mapping: Readonly<Record<string, string>>;
    /** <base href> for the mail (pages use the request URL). */
    readonly base: string | undefined;
    /** Whether a per-site override may replace the mail template. */
    readonly site_mail: boolean;
    /** Extra Content-Security-Policy sources per directive for the pages. */
    readonly csp: string | undefined;
    /** Languages offered, in order (the first for browsers asking for none of them). */
    readonly languages: readonly string[];
    /** Lower-case host -> absolute folder of that site's own template set. */
    readonly sites: Readonly<Record<string, string>>;
  };
  readonly email: {
    readonly from: string;
    readonly method: MailMethod;
    /** Transport options (nodemailer names; the Mail gem's names are mapped). */
    readonly options: Readonly<Record<string, unknown>>;
  };
  readonly knock: {
    readonly confirm: KnockConfirm;
    /** What the mailed link opens: the login target (default) or the page itself. */
    readonly opens: 'target' | 'page';
  };
  /** Hosts served besides the access list's web domains (SitePattern from policy/site-pattern). */
  readonly sites: readonly SitePattern[];
  /** How people know each site (pages, mail): one name, or host -> name; unnamed: the host. */
  readonly site_name: string | Readonly<Record<string, string>>;
  readonly addresses: {
    /** Sub-address delimiters ('' = tags are part of the address). */
    readonly recipient_delimiter: string;
    /** Local-part characters allowed besides letters, digits and . - _ +. */
    readonly extra_local_chars: string;
    /** Non-ASCII local parts allowed. */
    readonly unicode: boolean;
  };
  /** Peers (IP addresses or CIDR) whose X-Forwarded-For/-Host/-Proto are believed. */
  readonly trusted_proxies: readonly string[];
  readonly privacy: {
    /** Same page for listed, unlisted and blocked addresses. */
    readonly conceal_list: boolean;
  };
  readonly limits: {
    /** Link requests per (address, client network) per window. */
    readonly email_per_address: number;
    /** Link requests per address from all client networks per window. */
    readonly email_per_address_total: number;
    /** Link requests per client network per window. */
    readonly email_per_ip: number;
    /** Bad knock/cookie/bearer tokens per client IP per window. */
    readonly bad_tokens_per_ip: number;
    /** Window length, seconds (PT15M). */
    readonly window: number;
  };
  /** Bounds on what a FastCGI peer may hold (issue 11). */
  readonly fastcgi: {
    /** Bytes of a responder's STDIN; more gets the body_too_large page. */
    readonly max_body: number;
    readonly max_connections: number;
    /** Seconds from BEGIN_REQUEST for the whole request to arrive. */
    readonly request_timeout: number;
    /** Seconds a connection may go without starting a request. */
    readonly idle_timeout: number;
  };
  readonly cache: {
    /** Seconds a session lookup may be served from memory (bounds logout propagation). */
    readonly ttl: number;
    /** Entries kept at most. */
    readonly size: number;
  };
  readonly log: {
    readonly level: LogLevel;
  };
  readonly app_passwords: {
    /** Seconds a reveal link works (P1D). */
    readonly reveal_expiry: number;
  };
  readonly audit: {
    /** Seconds audit events are kept; 0 = forever. */
    readonly retention: number;
  };
  readonly metrics: {
    /** host:port for /healthz, /readyz, /metrics; undefined = off. */
    readonly listen: string | undefined;
  };
  readonly http: {
    /** host:port of the HTTP forward-auth listener beside FastCGI; undefined = off. */
    readonly listen: string | undefined;
    readonly trusted_proxies: readonly string[];
    readonly user_header: string;
    readonly email_header: string;
  };
}
