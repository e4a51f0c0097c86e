/** A person the gate knows (one row of `users`). */
export interface User {
  readonly id: number;
  /** Normalised address: lower-case, domain IDNA-encoded (normalizeAddress). */
  readonly email: string;
  /** What reaches REMOTE_USER. */
  readonly principal: string;
  readonly createdAt: number;
  readonly disabledAt: number | null;
}
