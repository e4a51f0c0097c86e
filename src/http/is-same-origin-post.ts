import type { GateRequest } from './gate-request.js';

/**
 * CSRF guard for the gate's POSTs (PEERS T13): browsers say where a form was
 * submitted from. `Sec-Fetch-Site` must be same-origin (or none: typed or
 * bookmarked); without it, `Origin`, when sent, must be this site. A request
 * with neither header is not from a browser that could be tricked into it.
 */
export function isSameOriginPost(req: GateRequest): boolean {
  const fetchSite = req.headers['sec-fetch-site']?.trim().toLowerCase();
  if (fetchSite !== undefined && fetchSite !== '') return fetchSite === 'same-origin' || fetchSite === 'none';
  const origin = req.headers.origin?.trim().toLowerCase();
  if (origin === undefined || origin === '') return true;
  return origin === `${req.scheme}://${req.authority}`.toLowerCase();
}
