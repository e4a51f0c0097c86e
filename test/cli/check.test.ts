import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderConfigYaml } from '../../src/config/render-config.js';
import { makeGemDatabase, makeGemTemplateFolder } from '../gem/gem-fixture.js';
import { TRANSFORM_XSL } from '../gem/site-style.js';
import { freePort } from '../support/free-port.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

interface Checked {
  check: string;
  status: 'ok' | 'FAILED' | 'skipped';
  detail: string;
}

const FILE_MAIL = { from: 'robot@example.org', method: 'file', options: { path: 'mail' } };

function writeConfig(ws: CliWorkspace, settings: Record<string, unknown>): void {
  writeFileSync(
    path.join(ws.dir, 'forgetpw.yml'),
    renderConfigYaml({ state: { dsn: 'sqlite://forgetpw.db' }, email: FILE_MAIL, ...settings }),
  );
}

describe('forgetpw check', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it('prints one ok line per check and exits 0 when all pass', async () => {
    ws = cliWorkspace();
    writeConfig(ws, {});
    expect((await ws.run('migrate')).code).toBe(0);
    const result = await ws.run('check');
    expect(result.code, result.text).toBe(0);
    expect(result.out).toEqual([
      `ok      config      ${path.join(ws.dir, 'forgetpw.yml')}`,
      'ok      database    sqlite://forgetpw.db answers',
      'ok      migrations  none pending',
      'ok      mail        the file transport is ready',
      expect.stringMatching(/^ok {6}templates {3}\d+ pages in en, de, fr from the packaged defaults$/),
      'All checks passed.',
    ]);
  });

  it('reports pending migrations and exits 1', async () => {
    ws = cliWorkspace();
    writeConfig(ws, {});
    // An empty file is an empty SQLite database.
    writeFileSync(path.join(ws.dir, 'forgetpw.db'), '');
    const result = await ws.run('check');
    expect(result.code).toBe(1);
    expect(result.out).toContainEqual(
      expect.stringMatching(
        /^FAILED {2}migrations {2}\d+ pending \(0001-initial.*\): run `forgetpw migrate`$/,
      ),
    );
    expect(result.err).toEqual(['error: 1 of 5 checks failed']);
  });

  it('reaches an SMTP server, and fails when none answers', async () => {
    ws = cliWorkspace();
    const sink = await startSmtpSink();
    try {
      const smtp = (port: number) => ({
        ...FILE_MAIL,
        method: 'smtp',
        options: { host: '127.0.0.1', port, secure: false, ignoreTLS: true },
      });
      writeConfig(ws, { email: smtp(sink.port) });
      await ws.run('migrate');
      expect(await ws.json<Checked[]>('check', '--json')).toContainEqual({
        check: 'mail',
        status: 'ok',
        detail: 'the smtp transport is ready',
      });
      writeConfig(ws, { email: smtp(await freePort()) });
      const result = await ws.run('check');
      expect(result.code).toBe(1);
      expect(result.out.find((line) => line.includes(' mail '))).toMatch(
        /^FAILED {2}mail {8}the mail transport failed/,
      );
    } finally {
      await sink.close();
    }
  });

  it('fails the database check, and skips migrations, when the database cannot be reached', async () => {
    ws = cliWorkspace();
    writeConfig(ws, { state: { dsn: `postgres://nobody:secret-pw@127.0.0.1:${await freePort()}/db` } });
    const result = await ws.run('check', '--json');
    expect(result.code).toBe(1);
    const checks = JSON.parse(result.out[0] ?? '') as Checked[];
    expect(checks.map((c) => [c.check, c.status])).toEqual([
      ['config', 'ok'],
      ['database', 'FAILED'],
      ['migrations', 'skipped'],
      ['mail', 'ok'],
      ['templates', 'ok'],
    ]);
    expect(result.text).not.toContain('secret-pw');
  });

  it('fails the template check when a mapped template is missing', async () => {
    ws = cliWorkspace();
    mkdirSync(path.join(ws.dir, 'tpl'));
    writeConfig(ws, { templates: { path: 'tpl', mapping: { default_401: 'mine.xhtml' } } });
    await ws.run('migrate');
    const checks = await ws.run('check', '--json').then((r) => JSON.parse(r.out[0] ?? '') as Checked[]);
    expect(checks.find((c) => c.check === 'templates')).toMatchObject({
      status: 'FAILED',
      detail: expect.stringContaining(path.join(ws.dir, 'tpl', 'mine.xhtml')),
    });
  });

  it('refuses a broken file in a site set, naming the file and its line', async () => {
    ws = cliWorkspace();
    mkdirSync(path.join(ws.dir, 'wiki', 'de'), { recursive: true });
    writeFileSync(
      path.join(ws.dir, 'wiki', 'de', 'basic-401.xhtml'),
      '<html xmlns="http://www.w3.org/1999/xhtml">\n<head><title>Wiki</title></head>\n<body><p>Hallo</body>\n</html>\n',
    );
    writeConfig(ws, { templates: { sites: { 'wiki.example': 'wiki' } } });
    await ws.run('migrate');
    const result = await ws.run('check');
    expect(result.code).toBe(1);
    const line = result.out.find((l) => l.includes(' templates ')) ?? '';
    expect(line).toMatch(/^FAILED {2}templates /);
    expect(line).toContain(path.join(ws.dir, 'wiki', 'de', 'basic-401.xhtml'));
    expect(line).toMatch(/line 3, column \d+/);
  });

  it('names the languages and the site sets it loaded', async () => {
    ws = cliWorkspace();
    mkdirSync(path.join(ws.dir, 'wiki'));
    writeConfig(ws, { templates: { languages: ['de', 'en'], sites: { 'Wiki.Example': 'wiki' } } });
    await ws.run('migrate');
    const result = await ws.run('check');
    expect(result.code, result.text).toBe(0);
    expect(result.out.find((l) => l.includes(' templates '))).toMatch(
      /^ok {6}templates {3}\d+ pages in de, en from the packaged defaults; own sets for wiki\.example$/,
    );
  });

  it('says which pages fell back to the packaged ones', async () => {
    ws = cliWorkspace();
    makeGemTemplateFolder(path.join(ws.dir, 'tpl'));
    writeConfig(ws, { templates: { path: 'tpl' } });
    await ws.run('migrate');
    const result = await ws.run('check');
    expect(result.code, result.text).toBe(0);
    expect(result.out.find((line) => line.includes(' templates '))).toMatch(
      /^ok {6}templates {3}\d+ pages in en, de, fr from .*tpl; packaged ones for the missing /,
    );
    const line = result.out.find((l) => l.includes(' templates ')) ?? '';
    for (const page of ['knock-confirm.xhtml', 'throttled.xhtml', 'basic-503.xhtml'])
      expect(line).toContain(page);
  });

  it('does not create the SQLite file it is asked to check', async () => {
    ws = cliWorkspace();
    writeConfig(ws, {});
    const result = await ws.run('check');
    expect(result.code).toBe(1);
    expect(result.out).toContainEqual(
      expect.stringMatching(/^FAILED {2}database {4}.*no such file.*`forgetpw init` creates it$/),
    );
    expect(existsSync(path.join(ws.dir, 'forgetpw.db'))).toBe(false);
  });

  it('reports the Ruby gem database and names forgetpw migrate', async () => {
    ws = cliWorkspace();
    writeConfig(ws, {});
    await makeGemDatabase(`sqlite://${path.join(ws.dir, 'forgetpw.db')}`);
    const result = await ws.run('check');
    expect(result.out).toContainEqual(
      "FAILED  migrations  the Ruby gem's database: run `forgetpw migrate` to upgrade it in place",
    );
  });

  it('tries the stylesheet the daemon applies, and names it when it does not parse', async () => {
    ws = cliWorkspace();
    writeFileSync(path.join(ws.dir, 'site.xsl'), TRANSFORM_XSL);
    writeConfig(ws, { templates: { transform: 'site.xsl', transform_on: 'server' } });
    await ws.run('migrate');
    const good = await ws.run('check');
    expect(good.code, good.text).toBe(0);
    expect(good.out.find((line) => line.includes(' templates '))).toMatch(
      new RegExp(`; the daemon applies ${path.join(ws.dir, 'site.xsl')}$`),
    );
    writeFileSync(path.join(ws.dir, 'site.xsl'), TRANSFORM_XSL.replace('</xsl:stylesheet>', ''));
    const bad = await ws.run('check');
    expect(bad.code).toBe(1);
    expect(bad.out.find((line) => line.includes(' templates '))).toMatch(
      new RegExp(
        `^FAILED {2}templates {3}stylesheet ${path.join(ws.dir, 'site.xsl')} \\(templates.transform\\): line \\d+`,
      ),
    );
  });

  it('refuses sqlite::memory: as a config problem, naming a file instead, and creates nothing', async () => {
    ws = cliWorkspace();
    writeConfig(ws, { state: { dsn: 'sqlite::memory:' } });
    const result = await ws.run('check');
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toContain('state.dsn: sqlite::memory: is not kept between processes');
    expect(result.err.join('\n')).toContain('use a file, such as sqlite:///var/lib/forgetpw/forgetpw.sqlite');
    expect(existsSync(path.join(ws.dir, ':memory:'))).toBe(false);
  });

  it('lists every problem of a bad config with its key and exits 2', async () => {
    ws = cliWorkspace();
    writeConfig(ws, { port: 'eighty', colour: 'blue' });
    const result = await ws.run('check');
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toContain('port');
    expect(result.err.join('\n')).toContain('colour');
  });
});

describe('forgetpw migrate', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it('applies the pending migrations, then finds nothing to do', async () => {
    ws = cliWorkspace();
    writeConfig(ws, {});
    const first = await ws.run('migrate');
    expect(first).toMatchObject({
      code: 0,
      out: [
        expect.stringMatching(/^Database sqlite:\/\/forgetpw\.db: applied \d+ migration\(s\): 0001-initial/),
      ],
    });
    const again = await ws.run('migrate');
    expect(again).toMatchObject({
      code: 0,
      out: ['Database sqlite://forgetpw.db is up to date; nothing to apply.'],
    });
    expect((await ws.run('users')).code).toBe(0);
  });

  it('fails with exit 1 when the database cannot be reached', async () => {
    ws = cliWorkspace();
    writeConfig(ws, { state: { dsn: `postgres://127.0.0.1:${await freePort()}/db` } });
    const result = await ws.run('migrate');
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/^error: cannot use the database/);
  });
});
