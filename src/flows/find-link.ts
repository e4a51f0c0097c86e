import { hashSecret } from '../tokens/hash-secret.js';
import { isWellFormedSecret } from '../tokens/is-well-formed-secret.js';
import type { GateRequest } from '../http/gate-request.js';
import type { FlowDeps } from './flow-deps.js';
import { isAllowed } from './is-allowed.js';
import type { TokenRecord } from '../tokens/token-record.js';
import type { User } from '../policy/user.js';

export type LinkLookup =
  | { readonly kind: 'valid'; readonly hash: string; readonly link: TokenRecord; readonly user: User }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'other-site' }
  /** Expired or used: the record, so the page can pre-fill its owner and go on for a live session. */
  | { readonly kind: 'expired'; readonly link: TokenRecord }
  | { readonly kind: 'no-user' };

/** Reads a link without consuming it: what page would its use lead to? */
export async function findLink(deps: FlowDeps, req: GateRequest, secret: string): Promise<LinkLookup> {
  if (!isWellFormedSecret(secret)) return { kind: 'malformed' };
  const hash = hashSecret(secret);
  return lookUpLink(deps, req, hash, await deps.store.tokens.get(hash));
}

/** The same judgement of a link row already read (by its hash, or by its code's request). */
export async function lookUpLink(
  deps: FlowDeps,
  req: GateRequest,
  hash: string,
  link: TokenRecord | undefined,
): Promise<LinkLookup> {
  // Links are bound to the site they were requested for (SPEC §2.3).
  if (link === undefined || link.kind !== 'link' || link.userId === null) return { kind: 'not-found' };
  if (link.site !== req.host) return { kind: 'other-site' };
  const now = deps.clock.now();
  if (link.usedAt !== null || link.revokedAt !== null || now >= link.expiresAt)
    return { kind: 'expired', link };
  const user = await deps.store.users.byId(link.userId);
  if (user === undefined || user.disabledAt !== null) return { kind: 'no-user' };
  if (!(await isAllowed(deps.store.acl, req.host, user.email))) return { kind: 'no-user' };
  return { kind: 'valid', hash, link, user };
}
