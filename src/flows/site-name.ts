import type { Config } from '../config/config.js';

/** The name people know a site by (`site_name`), for titles, headings and the mail; else its host. */
export function siteName(config: Pick<Config, 'site_name'>, host: string): string {
  const names = config.site_name;
  if (typeof names === 'string') return names.trim() === '' ? host : names;
  return Object.hasOwn(names, host) ? (names[host] ?? host) : host;
}
