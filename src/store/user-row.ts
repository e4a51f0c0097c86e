/** How a `users` row becomes the flows' User. */
import type { User } from '../policy/user.js';

export interface UserRow {
  readonly id: number;
  readonly email: string;
  readonly principal: string;
  readonly created_at: number;
  readonly disabled_at: number | null;
  readonly last_seen_at: number | null;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    principal: row.principal,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}
