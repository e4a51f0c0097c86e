/**
 * The storage port the flows depend on; store/ implements it with knex. Flows never import
 * knex, nodemailer or node:fs. All times are milliseconds since the Unix epoch (UTC) from one
 * injected Clock.
 */
import type { AclStore } from './acl-store.js';
import type { AppPasswordStore } from './app-password-store.js';
import type { AuditStore } from './audit-store.js';
import type { LimitStore } from './limit-store.js';
import type { LinkRequestStore } from './link-request-store.js';
import type { ReadsAtHand } from './reads-at-hand.js';
import type { TokenStore } from './token-store.js';
import type { UserStore } from './user-store.js';

export interface Store {
  readonly users: UserStore;
  readonly acl: AclStore;
  readonly tokens: TokenStore;
  readonly appPasswords: AppPasswordStore;
  readonly linkRequests: LinkRequestStore;
  readonly limits: LimitStore;
  readonly audit: AuditStore;
  /** Present when a cache can answer the hot path's reads without a query (app/cached-store.ts). */
  readonly atHand?: ReadsAtHand;
  /** Cheap query proving the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
