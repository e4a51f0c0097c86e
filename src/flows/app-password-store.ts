import type { AppPassword, NewAppPassword, RevealResult } from '../tokens/app-password.js';

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
