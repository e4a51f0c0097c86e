import { withoutParam } from '../http/query.js';

/**
 * The URL mailed to the person: the forward URL with the link token as its last
 * query parameter (any stale token removed), before any fragment.
 */
export function linkUrl(forward: string, key: string, secret: string): string {
  const hashAt = forward.indexOf('#');
  const beforeHash = hashAt === -1 ? forward : forward.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const base = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? '' : withoutParam(beforeHash.slice(queryAt + 1), key);
  const param = `${encodeURIComponent(key)}=${secret}`;
  return `${base}?${query === '' ? param : `${query}&${param}`}`;
}

/** The forward URL without the link token, for display and as the place to return to. */
export function withoutLinkToken(forward: string, key: string): string {
  const hashAt = forward.indexOf('#');
  const beforeHash = hashAt === -1 ? forward : forward.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt === -1) return beforeHash;
  const query = withoutParam(beforeHash.slice(queryAt + 1), key);
  return query === '' ? beforeHash.slice(0, queryAt) : `${beforeHash.slice(0, queryAt)}?${query}`;
}

/** `https://site.example/a/` -> `site.example/a` (the original's PRETTY_URL). */
export function prettyUrl(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

/**
 * `2026-11-22 14:05 UTC` (German `22.11.2026, 14:05 UTC`, French `22/11/2026 14:05 UTC`): an
 * absolute time that reads the same in every mail client, written as the page's language writes
 * dates; always UTC, as we cannot know the reader's zone.
 */
export function utcMinute(ms: number, language = 'en'): string {
  const iso = new Date(ms).toISOString();
  if (language === 'de')
    return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}, ${iso.slice(11, 16)} UTC`;
  if (language === 'fr')
    return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)} UTC`;
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
