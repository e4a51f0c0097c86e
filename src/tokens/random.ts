/** Where every secret's bytes come from; injected, so tests can record or replay them. */
export interface Random {
  /** Cryptographically secure random bytes. */
  bytes(size: number): Buffer;
}
