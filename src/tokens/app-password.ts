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
