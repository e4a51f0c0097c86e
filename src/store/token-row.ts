/** How a `tokens` row becomes the flows' TokenRecord. */
import type { TokenKind, TokenRecord } from '../tokens/token-record.js';

export interface TokenRow {
  readonly hash: string;
  readonly kind: TokenKind;
  readonly user_id: number | null;
  readonly site: string;
  readonly created_at: number;
  readonly expires_at: number;
  readonly absolute_expires_at: number;
  readonly used_at: number | null;
  readonly revoked_at: number | null;
  readonly last_seen_at: number | null;
  readonly forward: string | null;
  readonly pending_hash: string | null;
  readonly client_ip: string | null;
  readonly language: string | null;
}

export const TOKEN_COLUMNS = [
  'hash',
  'kind',
  'user_id',
  'site',
  'created_at',
  'expires_at',
  'absolute_expires_at',
  'used_at',
  'revoked_at',
  'last_seen_at',
  'forward',
  'pending_hash',
  'client_ip',
  'language',
] as const;

export function toTokenRecord(row: TokenRow): TokenRecord {
  return {
    hash: row.hash,
    kind: row.kind,
    userId: row.user_id,
    site: row.site,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
    usedAt: row.used_at,
    revokedAt: row.revoked_at,
    lastSeenAt: row.last_seen_at,
    forward: row.forward,
    pendingHash: row.pending_hash,
    clientIp: row.client_ip,
    language: row.language,
  };
}
