import type { AclRow } from '../policy/acl-row.js';

export interface AclStore {
  /** Rows whose domain is in `domains` and address in `addresses` (one query). */
  find(domains: readonly string[], addresses: readonly string[]): Promise<readonly AclRow[]>;
  /** Insert or update rows, all or nothing. */
  put(rows: readonly AclRow[], now: number): Promise<void>;
  list(domain?: string): Promise<AclRow[]>;
  /** Whether some row names `host` as its web domain, which makes it one of the gate's sites. */
  namesSite(host: string): Promise<boolean>;
  /** The distinct web domains the rows name ('' for every site), for the start-up check. */
  domains(): Promise<string[]>;
}
