/** Tokens as stored: links, sessions, API tokens and pending-browser marks (SPEC §4). */
import type { User } from '../policy/user.js';

export type TokenKind = 'link' | 'session' | 'api' | 'pending';

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

/** A session or API token joined with its user, as the hot path needs it. */
export interface SessionView {
  readonly token: TokenRecord;
  readonly user: User;
}
