import type { LinkRequest, NewLinkRequest } from '../tokens/link-request.js';

export interface LinkRequestStore {
  insert(request: NewLinkRequest): Promise<void>;
  get(pendingHash: string): Promise<LinkRequest | undefined>;
  /**
   * Counts one wrong code, atomically. The try that reaches `maxTries` also ends the request
   * and revokes its unused link, in the same transaction. Returns the tries left; 0 when the
   * request is ended (by this try or before), unknown, or changed nothing.
   */
  wrongCode(pendingHash: string, maxTries: number, now: number): Promise<number>;
  /** Deletes requests expired before `before`. */
  purge(before: number): Promise<number>;
}
