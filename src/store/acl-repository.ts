/** The `acl` table behind the AclStore port. The walk over it lives in policy/. */
import type { Knex } from 'knex';
import type { AclRow } from '../policy/acl-row.js';
import type { AclStore } from '../flows/acl-store.js';
import type { HotReads } from './hot-reads.js';

interface Row {
  readonly domain: string;
  readonly address: string;
  /** SQLite answers 0/1, PostgreSQL true/false. */
  readonly allow: boolean | number;
}

const COLUMNS = ['domain', 'address', 'allow'] as const;

export function aclRepository(knex: Knex, reads: HotReads): AclStore {
  return {
    async find(domains, addresses) {
      if (domains.length === 0 || addresses.length === 0) return [];
      const rows = (await reads.acl(domains, addresses)) as unknown as Row[];
      return rows.map(toAclRow);
    },

    async put(rows, now) {
      await knex.transaction(async (trx) => {
        for (const row of rows) {
          await trx('acl')
            .insert({
              domain: row.domain,
              address: row.address,
              allow: row.allow,
              created_at: now,
              updated_at: now,
            })
            .onConflict(['domain', 'address'])
            .merge(['allow', 'updated_at']);
        }
      });
    },

    async list(domain) {
      const query = knex<Row>('acl')
        .select(...COLUMNS)
        .orderBy(['domain', 'address']);
      const rows = await (domain === undefined ? query : query.where({ domain }));
      return rows.map(toAclRow);
    },

    async namesSite(host) {
      if (host === '') return false;
      return (await knex('acl').where({ domain: host }).first('domain')) !== undefined;
    },

    async domains() {
      const rows = await knex<Row>('acl').distinct('domain').orderBy('domain');
      return rows.map((row) => row.domain);
    },
  };
}

function toAclRow(row: Row): AclRow {
  return { domain: row.domain, address: row.address, allow: Boolean(row.allow) };
}
