import type { AuditEvent } from '../policy/audit-event.js';
import type { NewToken, SessionView, TokenRecord } from '../tokens/token-record.js';

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

/** A live session or API token with its owner's address, for `forgetpw sessions`. */
export interface TokenListing {
  readonly token: TokenRecord;
  readonly email: string;
}

export interface TokenStore {
  insert(token: NewToken): Promise<void>;
  get(hash: string): Promise<TokenRecord | undefined>;
  /** The link mailed for the request of this pending-cookie hash (its code's link), if any. */
  linkByPending(pendingHash: string): Promise<TokenRecord | undefined>;
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
