import { clientNetwork } from '../http/client-network.js';
import type { FlowDeps } from './flow-deps.js';

/**
 * `reveal-ip`: bad app-password reveal links; `code-ip`: typed one-time codes (issue 16). Both
 * are counted against `limits.bad_tokens_per_ip`, each in a counter of its own.
 */
export type ThrottleKind =
  'email-address' | 'email-address-total' | 'email-ip' | 'bad-token-ip' | 'reveal-ip' | 'code-ip';

/**
 * Fixed-window counters kept in the database, so every daemon sharing it counts
 * together. Returns the seconds to wait when `subject` is over its limit, else 0.
 *
 * Addresses are counted per (address, client network) and, with a higher cap, in
 * total: five requests from anywhere no longer lock a person out of their own links
 * (issue 10). Client addresses are counted by network (IPv6 by /64).
 */
export async function throttle(
  deps: FlowDeps,
  kind: ThrottleKind,
  subject: { readonly ip: string; readonly address?: string },
): Promise<number> {
  const { limits } = deps.config;
  const net = clientNetwork(subject.ip);
  const [max, key] =
    kind === 'email-address'
      ? [limits.email_per_address, `${subject.address ?? ''}|${net}`]
      : kind === 'email-address-total'
        ? [limits.email_per_address_total, subject.address ?? '']
        : kind === 'email-ip'
          ? [limits.email_per_ip, net]
          : [limits.bad_tokens_per_ip, net];
  if (max <= 0) return 0;
  const windowMs = limits.window * 1000;
  const now = deps.clock.now();
  const windowStart = now - (now % windowMs);
  const count = await deps.store.limits.hit(`${kind}:${key}`, windowStart);
  if (count <= max) return 0;
  return Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
}
