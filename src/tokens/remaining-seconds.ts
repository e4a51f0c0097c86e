/**
 * Whole seconds left until `expiresAt`, for a cookie's Max-Age. Rounded down so the
 * browser never keeps a cookie the server has already expired; never negative.
 */
export function remainingSeconds(expiresAt: number, now: number): number {
  return Math.max(0, Math.floor((expiresAt - now) / 1000));
}
