/** What `forgetpw audit` reads back: the CLI's listing types, which no flow needs. */
/** What `forgetpw audit` asks for; every given filter must match. */
export interface AuditQuery {
  /** Events at or after this time. */
  readonly since?: number;
  /** Exact (normalised) address. */
  readonly address?: string;
  /** Exact site (host). */
  readonly site?: string;
  /** At most this many, newest first. */
  readonly limit: number;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly event: string;
  readonly site: string | null;
  readonly address: string | null;
  readonly ip: string | null;
  readonly detail: string | null;
}

/** Reading the audit trail back (the knex store implements it beside the flows' AuditStore). */
export interface AuditReader {
  /** Matching events, newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
}
