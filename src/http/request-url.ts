import type { GateRequest } from './gate-request.js';
import { withoutParam } from './query.js';

type UrlParts = Pick<GateRequest, 'scheme' | 'authority' | 'uri' | 'path' | 'query'>;

/** The absolute URL the person asked for: the `forward` of the login form. */
export function requestUrl(req: UrlParts): string {
  return `${req.scheme}://${req.authority}${req.uri}`;
}

/** The same URL without any occurrence of query parameter `param` (the link token). */
export function requestUrlWithout(req: UrlParts, param: string): string {
  const query = withoutParam(req.query, param);
  return `${req.scheme}://${req.authority}${req.path}${query === '' ? '' : `?${query}`}`;
}
