import type { FlowDeps } from './flow-deps.js';

/** `reveal-ip`: bad app-password reveal links, counted against `limits.bad_tokens_per_ip`. */
export type ThrottleKind = 'email-address' | 'email-ip' | 'bad-token-ip' | 'reveal-ip';

/**
 * Fixed-window counters kept in the database, so every daemon sharing it counts
 * together. Returns the seconds to wait when `key` is over its limit, else 0.
 */
export async function throttle(deps: FlowDeps, kind: ThrottleKind, subject: string): Promise<number> {
  const { limits } = deps.config;
  const max =
    kind === 'email-address'
      ? limits.email_per_address
      : kind === 'email-ip'
        ? limits.email_per_ip
        : limits.bad_tokens_per_ip;
  if (max <= 0) return 0;
  const windowMs = limits.window * 1000;
  const now = deps.clock.now();
  const windowStart = now - (now % windowMs);
  const count = await deps.store.limits.hit(`${kind}:${subject}`, windowStart);
  if (count <= max) return 0;
  return Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
}
