import { readCookie } from '../http/cookies.js';
import type { GateRequest } from '../http/gate-request.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { isWellFormedSecret } from '../tokens/is-well-formed-secret.js';
import type { FlowDeps } from './flow-deps.js';
import { pendingCookieName } from './pending-cookie-name.js';
import type { LinkRequest } from '../tokens/link-request.js';

export type RequestLookup =
  /** This browser asked for no link here (no pending cookie, or one we do not know). */
  | { readonly kind: 'none' }
  | { readonly kind: 'expired'; readonly request: LinkRequest }
  /** The code's wrong tries ran out. */
  | { readonly kind: 'ended'; readonly request: LinkRequest }
  | { readonly kind: 'live'; readonly request: LinkRequest; readonly pending: string };

/**
 * The link request of the browser that sent `req`, found by its pending cookie (SPEC §11):
 * the cookie is the only thing that names it, so neither the URL nor a form carries a secret.
 */
export async function findLinkRequest(deps: FlowDeps, req: GateRequest): Promise<RequestLookup> {
  const pending = readCookie(req.headers.cookie, pendingCookieName(deps.config));
  if (pending === undefined || !isWellFormedSecret(pending)) return { kind: 'none' };
  const request = await deps.store.linkRequests.get(hashSecret(pending));
  // A request is bound to the site it was made on, as its link is (SPEC §2.3).
  if (request === undefined || request.site !== req.host) return { kind: 'none' };
  if (request.endedAt !== null) return { kind: 'ended', request };
  if (deps.clock.now() >= request.expiresAt) return { kind: 'expired', request };
  return { kind: 'live', request, pending };
}
