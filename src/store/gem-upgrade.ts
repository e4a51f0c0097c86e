/**
 * The Ruby gem's database upgraded in place (issue 12): run by `migrate` and `init`
 * inside the migration transaction, so an interrupted upgrade leaves the gem's tables
 * as they were. The gem's `acl` becomes `gem_acl` (our schema has an `acl` of its own);
 * `user`, `token` and `usage` are left untouched. Then our schema is created and filled:
 * - users and access-list rows exactly (a web domain `''` is every site, as here;
 *   `ok = false` rows are blocks);
 * - live session cookies (`slug = false`, not expired) as sessions whose hash is the
 *   SHA-256 of the cookie the browser holds (the UUID's NCName form), valid on any
 *   site (`site = ''`: the gem did not bind them), so the switch logs nobody out;
 * - link tokens (`slug = true`) dropped: a link mailed before the switch gets the
 *   "expired" page and a form for a new one.
 * Times are read as the gem wrote them: on SQLite local time without a zone, on
 * PostgreSQL UTC (ORIGINAL §3.4).
 */
import type { Knex } from 'knex';
import { gemTokenFromUuid } from '../tokens/gem-token.js';
import { hashSecret } from '../tokens/hash-secret.js';
import { gemTime } from './gem-time.js';

export interface GemImport {
  readonly users: number;
  readonly acl: number;
  readonly sessions: number;
  /** Link tokens and expired or malformed cookies left behind. */
  readonly dropped: number;
}

type Row = Record<string, unknown>;

/** The gem's sessions had no absolute lifetime; an imported one gets ours from the switch on. */
const ABSOLUTE_MS = 90 * 86_400_000;

/** Renames the gem's `acl` away so that our migrations can create theirs. */
export async function setAsideGemAcl(trx: Knex.Transaction): Promise<void> {
  await trx.schema.renameTable('acl', 'gem_acl');
}

/** Copies the gem's rows into our (freshly migrated, empty) tables. */
export async function importGemData(trx: Knex.Transaction, now: number): Promise<GemImport> {
  const zone = isPostgres(trx) ? 'utc' : 'local';
  const time = (column: string): Knex.Raw =>
    zone === 'utc' ? trx.raw('cast(?? as text) as ??', [column, column]) : trx.raw('??', [column]);

  const users: Row[] = await trx('user').select('id', 'principal', 'email', time('added'), time('disabled'));
  const ids = new Map<string, number>();
  for (const user of users) {
    const inserted: Array<{ id: number } | number> = await trx('users')
      .insert({
        email: String(user['email']),
        principal: String(user['principal']),
        created_at: gemTime(user['added'], zone) ?? now,
        disabled_at: user['disabled'] === null ? null : (gemTime(user['disabled'], zone) ?? now),
      })
      .returning('id');
    const first = inserted[0];
    ids.set(String(user['id']), typeof first === 'object' ? first.id : Number(first));
  }

  const acl: Row[] = await trx('gem_acl').select('domain', 'address', 'ok', time('seen'));
  for (const row of acl) {
    const at = gemTime(row['seen'], zone) ?? now;
    await trx('acl').insert({
      domain: String(row['domain']),
      address: String(row['address']),
      allow: gemBoolean(row['ok']),
      created_at: at,
      updated_at: at,
    });
  }

  const tokens: Row[] = await trx('token').select('token', 'user', 'slug', time('added'), time('expires'));
  let sessions = 0;
  for (const row of tokens) {
    const cookie = gemTokenFromUuid(String(row['token']));
    const expires = gemTime(row['expires'], zone);
    const userId = ids.get(String(row['user']));
    if (gemBoolean(row['slug']) || cookie === undefined || expires === undefined || expires <= now) continue;
    if (userId === undefined) continue;
    await trx('tokens').insert({
      hash: hashSecret(cookie),
      kind: 'session',
      user_id: userId,
      site: '',
      created_at: gemTime(row['added'], zone) ?? now,
      expires_at: expires,
      absolute_expires_at: Math.max(expires, now + ABSOLUTE_MS),
    });
    sessions++;
  }
  return { users: users.length, acl: acl.length, sessions, dropped: tokens.length - sessions };
}

/** Sequel's SQLite booleans are 1/0 (older versions wrote 't'/'f'); PostgreSQL's are booleans. */
function gemBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
  return ['1', 't', 'true', 'y', 'yes'].includes(String(value).trim().toLowerCase());
}

function isPostgres(knex: Knex): boolean {
  const client = (knex.client as { config: { client?: unknown } }).config.client;
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}
