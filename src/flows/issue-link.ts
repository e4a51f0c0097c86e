import { hashSecret } from '../tokens/hash-secret.js';
import { newSecret } from '../tokens/new-secret.js';
import { linkUrl } from './link-url.js';
import type { Random } from '../tokens/random.js';
import type { TokenStore } from './token-store.js';

export interface LinkOrder {
  readonly userId: number;
  /** The site the link works on (SPEC §2.3). */
  readonly site: string;
  /** Where the link leads, without any link token. */
  readonly forward: string;
  /** What the link opens, when not `forward` itself: the login target (`knock.opens: target`). */
  readonly opens?: string;
  /** Query parameter the token travels in (`keys.query`). */
  readonly queryKey: string;
  readonly lifetimeSeconds: number;
  readonly now: number;
  /** Hash of the requesting browser's pending cookie; null: every browser confirms (`mint`). */
  readonly pendingHash: string | null;
  /** The asking browser's language, remembered with the link; absent for `mint`. */
  readonly language?: string;
}

export interface IssuedLink {
  /** The stored hash, to remove the link if its mail never leaves. */
  readonly hash: string;
  /** The URL with the token: what the person opens. */
  readonly url: string;
  readonly expiresAt: number;
}

/**
 * Stores a new single-use link and answers its URL: the one way links are made,
 * whether mailed (request-link) or handed out by an admin (`forgetpw mint`).
 */
export async function issueLink(tokens: TokenStore, random: Random, order: LinkOrder): Promise<IssuedLink> {
  const secret = newSecret(random);
  const hash = hashSecret(secret);
  const expiresAt = order.now + order.lifetimeSeconds * 1000;
  await tokens.insert({
    hash,
    kind: 'link',
    userId: order.userId,
    site: order.site,
    createdAt: order.now,
    expiresAt,
    absoluteExpiresAt: expiresAt,
    forward: order.forward,
    pendingHash: order.pendingHash,
    language: order.language ?? null,
  });
  return { hash, url: linkUrl(order.opens ?? order.forward, order.queryKey, secret), expiresAt };
}
