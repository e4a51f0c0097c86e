import type { Config } from '../config/config.js';
import type { AclStore } from '../flows/acl-store.js';
import { AppError } from '../errors/app-error.js';

/**
 * Fails at start when the gate cannot know its sites (issue 10): rows for every
 * site (`privilege` without `-d`) name no host, so with an empty `sites` setting
 * every Host an attacker sends would have to be believed or every request refused.
 * Returns the web domains the access list names, for the start-up log.
 */
export async function assertSitesKnown(config: Config, acl: AclStore): Promise<string[]> {
  const domains = await acl.domains();
  const named = domains.filter((domain) => domain !== '');
  if (config.sites.length === 0 && named.length === 0 && domains.includes('')) {
    throw new AppError(
      'CONFIG_INVALID',
      'sites: the access list grants every site (privilege without -d) but names no site, and `sites` is empty',
      {
        details: [
          'list the host names this gate serves under `sites` in forgetpw.yml (`*.example` takes in its subdomains),',
          'or grant per site: forgetpw privilege -d SITE ADDRESS|EMAILDOMAIN',
        ],
      },
    );
  }
  return named;
}
