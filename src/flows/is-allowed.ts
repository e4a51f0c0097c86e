import { accessCandidates, decideAccess, type AccessCandidates } from '../policy/decide-access.js';
import type { AclStore } from './ports.js';

/**
 * The candidates of a (host, address) pair never change, and normalising both
 * (IDNA, Unicode forms) is the costliest part of a check on the hot path, so
 * they are remembered; the memo is bounded and simply starts over when full.
 */
const MEMO_MAX = 10_000;
const memo = new Map<string, AccessCandidates>();

function candidatesFor(host: string, address: string): AccessCandidates {
  const key = `${host}\n${address}`;
  let candidates = memo.get(key);
  if (candidates === undefined) {
    candidates = accessCandidates(host, address);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(key, candidates);
  }
  return candidates;
}

/** SPEC §3: may `address` log in to `host`? One query, then the pure walk. */
export async function isAllowed(acl: AclStore, host: string, address: string): Promise<boolean> {
  const candidates = candidatesFor(host, address);
  const rows = await acl.find(candidates.domains, candidates.addresses);
  return decideAccess(host, address, rows, candidates).allowed;
}
