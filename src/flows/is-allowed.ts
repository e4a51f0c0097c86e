import { accessCandidates, decideAccess, type AccessCandidates } from '../policy/decide-access.js';
import type { AclRow } from '../policy/acl-row.js';
import type { AclStore } from './acl-store.js';
import { NOT_AT_HAND, type ReadsAtHand } from './reads-at-hand.js';

interface Memo {
  readonly candidates: AccessCandidates;
  /** The rows last decided on, and what they decided. */
  rows?: readonly AclRow[];
  allowed?: boolean;
}

/**
 * The candidates of a (host, address) pair never change, and normalising both
 * (IDNA, Unicode forms) is the costliest part of a check on the hot path, so
 * they are remembered, with the last decision: while the session cache hands back
 * the same rows, the walk is not repeated. The memo is bounded and simply starts
 * over when full.
 */
const MEMO_MAX = 10_000;
/** By host, then by address: no key string is built per check. */
const memos = new Map<string, Map<string, Memo>>();
let memoCount = 0;

function memoFor(host: string, address: string): Memo {
  let byAddress = memos.get(host);
  let memo = byAddress?.get(address);
  if (memo === undefined) {
    memo = { candidates: accessCandidates(host, address) };
    if (memoCount >= MEMO_MAX) {
      memos.clear();
      memoCount = 0;
      byAddress = undefined;
    }
    if (byAddress === undefined) memos.set(host, (byAddress = new Map<string, Memo>()));
    byAddress.set(address, memo);
    memoCount++;
  }
  return memo;
}

/** SPEC §3: may `address` log in to `host`? One query, then the pure walk. */
export async function isAllowed(acl: AclStore, host: string, address: string): Promise<boolean> {
  const memo = memoFor(host, address);
  const { candidates } = memo;
  return decided(host, address, memo, await acl.find(candidates.domains, candidates.addresses));
}

/** The same from the rows at hand; undefined when they are not cached. */
export function isAllowedNow(atHand: ReadsAtHand, host: string, address: string): boolean | undefined {
  const memo = memoFor(host, address);
  const { candidates } = memo;
  const rows = atHand.aclRows(candidates.domains, candidates.addresses);
  return rows === NOT_AT_HAND ? undefined : decided(host, address, memo, rows);
}

function decided(host: string, address: string, memo: Memo, rows: readonly AclRow[]): boolean {
  if (rows !== memo.rows || memo.allowed === undefined) {
    memo.allowed = decideAccess(host, address, rows, memo.candidates).allowed;
    memo.rows = rows;
  }
  return memo.allowed;
}
