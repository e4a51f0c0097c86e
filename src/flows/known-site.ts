import { matchesSitePattern } from '../policy/site-pattern.js';
import type { FlowDeps } from './flow-deps.js';
import { NOT_AT_HAND } from './reads-at-hand.js';

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

/** The same from the reads at hand; undefined when the access list would have to be asked. */
export function isKnownSiteNow(deps: FlowDeps, host: string): boolean | undefined {
  if (host === '') return false;
  if (matchesSitePattern(host, deps.config.sites)) return true;
  const named = deps.store.atHand?.namesSite(host) ?? NOT_AT_HAND;
  return named === NOT_AT_HAND ? undefined : named;
}
