/** One row of the access list (SPEC §3). */
export interface AclRow {
  /** Web domain; '' is the wildcard (every site). */
  readonly domain: string;
  /** Full address or e-mail domain. */
  readonly address: string;
  readonly allow: boolean;
}
