import type { AclRow } from '../policy/acl-row.js';
import type { SessionView } from '../tokens/token-record.js';

/** What a read at hand answers when answering would need the database. */
export const NOT_AT_HAND: unique symbol = Symbol('not at hand');
export type NotAtHand = typeof NOT_AT_HAND;

/**
 * The hot path's three reads answered from memory, synchronously, or `NOT_AT_HAND` (issue 18): the
 * session cache offers them, so that a check whose answers are all cached is decided without a
 * promise (flows/authorize-now.ts). Each answers exactly what its `Store` method would.
 */
export interface ReadsAtHand {
  session(hash: string): SessionView | undefined | NotAtHand;
  aclRows(domains: readonly string[], addresses: readonly string[]): readonly AclRow[] | NotAtHand;
  namesSite(host: string): boolean | NotAtHand;
}
