import type { User } from '../policy/user.js';

export interface UserStore {
  /** Finds the user by normalised address, creating it (principal = address) if missing. */
  findOrCreate(email: string, now: number): Promise<User>;
  byEmail(email: string): Promise<User | undefined>;
  byId(id: number): Promise<User | undefined>;
  setDisabled(email: string, at: number | null): Promise<boolean>;
  list(): Promise<Array<User & { lastSeenAt: number | null }>>;
}
