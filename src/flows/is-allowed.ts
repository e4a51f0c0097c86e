import { accessCandidates, decideAccess } from '../policy/decide-access.js';
import type { AclStore } from './ports.js';

/** SPEC §3: may `address` log in to `host`? One query, then the pure walk. */
export async function isAllowed(acl: AclStore, host: string, address: string): Promise<boolean> {
  const { domains, addresses } = accessCandidates(host, address);
  const rows = await acl.find(domains, addresses);
  return decideAccess(host, address, rows).allowed;
}
