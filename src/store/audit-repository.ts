/** The `audit` table behind the flows' AuditStore port and the CLI's AuditReader. */
import type { Knex } from 'knex';
import type { AuditEntry, AuditReader } from './audit-listing.js';
import type { AuditStore } from '../flows/audit-store.js';

const COLUMNS = ['id', 'at', 'event', 'site', 'address', 'ip', 'detail'] as const;

export function auditRepository(knex: Knex): AuditStore & AuditReader {
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

    async list(query) {
      const select = knex<AuditEntry>('audit')
        .select(...COLUMNS)
        // id breaks ties between events of the same millisecond: insertion order.
        .orderBy([
          { column: 'at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(query.limit);
      if (query.since !== undefined) void select.where('at', '>=', query.since);
      if (query.address !== undefined) void select.where({ address: query.address });
      if (query.site !== undefined) void select.where({ site: query.site });
      const rows = await select;
      return rows.map((row) => ({ ...row }));
    },

    async purge(before) {
      return knex('audit').where('at', '<', before).delete();
    },
  };
}
