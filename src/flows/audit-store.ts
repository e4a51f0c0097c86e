import type { AuditEvent } from '../policy/audit-event.js';

export interface AuditStore {
  record(event: AuditEvent): Promise<void>;
  /** Deletes events older than `before` (the retention setting); returns how many. */
  purge(before: number): Promise<number>;
}
