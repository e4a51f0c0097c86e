import { hash } from 'node:crypto';

/**
 * What the store keeps instead of the secret: hex SHA-256 (SPEC §4, PEERS T2). A
 * 256-bit random secret needs no salt or slow KDF (NIST SP 800-63B §5.1.2.2), and a
 * plain hash lets the store look a token up by it.
 */
export function hashSecret(secret: string): string {
  // One-shot (node 20.12+): a third of createHash's cost for a short input.
  return hash('sha256', secret, 'hex');
}
