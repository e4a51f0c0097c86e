import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pendingMigrations } from '../../src/store/migrate.js';
import { freshPostgres } from '../support/databases.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

describe('forgetpw init', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it('writes the config, readable by its owner only, and creates the tables', async () => {
    ws = cliWorkspace();
    const result = await ws.run('init', '-d', 'sqlite://x.db', '-f', 'robot@example.org');
    expect(result.code, result.err.join('\n')).toBe(0);
    const file = path.join(ws.dir, 'forgetpw.yml');
    expect(result.out[0]).toBe(`Created configuration ${file}.`);
    expect(result.text).toMatch(/Database sqlite:\/\/x\.db: applied \d+ migration\(s\): 0001-initial/);
    expect(readFileSync(file, 'utf8')).toMatch(/dsn: sqlite:\/\/x\.db/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await ws.init('sqlite://x.db');
    expect(await ws.withStore((store) => pendingMigrations(store.knex))).toEqual([]);
  });

  it('is safe to run twice: the second run changes nothing and succeeds', async () => {
    ws = cliWorkspace();
    await ws.run('init', '-d', 'sqlite://x.db', '-f', 'robot@example.org');
    const before = readFileSync(path.join(ws.dir, 'forgetpw.yml'), 'utf8');
    const again = await ws.run('init', '-d', 'sqlite://x.db', '-f', 'robot@example.org');
    expect(again.code).toBe(0);
    expect(again.out[0]).toMatch(/is unchanged\.$/);
    expect(again.out[1]).toBe('Database sqlite://x.db is up to date.');
    expect(readFileSync(path.join(ws.dir, 'forgetpw.yml'), 'utf8')).toBe(before);
  });

  it('refuses to overwrite a different config without --force (exit 2)', async () => {
    ws = cliWorkspace();
    const file = path.join(ws.dir, 'forgetpw.yml');
    writeFileSync(file, '# mine\nhost: example.org\n');
    const result = await ws.run('init', '-d', 'sqlite://x.db', '-f', 'robot@example.org');
    expect(result.code).toBe(2);
    expect(result.err[0]).toBe(`error: ${file} already exists; use --force to overwrite it`);
    expect(readFileSync(file, 'utf8')).toBe('# mine\nhost: example.org\n');
    expect(existsSync(path.join(ws.dir, 'x.db'))).toBe(false);
  });

  it('overwrites a different config with --force', async () => {
    ws = cliWorkspace();
    writeFileSync(path.join(ws.dir, 'forgetpw.yml'), 'host: example.org\n');
    const result = await ws.run('init', '-d', 'sqlite://x.db', '-f', 'robot@example.org', '--force');
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(/^Overwrote configuration /);
  });

  it('writes nothing when a setting is wrong, and names the setting (exit 2)', async () => {
    ws = cliWorkspace();
    const result = await ws.run(
      'init',
      '-d',
      'sqlite://x.db',
      '-f',
      'robot@example.org',
      '--url-expiry',
      'soon',
    );
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toContain('state.expiry.query');
    expect(existsSync(path.join(ws.dir, 'forgetpw.yml'))).toBe(false);
  });

  it('creates the tables in PostgreSQL', async () => {
    ws = cliWorkspace();
    const db = await freshPostgres();
    try {
      const result = await ws.run('init', '-d', db.dsn, '-f', 'robot@example.org');
      expect(result.code, result.err.join('\n')).toBe(0);
      expect(result.text).toMatch(/applied \d+ migration\(s\): 0001-initial/);
      await ws.init(db.dsn);
      expect(await ws.withStore((store) => pendingMigrations(store.knex))).toEqual([]);
    } finally {
      await db.cleanup();
    }
  });
});
