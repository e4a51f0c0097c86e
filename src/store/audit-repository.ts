/** The `audit` table behind the AuditStore port. */
import type { Knex } from 'knex';
import type { AuditStore } from '../flows/ports.js';

export function auditRepository(knex: Knex): AuditStore {
  return {
    async record(event) {
      await knex('audit').insert({
        at: event.at,
        event: event.event,
        site: event.site ?? null,
        address: event.address ?? null,
        ip: event.ip ?? null,
        detail: event.detail ?? null,
      });
    },
  };
}
