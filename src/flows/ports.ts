/**
 * The small interfaces the flows depend on. Adapters (store/, mail/, templates/)
 * implement them; flows never import knex, nodemailer or node:fs.
 * All times are milliseconds since the Unix epoch (UTC) from one injected Clock.
 */
import type { StateName } from '../templates/states.js';
import type { AclRow } from '../policy/acl-row.js';
import type { Clock } from '../tokens/clock.js';
import type { Random } from '../tokens/random.js';

// The core's own types, named here too so adapters keep one place to import ports from.
export type { AclRow, Clock, Random };

export type TokenKind = 'link' | 'session' | 'api' | 'pending';

export interface User {
  readonly id: number;
  /** Normalised address: lower-case, domain IDNA-encoded (normalizeAddress). */
  readonly email: string;
  /** What reaches REMOTE_USER. */
  readonly principal: string;
  readonly createdAt: number;
  readonly disabledAt: number | null;
}

export interface TokenRecord {
  /** Hex SHA-256 of the secret; the secret itself is never stored. */
  readonly hash: string;
  readonly kind: TokenKind;
  /** Owner; null for a pending-browser token, which has no user yet. */
  readonly userId: number | null;
  /** Site (host) the token is bound to. */
  readonly site: string;
  readonly createdAt: number;
  /** Idle expiry (sliding for sessions). */
  readonly expiresAt: number;
  /** Hard limit no slide can pass. */
  readonly absoluteExpiresAt: number;
  readonly usedAt: number | null;
  readonly revokedAt: number | null;
  readonly lastSeenAt: number | null;
  /** Link: the URL to send the person to. */
  readonly forward: string | null;
  /** Link: hash of the pending-browser cookie of the browser that asked for it. */
  readonly pendingHash: string | null;
  /** Session: the client address it was made from (the account page shows it). */
  readonly clientIp: string | null;
  /** Link: the language of the browser that asked for it (its mail's language); null if none did. */
  readonly language: string | null;
}

export interface NewToken {
  readonly hash: string;
  readonly kind: TokenKind;
  readonly userId: number | null;
  readonly site: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly absoluteExpiresAt: number;
  readonly forward?: string | null;
  readonly pendingHash?: string | null;
  readonly clientIp?: string | null;
  readonly language?: string | null;
}

/** What redeeming a link writes, all or nothing (TokenStore.redeemLink). */
export interface LinkRedemption {
  /** The link's hash. */
  readonly hash: string;
  /** The site the link is used on; a link of another site is not consumed. */
  readonly site: string;
  readonly now: number;
  /** The session the link starts. */
  readonly session: NewToken;
  /** Hash of the session the browser carried, revoked (a login always gets a fresh id). */
  readonly replaces: string | undefined;
  readonly audit: AuditEvent;
}

/** A session or API token joined with its user, as the hot path needs it. */
export interface SessionView {
  readonly token: TokenRecord;
  readonly user: User;
}

export interface AuditEvent {
  readonly at: number;
  readonly event: string;
  readonly site?: string | null;
  readonly address?: string | null;
  readonly ip?: string | null;
  readonly detail?: string | null;
}

/** A live session or API token with its owner's address, for `forgetpw sessions`. */
export interface TokenListing {
  readonly token: TokenRecord;
  readonly email: string;
}

/** What `forgetpw audit` asks for; every given filter must match. */
export interface AuditQuery {
  /** Events at or after this time. */
  readonly since?: number;
  /** Exact (normalised) address. */
  readonly address?: string;
  /** Exact site (host). */
  readonly site?: string;
  /** At most this many, newest first. */
  readonly limit: number;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly event: string;
  readonly site: string | null;
  readonly address: string | null;
  readonly ip: string | null;
  readonly detail: string | null;
}

export interface UserStore {
  /** Finds the user by normalised address, creating it (principal = address) if missing. */
  findOrCreate(email: string, now: number): Promise<User>;
  byEmail(email: string): Promise<User | undefined>;
  byId(id: number): Promise<User | undefined>;
  setDisabled(email: string, at: number | null): Promise<boolean>;
  list(): Promise<Array<User & { lastSeenAt: number | null }>>;
}

export interface AclStore {
  /** Rows whose domain is in `domains` and address in `addresses` (one query). */
  find(domains: readonly string[], addresses: readonly string[]): Promise<readonly AclRow[]>;
  /** Insert or update rows, all or nothing. */
  put(rows: readonly AclRow[], now: number): Promise<void>;
  list(domain?: string): Promise<AclRow[]>;
  /** Whether some row names `host` as its web domain, which makes it one of the gate's sites. */
  namesSite(host: string): Promise<boolean>;
  /** The distinct web domains the rows name ('' for every site), for the start-up check. */
  domains(): Promise<string[]>;
}

export interface TokenStore {
  insert(token: NewToken): Promise<void>;
  get(hash: string): Promise<TokenRecord | undefined>;
  /** Session/API token with its user in one query. */
  session(hash: string): Promise<SessionView | undefined>;
  /**
   * In one transaction: marks an unused, unrevoked, unexpired link of `site` as used,
   * revokes the session it replaces, inserts the new session and records the login.
   * Exactly one concurrent caller gets the link back; the others get undefined and
   * write nothing. If any write fails, none is kept and the link stays usable.
   */
  redeemLink(redemption: LinkRedemption): Promise<TokenRecord | undefined>;
  /** Writes a slid expiry and last-seen (called at most once per slide interval). */
  touch(hash: string, expiresAt: number, now: number): Promise<void>;
  revoke(hash: string, now: number): Promise<void>;
  /**
   * Revokes every session/link of the user still usable at `now` (not API tokens
   * unless `includeApi`); returns how many.
   */
  revokeUser(userId: number, now: number, includeApi?: boolean): Promise<number>;
  /** Deletes a link row (used when its mail could not be sent). */
  remove(hash: string): Promise<void>;
  /** Deletes rows expired before `before`. */
  purge(before: number): Promise<number>;
  /**
   * Unrevoked session and API tokens not yet expired at `now` (idle or absolute),
   * of one user when `userId` is given; newest first.
   */
  live(now: number, userId?: number): Promise<TokenListing[]>;
}

/** An app password (SPEC §10): born as a reveal link, a `tokens` row of kind api once revealed. */
export interface AppPassword {
  /** Public id (not a secret): what the CLI and the account page name it by. */
  readonly id: string;
  readonly userId: number;
  readonly email: string;
  /** Host it works on; '' for every site the person may see. */
  readonly site: string;
  readonly label: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** Host the reveal link was built for. */
  readonly revealSite: string;
  readonly revealExpiresAt: number;
  readonly revealedAt: number | null;
  readonly revokedAt: number | null;
  /** Hash of the password (its `tokens` row), once revealed. */
  readonly tokenHash: string | null;
  /** When the password was last used (written at most once per slide interval). */
  readonly lastUsedAt: number | null;
}

export interface NewAppPassword {
  readonly id: string;
  readonly userId: number;
  readonly site: string;
  readonly label: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revealHash: string;
  readonly revealSite: string;
  readonly revealExpiresAt: number;
}

/** What using a reveal link found; only `revealed` made a password. */
export type RevealResult =
  | { readonly kind: 'revealed'; readonly password: AppPassword }
  | { readonly kind: 'used' }
  | { readonly kind: 'expired'; readonly password: AppPassword }
  | { readonly kind: 'not-found' };

export interface AppPasswordStore {
  create(password: NewAppPassword): Promise<void>;
  /** By the hash of its reveal link's secret. */
  byRevealHash(revealHash: string): Promise<AppPassword | undefined>;
  /**
   * Uses the reveal link atomically: marks it revealed and inserts the password's
   * token (hash `tokenHash`) in one transaction. Of concurrent callers exactly one
   * gets `revealed`; the others `used`.
   */
  reveal(revealHash: string, site: string, tokenHash: string, now: number): Promise<RevealResult>;
  /** Of one user when `userId` is given; newest first. Revoked ones left out. */
  list(userId?: number): Promise<AppPassword[]>;
  /**
   * Revokes the password (and its link, if unrevealed), if it exists, is not revoked
   * yet and belongs to `userId` when given. Returns it (with `tokenHash`) or undefined.
   */
  revoke(id: string, now: number, userId?: number): Promise<AppPassword | undefined>;
}

export interface LimitStore {
  /** Adds one to the counter `key` for the window starting at `windowStart`; returns the new count. */
  hit(key: string, windowStart: number): Promise<number>;
  purge(before: number): Promise<number>;
}

export interface AuditStore {
  record(event: AuditEvent): Promise<void>;
  /** Matching events, newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
  /** Deletes events older than `before` (the retention setting); returns how many. */
  purge(before: number): Promise<number>;
}

export interface Store {
  readonly users: UserStore;
  readonly acl: AclStore;
  readonly tokens: TokenStore;
  readonly appPasswords: AppPasswordStore;
  readonly limits: LimitStore;
  readonly audit: AuditStore;
  /** Cheap query proving the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface MailMessage {
  readonly to: string;
  /** Display name for a bare `email.from` (the site's name), so the mail does not come from a robot. */
  readonly fromName?: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface Mailer {
  /** Resolves when the transport accepted the message; rejects otherwise. */
  send(message: MailMessage): Promise<void>;
  /** Checks the transport (SMTP connect) without sending; used by `check`. */
  verify(): Promise<void>;
  close(): void;
}

/**
 * Template variables: a string for `<?var?>` and `$NAME`, or rows for an element
 * marked `data-repeat="NAME"` (repeated once per row, the row's names beside the page's).
 */
export interface Vars {
  readonly [name: string]: string | Rows;
}
export type Rows = readonly Vars[];

export interface RenderOptions {
  /** The request's Accept header ('' when absent). */
  readonly accept: string;
  /** DOCUMENT_ROOT for per-site overrides in $DOCUMENT_ROOT/.forgetpw/. */
  readonly documentRoot: string | undefined;
  /** <base href> (the request URL for pages). */
  readonly base: string | undefined;
  /** The language negotiated for the request (requestLanguage); English when not given. */
  readonly language?: string;
  /** The site, for its own template set (templates.sites). */
  readonly host?: string;
}

/** Which set a mail comes from: the language of the browser that asked, and the site. */
export interface MailWhere {
  readonly language?: string;
  readonly host?: string;
}

export interface RenderedPage {
  readonly contentType: string;
  readonly body: Buffer;
  /** The language the template is written in (Content-Language); English when a translation was missing. */
  readonly language: string;
}

export interface RenderedMail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly language: string;
}

export interface Pages {
  page(state: StateName, vars: Vars, options: RenderOptions): RenderedPage;
  /** The link mail, or another mail template (`state`, e.g. the app-password reveal mail). */
  mail(vars: Vars, documentRoot: string | undefined, state?: StateName, where?: MailWhere): RenderedMail;
}
