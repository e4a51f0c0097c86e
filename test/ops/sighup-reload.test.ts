import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TRANSFORM_XSL } from '../gem/site-style.js';
import { gateClient } from '../support/gate-client.js';
import { spawnCli, type CliProcess } from './cli-process.js';
import { makeDaemonFolder, type DaemonFolder } from './daemon-folder.js';

describe('SIGHUP', () => {
  let folder: DaemonFolder | undefined;
  let daemon: CliProcess | undefined;

  afterEach(async () => {
    await daemon?.kill();
    await folder?.cleanup();
    daemon = undefined;
    folder = undefined;
  });

  async function start(): Promise<{
    folder: DaemonFolder;
    daemon: CliProcess;
    title: () => Promise<string>;
  }> {
    folder = await makeDaemonFolder();
    daemon = spawnCli(['-c', folder.config, 'fcgi'], folder.dir);
    await daemon.logged('listening');
    const gate = gateClient(folder.port);
    const title = async (): Promise<string> => {
      const answer = await gate.authorize('/page.html', { host: 'site.example' });
      expect(answer.status).toBe(401);
      return /<title>([^<]*)<\/title>/.exec(answer.body)?.[1] ?? '';
    };
    return { folder, daemon, title };
  }

  async function editTemplate(f: DaemonFolder, from: string, to: string): Promise<void> {
    const file = path.join(f.templates, 'basic-401.xhtml');
    const text = await readFile(file, 'utf8');
    expect(text).toContain(from);
    await writeFile(file, text.replace(from, to));
  }

  it('swaps in edited templates', async () => {
    const { folder: f, daemon: d, title } = await start();
    await editTemplate(f, '<title>Log In · <?var $SITE_NAME?></title>', '<title>Members Only</title>');
    // Templates are read at start: the edit shows only after the reload.
    expect(await title()).toMatch(/^Log In · /);
    d.signal('SIGHUP');
    await d.logged('reloaded');
    expect(await title()).toBe('Members Only');
  });

  it('applies a new log level and names the settings that need a restart', async () => {
    const { folder: f, daemon: d, title } = await start();
    await f.writeConfig({
      port: f.port + 1,
      log: { level: 'debug' },
      knock: { confirm: 'always' },
      state: { password: 'hunter2-4d9e' },
    });
    d.signal('SIGHUP');
    const line = await d.logged('reloaded');
    expect(line['restartNeeded']).toEqual(['port', 'state.password', 'knock.confirm']);
    expect(line['msg']).toContain('restart to apply: port, state.password, knock.confirm');
    expect(d.lines.join('\n')).not.toContain('hunter2-4d9e');
    // The port did not move, and debug lines now appear.
    await title();
    await d.logged('request');
  });

  it('keeps serving with the previous settings when the new config is invalid, and lists every problem', async () => {
    const { folder: f, daemon: d, title } = await start();
    await writeFile(f.config, 'port: banana\ncolour: blue\nstate:\n  dsn: sqlite://forgetpw.db\n');
    await editTemplate(f, '<title>Log In · <?var $SITE_NAME?></title>', '<title>Members Only</title>');
    d.signal('SIGHUP');
    const line = await d.logged('reload-failed');
    const problems = line['problems'] as string[];
    expect(problems.some((p) => p.startsWith('port:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('colour'))).toBe(true);
    expect(line['msg']).toContain('still running with the previous settings');
    expect(await title()).toMatch(/^Log In · /);
  });

  it('reads a stylesheet the daemon applies again, and keeps the previous one when the new one is broken', async () => {
    folder = await makeDaemonFolder({
      settings: { templates: { transform: 'site.xsl', transform_on: 'server' } },
    });
    const stylesheet = path.join(folder.dir, 'site.xsl');
    await writeFile(stylesheet, TRANSFORM_XSL);
    daemon = spawnCli(['-c', folder.config, 'fcgi'], folder.dir);
    await daemon.logged('listening');
    const gate = gateClient(folder.port);
    const banner = async (): Promise<string> => {
      const answer = await gate.authorize('/page.html', { host: 'site.example', accept: 'text/html' });
      expect(answer.header('Variable-FCGI_CONTENT_TYPE')).toBe('text/html; charset=utf-8');
      return /<div id="site-banner">([^<]*)<\/div>/.exec(answer.body)?.[1] ?? '';
    };
    expect(await banner()).toBe('Example Site');
    await writeFile(stylesheet, TRANSFORM_XSL.replace('>Example Site<', '>Renamed Site<'));
    expect(await banner()).toBe('Example Site');
    daemon.signal('SIGHUP');
    await daemon.logged('reloaded');
    expect(await banner()).toBe('Renamed Site');
    await writeFile(stylesheet, TRANSFORM_XSL.replace('</xsl:template>', ''));
    daemon.signal('SIGHUP');
    const line = await daemon.logged('reload-failed');
    expect(String(line['msg'])).toContain(stylesheet);
    expect(await banner()).toBe('Renamed Site');
  });

  it('keeps the previous templates when a new one is malformed', async () => {
    const { folder: f, daemon: d, title } = await start();
    await editTemplate(f, '</title>', '</titel>');
    d.signal('SIGHUP');
    const line = await d.logged('reload-failed');
    expect(String(line['msg'])).toContain('basic-401.xhtml');
    expect(await title()).toMatch(/^Log In · /);
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  });
});
