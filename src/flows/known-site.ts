import { matchesSitePattern } from '../policy/site-pattern.js';
import type { FlowDeps } from './flow-deps.js';

/**
 * Is `host` one of the gate's sites (issue 10, item 1)? It is when the `sites`
 * setting covers it or an access-list row names it as its web domain; a parent
 * domain's rows do not make its subdomains sites, since whoever can point a
 * subdomain elsewhere could otherwise have links mailed for it. Links are mailed,
 * redeemed and sessions accepted only for such hosts.
 */
export async function isKnownSite(deps: FlowDeps, host: string): Promise<boolean> {
  if (host === '') return false;
  if (matchesSitePattern(host, deps.config.sites)) return true;
  return deps.store.acl.namesSite(host);
}
