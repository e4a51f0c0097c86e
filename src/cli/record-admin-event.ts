import type { AuditEvent } from '../policy/audit-event.js';
import type { AuditStore } from '../flows/audit-store.js';
import { systemClock } from '../tokens/system-clock.js';
import type { CliIo } from './cli-io.js';

/**
 * An admin change in the audit trail (issue 6): who ran the CLI goes into `detail`
 * (the person behind sudo when there is one); there is no client IP.
 */
export async function recordAdminEvent(
  audit: AuditStore,
  io: CliIo,
  event: Omit<AuditEvent, 'at' | 'ip'> & { readonly at?: number },
): Promise<void> {
  const operator = io.env['SUDO_USER'] ?? io.env['USER'] ?? io.env['LOGNAME'] ?? 'unknown';
  const detail = [event.detail, `by ${operator} (cli)`].filter((part) => part != null && part !== '');
  await audit.record({ ...event, at: event.at ?? systemClock.now(), ip: null, detail: detail.join('; ') });
}
