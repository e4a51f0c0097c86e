import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { AclRow } from '../../src/policy/acl-row.js';
import { migrateLatest } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open-store.js';
import { deepMerge } from '../support/daemon.js';
import { freePort } from '../support/free-port.js';

const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface DaemonFolder {
  readonly dir: string;
  /** forgetpw.yml, to pass as `-c`. */
  readonly config: string;
  /** The FastCGI port the config names. */
  readonly port: number;
  readonly pidFile: string;
  /** A copy of the packaged templates the config points at (`templates.path`). */
  readonly templates: string;
  /** Rewrites forgetpw.yml: the folder's settings with `settings` over them. */
  writeConfig(settings?: Record<string, unknown>): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * What an operator has before `forgetpw fcgi`: a folder with forgetpw.yml, an
 * SQLite database (migrated unless `migrate: false`, holding `acl`), the
 * templates, mail written as files. Paths in the config are relative to it.
 */
export async function makeDaemonFolder(
  o: { settings?: Record<string, unknown>; migrate?: boolean; acl?: readonly AclRow[] } = {},
): Promise<DaemonFolder> {
  const dir = await mkdtemp(path.join(tmpdir(), 'forgetpw-ops-'));
  const port = await freePort();
  await cp(TEMPLATES, path.join(dir, 'templates'), { recursive: true });
  const base: Record<string, unknown> & { email: Record<string, unknown> } = {
    host: '127.0.0.1',
    port,
    pid: 'forgetpw.pid',
    state: { dsn: 'sqlite://forgetpw.db' },
    email: { from: 'robot@example.org' },
    templates: { path: 'templates' },
    sites: ['site.example'],
    limits: { email_per_address: 0, email_per_address_total: 0, email_per_ip: 0, bad_tokens_per_ip: 0 },
    log: { level: 'info' },
  };
  // Mail as files unless the caller names a transport (options of one method are wrong for another).
  if (!isTree(o.settings?.['email']))
    base.email = { ...base.email, method: 'file', options: { path: 'mail' } };
  const config = path.join(dir, 'forgetpw.yml');
  const writeConfig = (settings: Record<string, unknown> = {}): Promise<void> =>
    writeFile(config, stringify(deepMerge(deepMerge(base, o.settings ?? {}), settings)));
  await writeConfig();

  const store = await openStore({ dsn: 'sqlite://forgetpw.db' }, { baseDir: dir });
  try {
    if (o.migrate !== false) await migrateLatest(store.knex);
    if (o.acl !== undefined) await store.acl.put(o.acl, Date.now());
  } finally {
    await store.close();
  }
  return {
    dir,
    config,
    port,
    pidFile: path.join(dir, 'forgetpw.pid'),
    templates: path.join(dir, 'templates'),
    writeConfig,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

function isTree(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
