import { decodeFormComponent } from './form-component.js';

/**
 * Reading the raw query of a request without ever throwing. Pairs are split on '&'
 * only; a name without '=' has the value ''.
 */
function nameOf(pair: string): string {
  const eq = pair.indexOf('=');
  return decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
}

/** The value of `name` in `rawQuery` (no leading '?'); the last occurrence wins, as Rack's did. */
export function queryParam(rawQuery: string, name: string): string | undefined {
  let found: string | undefined;
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || nameOf(pair) !== name) continue;
    const eq = pair.indexOf('=');
    found = eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1));
  }
  return found;
}

/** `rawQuery` without any occurrence of `name`; every other pair kept byte for byte. */
export function withoutParam(rawQuery: string, name: string): string {
  return rawQuery
    .split('&')
    .filter((pair) => pair === '' || nameOf(pair) !== name)
    .join('&');
}
