/**
 * Whether a session or API token may still act at `now`: not revoked, and neither
 * its idle nor its absolute expiry has passed (SPEC §4). Times are epoch milliseconds.
 */
export function isLive(
  token: {
    readonly revokedAt: number | null;
    readonly expiresAt: number;
    readonly absoluteExpiresAt: number;
  },
  now: number,
): boolean {
  return token.revokedAt === null && now < token.expiresAt && now < token.absoluteExpiresAt;
}
