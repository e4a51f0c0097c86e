/**
 * Session lifetime (SPEC §4): an idle window slid forward on use, never past the
 * absolute cap set at login. Times are epoch milliseconds from the one Clock;
 * durations are seconds, as the config holds them.
 */
export function sessionExpiry(now: number, idleSeconds: number, absoluteExpiresAt: number): number {
  return Math.min(now + idleSeconds * 1000, absoluteExpiresAt);
}
