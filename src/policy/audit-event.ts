/** One line of the audit trail, as flows and the CLI record it. */
export interface AuditEvent {
  readonly at: number;
  readonly event: string;
  readonly site?: string | null;
  readonly address?: string | null;
  readonly ip?: string | null;
  readonly detail?: string | null;
}
