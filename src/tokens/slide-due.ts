import { sessionExpiry } from './session-expiry.js';

/**
 * The expiry to write for a session used at `now`, or undefined when the stored one
 * is close enough: a busy session is written at most once per `slideSeconds` (PEERS
 * T15) instead of on every request, as the original did. The cap itself is always
 * written once, so a session lives to its absolute limit and not a slide short of it.
 * An expired session is never revived; the caller has refused it already.
 */
export function slideDue(
  storedExpiresAt: number,
  now: number,
  idleSeconds: number,
  absoluteExpiresAt: number,
  slideSeconds: number,
): number | undefined {
  if (storedExpiresAt <= now) return undefined;
  const wanted = sessionExpiry(now, idleSeconds, absoluteExpiresAt);
  if (wanted <= storedExpiresAt) return undefined;
  if (wanted === absoluteExpiresAt) return wanted;
  return wanted - storedExpiresAt >= slideSeconds * 1000 ? wanted : undefined;
}
