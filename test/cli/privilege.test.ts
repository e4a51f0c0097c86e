import { afterEach, describe, expect, it } from 'vitest';
import { freshMariadb, freshPostgres, ifMariadb, type FreshPostgres } from '../support/databases.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

interface Rule {
  site: string;
  address: string;
  rule: string;
}

describe.each([
  {
    name: 'SQLite',
    database: () => Promise.resolve({ dsn: 'sqlite://x.db', cleanup: () => Promise.resolve() }),
  },
  { name: 'PostgreSQL', database: (): Promise<FreshPostgres> => freshPostgres() },
  ...ifMariadb('forgetpw privilege', { name: 'MariaDB', database: freshMariadb }),
])('forgetpw privilege on $name', ({ database }) => {
  let ws: CliWorkspace;
  let db: { dsn: string; cleanup(): Promise<void> };
  afterEach(async () => {
    ws.cleanup();
    await db.cleanup();
  });

  async function init(): Promise<void> {
    ws = cliWorkspace();
    db = await database();
    const result = await ws.run('init', '-d', db.dsn, '-f', 'robot@example.org');
    expect(result.code, result.err.join('\n')).toBe(0);
  }

  it('grants and blocks in one command: -r blocks what follows it, and both are audited', async () => {
    await init();
    const both = await ws.run('privilege', '-d', 'site.example', 'example.org', '-r', 'boss@example.org');
    expect(both).toMatchObject({
      code: 0,
      out: ['granted example.org on site.example', 'blocked boss@example.org from site.example'],
    });
    const audit = await ws.run('audit', '--json');
    const events = (JSON.parse(audit.out.join('')) as Array<{ event: string; address: string }>).map(
      (e) => `${e.event} ${e.address}`,
    );
    expect(events).toEqual(
      expect.arrayContaining(['access-granted example.org', 'access-blocked boss@example.org']),
    );
  });

  it('grants a domain, blocks one address, and lists both rows', async () => {
    await init();
    const grant = await ws.run('privilege', '-d', 'site.example', 'example.org');
    expect(grant).toMatchObject({ code: 0, out: ['granted example.org on site.example'] });
    const block = await ws.run('privilege', '-d', 'site.example', '-r', 'Boss@Example.org');
    expect(block).toMatchObject({ code: 0, out: ['blocked boss@example.org from site.example'] });
    const list = await ws.run('privilege', '-l');
    expect(list.code).toBe(0);
    expect(list.out).toEqual([
      'WEB DOMAIN    ADDRESS           RULE',
      'site.example  boss@example.org  deny',
      'site.example  example.org       allow',
    ]);
    expect(await ws.json<Rule[]>('privilege', '-l', '--json')).toEqual([
      { site: 'site.example', address: 'boss@example.org', rule: 'deny' },
      { site: 'site.example', address: 'example.org', rule: 'allow' },
    ]);
  });

  it('grants for every site without -d', async () => {
    await init();
    expect((await ws.run('privilege', 'ann@example.org')).out).toEqual([
      'granted ann@example.org on * (every site)',
    ]);
    expect(await ws.json<Rule[]>('privilege', '-l', '--json')).toEqual([
      { site: '*', address: 'ann@example.org', rule: 'allow' },
    ]);
  });

  it('writes nothing when one argument among good ones is no address (exit 2)', async () => {
    await init();
    const result = await ws.run(
      'privilege',
      '-d',
      'site.example',
      'ann@example.org',
      'bob@@example.org',
      'example.net',
    );
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err.join('\n')).toContain('"bob@@example.org"');
    expect(await ws.json('privilege', '-l', '--json')).toEqual([]);
  });

  it('refuses a web domain with a port (exit 2)', async () => {
    await init();
    const result = await ws.run('privilege', '-d', 'site.example:8080', 'example.org');
    expect(result.code).toBe(2);
    expect(result.err[0]).toMatch(/not a web domain/);
  });

  it('asks for at least one subject (exit 2)', async () => {
    await init();
    const result = await ws.run('privilege', '-d', 'site.example');
    expect(result.code).toBe(2);
    expect(result.err[0]).toMatch(/name at least one address/);
  });

  it('says so when the access list is empty', async () => {
    await init();
    expect((await ws.run('privilege', '-l')).out).toEqual(['The access list is empty: nobody can log in.']);
  });
});
