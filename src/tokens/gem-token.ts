/**
 * The Ruby gem's tokens (ORIGINAL §3.1): random UUIDs, stored raw, shown to people as
 * the 22-character UUID-NCName (base64 variant, "version 1"): one letter for the UUID
 * version, the other 30 hex digits as base64url, one letter for the variant nibble.
 * Its live session cookies carry that form, so the upgrade stores the hash of it.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The NCName form of a canonical UUID (`607b5225-98f9-...` -> `EYHtSJZj5yvd7onqrYG8HJ`), or undefined. */
export function gemTokenFromUuid(uuid: string): string | undefined {
  const text = uuid.trim().toLowerCase();
  if (!UUID.test(text)) return undefined;
  const hex = text.replaceAll('-', '');
  const version = Number.parseInt(hex[12]!, 16);
  const variant = Number.parseInt(hex[16]!, 16);
  const body = hex.slice(0, 12) + hex.slice(13, 16) + hex.slice(17);
  return (
    String.fromCharCode(65 + version) +
    Buffer.from(body, 'hex').toString('base64url') +
    String.fromCharCode(65 + variant)
  );
}

/** The shape of a token the gem handed out (an RFC 4122 variant, any version). */
export const GEM_TOKEN = /^[A-P][A-Za-z0-9_-]{20}[I-L]$/;
