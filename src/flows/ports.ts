/**
 * The small interfaces the flows depend on. Adapters (store/, mail/, templates/)
 * implement them; flows never import knex, nodemailer or node:fs.
 * All times are milliseconds since the Unix epoch (UTC) from one injected Clock.
 */
import type { StateName } from '../templates/states.js';

export interface Clock {
  /** Milliseconds since the epoch, UTC. */
  now(): number;
}

export interface Random {
  /** Cryptographically secure random bytes. */
  bytes(size: number): Buffer;
}

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

export interface AclRow {
  /** Web domain; '' is the wildcard (every site). */
  readonly domain: string;
  /** Full address or e-mail domain. */
  readonly address: string;
  readonly allow: boolean;
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
  readonly limits: LimitStore;
  readonly audit: AuditStore;
  /** Cheap query proving the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface MailMessage {
  readonly to: string;
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

export type Vars = Readonly<Record<string, string>>;

export interface RenderOptions {
  /** The request's Accept header ('' when absent). */
  readonly accept: string;
  /** DOCUMENT_ROOT for per-site overrides in $DOCUMENT_ROOT/.forgetpw/. */
  readonly documentRoot: string | undefined;
  /** <base href> (the request URL for pages). */
  readonly base: string | undefined;
}

export interface RenderedPage {
  readonly contentType: string;
  readonly body: Buffer;
}

export interface RenderedMail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface Pages {
  page(state: StateName, vars: Vars, options: RenderOptions): RenderedPage;
  mail(vars: Vars, documentRoot: string | undefined): RenderedMail;
}
