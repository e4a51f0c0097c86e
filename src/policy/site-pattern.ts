import { normalizeHostName } from './normalize-host-name.js';

/**
 * One entry of the `sites` setting: a host the gate serves, or every subdomain of
 * a domain (`*.example`: `a.example`, `b.a.example`, not `example` itself). The
 * site of a request is never taken on the word of its Host header alone (issue 10:
 * a link mailed for `Host: evil.test` went to the attacker): it must be one of these,
 * or a web domain the access list names.
 */
export interface SitePattern {
  /** The host, or the parent domain when `subdomains` is set; normalised. */
  readonly host: string;
  readonly subdomains: boolean;
}

export function parseSitePattern(input: string): SitePattern | undefined {
  const text = input.trim();
  const subdomains = text.startsWith('*.');
  const host = normalizeHostName(subdomains ? text.slice(2) : text);
  if (host === undefined || (subdomains && (host.startsWith('[') || /^[0-9.]+$/.test(host))))
    return undefined;
  return { host, subdomains };
}

/** Whether `host` (already normalised) is covered by one of `patterns`. */
export function matchesSitePattern(host: string, patterns: readonly SitePattern[]): boolean {
  for (const pattern of patterns) {
    if (pattern.subdomains ? host.endsWith(`.${pattern.host}`) : host === pattern.host) return true;
  }
  return false;
}
