/**
 * A database as the Ruby gem leaves it (ORIGINAL §4): its four tables as Sequel's
 * `create_table?` makes them on SQLite and PostgreSQL, written here from that schema,
 * with a few users, access-list rows (a wildcard `''` web domain, an `ok = false`
 * block), a live session cookie, an expired one and a spent link. Tokens are raw
 * UUIDs as the gem stored them; `GEM.liveCookie` is what the browser holds.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import { packagedFolder } from '../../src/templates/packaged-folder.js';

const SQLITE_DDL = [
  `CREATE TABLE \`user\` (\`id\` integer NOT NULL CONSTRAINT \`pk_user\` PRIMARY KEY AUTOINCREMENT,
    \`principal\` text NOT NULL UNIQUE, \`email\` text NOT NULL UNIQUE,
    \`added\` timestamp NOT NULL DEFAULT (datetime(CURRENT_TIMESTAMP, 'localtime')), \`disabled\` timestamp NULL,
    CONSTRAINT \`ck_principal\` CHECK (\`principal\` = trim(\`principal\`)),
    CONSTRAINT \`ck_principal_ne\` CHECK (length(trim(\`principal\`)) > 0),
    CONSTRAINT \`ck_email\` CHECK (\`email\` = trim(lower(\`email\`))),
    CONSTRAINT \`ck_email_at\` CHECK (\`email\` LIKE '%_@_%'))`,
  `CREATE TABLE \`token\` (\`token\` char(36) NOT NULL, \`user\` integer NOT NULL,
    \`slug\` boolean NOT NULL DEFAULT 0, \`oneoff\` boolean NOT NULL DEFAULT 0,
    \`added\` timestamp NOT NULL DEFAULT (datetime(CURRENT_TIMESTAMP, 'localtime')),
    \`expires\` timestamp NOT NULL DEFAULT '2038-01-19 03:14:07',
    CONSTRAINT \`pk_token\` PRIMARY KEY (\`token\`), CONSTRAINT \`uk_token\` UNIQUE (\`token\`, \`user\`),
    CONSTRAINT \`fk_token_user\` FOREIGN KEY (\`user\`) REFERENCES \`user\`(\`id\`),
    CONSTRAINT \`ck_token\` CHECK (\`token\` = trim(lower(\`token\`))))`,
  `CREATE TABLE \`usage\` (\`token\` char(36) NOT NULL CONSTRAINT \`fk_usage_token\` REFERENCES \`token\`,
    \`ip\` varchar(40) NOT NULL,
    \`created\` timestamp NOT NULL DEFAULT (datetime(CURRENT_TIMESTAMP, 'localtime')),
    \`seen\` timestamp NOT NULL DEFAULT (datetime(CURRENT_TIMESTAMP, 'localtime')),
    CONSTRAINT \`pk_usage\` PRIMARY KEY (\`token\`, \`ip\`))`,
  `CREATE TABLE \`acl\` (\`domain\` text NOT NULL DEFAULT '', \`address\` text NOT NULL,
    \`ok\` boolean NOT NULL DEFAULT 1,
    \`seen\` timestamp NOT NULL DEFAULT (datetime(CURRENT_TIMESTAMP, 'localtime')),
    CONSTRAINT \`pk_acl\` PRIMARY KEY (\`domain\`, \`address\`),
    CHECK (\`domain\` = trim(lower(\`domain\`))), CHECK (\`address\` = trim(lower(\`address\`))),
    CHECK (length(trim(\`address\`)) > 0))`,
];

const PG_DDL = [
  `CREATE TABLE "user" ("id" serial CONSTRAINT "pk_user" PRIMARY KEY, "principal" text NOT NULL UNIQUE,
    "email" text NOT NULL UNIQUE, "added" timestamp NOT NULL DEFAULT timezone('UTC', CURRENT_TIMESTAMP),
    "disabled" timestamp NULL,
    CONSTRAINT "ck_principal" CHECK ("principal" = trim("principal")),
    CONSTRAINT "ck_principal_ne" CHECK (length(trim("principal")) > 0),
    CONSTRAINT "ck_email" CHECK ("email" = trim(lower("email"))),
    CONSTRAINT "ck_email_at" CHECK ("email" LIKE '%_@_%'))`,
  `CREATE TABLE "token" ("token" char(36) NOT NULL, "user" integer NOT NULL,
    "slug" boolean NOT NULL DEFAULT false, "oneoff" boolean NOT NULL DEFAULT false,
    "added" timestamp NOT NULL DEFAULT timezone('UTC', CURRENT_TIMESTAMP),
    "expires" timestamp NOT NULL DEFAULT '2038-01-19 03:14:07',
    CONSTRAINT "pk_token" PRIMARY KEY ("token"), CONSTRAINT "uk_token" UNIQUE ("token", "user"),
    CONSTRAINT "fk_token_user" FOREIGN KEY ("user") REFERENCES "user"("id"),
    CONSTRAINT "ck_token" CHECK ("token" = trim(lower("token"))))`,
  `CREATE TABLE "usage" ("token" char(36) NOT NULL CONSTRAINT "fk_usage_token" REFERENCES "token",
    "ip" varchar(40) NOT NULL,
    "created" timestamp NOT NULL DEFAULT timezone('UTC', CURRENT_TIMESTAMP),
    "seen" timestamp NOT NULL DEFAULT timezone('UTC', CURRENT_TIMESTAMP),
    CONSTRAINT "pk_usage" PRIMARY KEY ("token", "ip"))`,
  `CREATE TABLE "acl" ("domain" text NOT NULL DEFAULT '', "address" text NOT NULL,
    "ok" boolean NOT NULL DEFAULT true,
    "seen" timestamp NOT NULL DEFAULT timezone('UTC', CURRENT_TIMESTAMP),
    CONSTRAINT "pk_acl" PRIMARY KEY ("domain", "address"),
    CHECK ("domain" = trim(lower("domain"))), CHECK ("address" = trim(lower("address"))),
    CHECK (length(trim("address")) > 0))`,
];

/** The gem's content/ folder: its 14 templates (ORIGINAL §6), no more. */
export const GEM_TEMPLATE_FILES = [
  'basic-401.xhtml',
  'basic-404.xhtml',
  'basic-409.xhtml',
  'basic-500.xhtml',
  'cookie-expired.xhtml',
  'nonce-expired.xhtml',
  'not-on-list.xhtml',
  'email-409.xhtml',
  'uri-409.xhtml',
  'post-405.xhtml',
  'email-sent.xhtml',
  'email.xhtml',
  'logged-out.xhtml',
  'logged-out-all.xhtml',
] as const;

export const GEM = {
  /** The live session: raw in `token`, and the NCName form the browser sends. */
  liveUuid: '607b5225-98f9-4caf-977b-a27aab606f07',
  liveCookie: 'EYHtSJZj5yvd7onqrYG8HJ',
  expiredUuid: '0f0e0d0c-0b0a-4908-8706-050403020100',
  expiredCookie: 'EDw4NDAsKkIcGBQQDAgEAI',
  /** Links the gem mailed (slug = true): one past its ten minutes, one still fresh. */
  spentLinkUuid: '11111111-2222-4333-8444-555555555555',
  spentLinkKnock: 'EERERESIiMzREVVVVVVVVI',
  spentLinkUuidOther: 'aaaaaaaa-bbbb-4ccc-addd-eeeeeeeeeeee',
  freshLinkKnock: 'Eqqqqqru7zM3d7u7u7u7uK',
  users: [
    { principal: 'ann@example.org', email: 'ann@example.org' },
    { principal: 'Bob', email: 'bob@example.org' },
    { principal: 'carl@example.org', email: 'carl@example.org', disabled: true },
  ],
  acl: [
    { domain: '', address: 'example.org', ok: true },
    { domain: '', address: 'mallory@example.org', ok: false },
    { domain: 'site.test', address: 'partner.example', ok: true },
  ],
} as const;

/** Sequel's zone-less literal of `ms` as wall time in UTC (PostgreSQL) or local time (SQLite). */
export function gemStamp(ms: number, zone: 'local' | 'utc'): string {
  const d = new Date(ms);
  const pick =
    zone === 'utc'
      ? [
          d.getUTCFullYear(),
          d.getUTCMonth() + 1,
          d.getUTCDate(),
          d.getUTCHours(),
          d.getUTCMinutes(),
          d.getUTCSeconds(),
        ]
      : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  const [y, mo, da, h, mi, s] = pick.map((n) => String(n).padStart(2, '0'));
  return `${y}-${mo}-${da} ${h}:${mi}:${s}.${String(d.getMilliseconds()).padStart(3, '0')}000`;
}

/**
 * Creates the gem's tables in the database `dsn` names (sqlite:///abs or postgres://)
 * and fills them; `now` is the time the gem's rows are relative to. Returns the
 * live session's expiry in ms.
 */
export async function makeGemDatabase(dsn: string, now = Date.now()): Promise<{ liveExpires: number }> {
  const postgres = dsn.startsWith('postgres');
  const knex = knexFactory(
    postgres
      ? { client: 'pg', connection: dsn }
      : {
          client: 'better-sqlite3',
          connection: { filename: dsn.replace(/^sqlite:\/\//, '') },
          useNullAsDefault: true,
        },
  );
  const zone = postgres ? 'utc' : 'local';
  const at = (offsetMs: number): string => gemStamp(now + offsetMs, zone);
  const liveExpires = Math.floor((now + 7 * 86_400_000) / 1000) * 1000;
  try {
    for (const sql of postgres ? PG_DDL : SQLITE_DDL) await knex.raw(sql);
    const ids: number[] = [];
    for (const user of GEM.users) {
      const [row]: Array<{ id: number }> = await knex('user')
        .insert({
          principal: user.principal,
          email: user.email,
          added: at(-30 * 86_400_000),
          disabled: 'disabled' in user ? at(-86_400_000) : null,
        })
        .returning('id');
      ids.push(row!.id);
    }
    // better-sqlite3 binds no booleans: Sequel's SQLite booleans are 1/0.
    const bool = (value: boolean): boolean | number => (postgres ? value : Number(value));
    for (const row of GEM.acl) {
      await knex('acl').insert({ ...row, ok: bool(row.ok), seen: at(-30 * 86_400_000) });
    }
    const token = (uuid: string, user: number, slug: boolean, expires: string) =>
      knex('token').insert({
        token: uuid,
        user,
        slug: bool(slug),
        oneoff: bool(false),
        added: at(-86_400_000),
        expires,
      });
    await token(GEM.liveUuid, ids[0]!, false, gemStamp(liveExpires, zone));
    await token(GEM.expiredUuid, ids[1]!, false, at(-3_600_000));
    await token(GEM.spentLinkUuid, ids[0]!, true, at(-86_400_000 + 600_000));
    await token(GEM.spentLinkUuidOther, ids[1]!, true, at(300_000));
    await knex('usage').insert({
      token: GEM.liveUuid,
      ip: '127.0.0.1',
      created: at(-86_400_000),
      seen: at(-60_000),
    });
  } finally {
    await knex.destroy();
  }
  return { liveExpires };
}

/**
 * A copy of the gem's content/ folder in `dir`: exactly its 14 file names, filled from
 * our packaged pages (the gem's own files are not available here).
 */
export function makeGemTemplateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of GEM_TEMPLATE_FILES) {
    const packaged = path.join(packagedFolder('templates'), file);
    const source = existsSync(packaged) ? packaged : path.join(packagedFolder('static'), file);
    copyFileSync(source, path.join(dir, file));
  }
}
