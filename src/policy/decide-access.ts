import type { AclRow } from './acl-row.js';
import { normalizeAddress, STORED_ADDRESS_RULES } from './normalize-address.js';
import { normalizeHostName } from './normalize-host-name.js';

/**
 * Who may log in where (SPEC §3, the original's `ACL.listed?`). For a request to host
 * H by address A, walk H from most to least specific (`a.b.example`, `b.example`,
 * `example`, then '' the wildcard); at each level the exact address beats the
 * narrowest matching e-mail domain; the first row found decides; no row: denied.
 * So the web-domain level dominates: a permit at `site.example` beats a block at '*'.
 */
export interface AccessCandidates {
  /** Web-domain levels, most specific first, ending with '' (the wildcard). */
  readonly domains: string[];
  /** The address, then its e-mail domain from most specific down to the bare TLD. */
  readonly addresses: string[];
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** The row that decided; absent when none matched (denied by default). */
  readonly rule?: AclRow;
}

function webLevels(host: string): string[] {
  const name = normalizeHostName(host.trim());
  if (name === undefined) return [''];
  // An IP literal has no parent domains: `0.0.1` means nothing.
  if (name.startsWith('[') || /^[0-9.]+$/.test(name)) return [name, ''];
  const labels = name.split('.');
  return [...labels.map((_, i) => labels.slice(i).join('.')), ''];
}

function addressLevels(address: string): string[] {
  const normalized = normalizeAddress(address, STORED_ADDRESS_RULES);
  if (!normalized.ok) return [];
  const at = normalized.address.lastIndexOf('@');
  const labels = normalized.address.slice(at + 1).split('.');
  return [normalized.address, ...labels.map((_, i) => labels.slice(i).join('.'))];
}

/** Every (domain, address) pair that could decide, for one store query (`AclStore.find`). */
export function accessCandidates(host: string, address: string): AccessCandidates {
  return { domains: webLevels(host), addresses: addressLevels(address) };
}

/** Applies the walk to the rows `AclStore.find` returned for `accessCandidates`. */
export function decideAccess(
  host: string,
  address: string,
  rows: readonly AclRow[],
  /** What `accessCandidates(host, address)` returned, when the caller has it. */
  candidates: AccessCandidates = accessCandidates(host, address),
): AccessDecision {
  const byKey = new Map<string, AclRow>();
  for (const row of rows) {
    const key = `${row.domain}\n${row.address}`;
    if (!byKey.has(key)) byKey.set(key, row);
  }
  const { domains, addresses } = candidates;
  for (const domain of domains) {
    for (const candidate of addresses) {
      const rule = byKey.get(`${domain}\n${candidate}`);
      if (rule !== undefined) return { allowed: rule.allow, rule };
    }
  }
  return { allowed: false };
}
