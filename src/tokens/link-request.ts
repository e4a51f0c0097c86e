/**
 * A request for a link, as the browser that asked knows it (SPEC §11): found by the hash of
 * its pending cookie, it carries what the "check your e-mail" page shows and the code's state.
 */
export interface LinkRequest {
  /** Hex SHA-256 of the pending cookie. */
  readonly pendingHash: string;
  readonly site: string;
  /** Normalised address the mail went (or, concealing the list, would go) to. */
  readonly address: string;
  /** Where the person goes once logged in. */
  readonly forward: string;
  /** The code's hash, keyed with the pending cookie (tokens/hash-code.ts). */
  readonly codeHash: string;
  /** Wrong codes typed so far. */
  readonly codeTries: number;
  readonly createdAt: number;
  /** The link's expiry: the code lives as long. */
  readonly expiresAt: number;
  /** When the wrong tries ran out; null while the code is alive. */
  readonly endedAt: number | null;
}

export type NewLinkRequest = Omit<LinkRequest, 'codeTries' | 'endedAt'>;
