import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

describe('forgetpw extract', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it('writes the default templates into the folder, creating it', async () => {
    ws = cliWorkspace();
    const result = await ws.run('extract', 'tpl');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`wrote ${path.join(ws.dir, 'tpl', 'basic-401.xhtml')}`);
    expect(readFileSync(path.join(ws.dir, 'tpl', 'email.xhtml'), 'utf8')).toContain('href="$KNOCK_URL"');
  });

  it('writes the static logged-out pages with --static', async () => {
    ws = cliWorkspace();
    const result = await ws.run('extract', '--static', 'static');
    expect(result.code).toBe(0);
    expect(result.out.length).toBeGreaterThan(0);
    expect(existsSync(path.join(ws.dir, 'static', 'basic-401.xhtml'))).toBe(false);
    for (const line of result.out) expect(existsSync(line.replace(/^wrote /, ''))).toBe(true);
  });

  it('names the site in the static pages with --site-name', async () => {
    ws = cliWorkspace();
    const result = await ws.run('extract', '--static', '--site-name', 'Acme Docs', 'static');
    expect(result.code).toBe(0);
    const page = readFileSync(path.join(ws.dir, 'static', 'logged-out.xhtml'), 'utf8');
    expect(page).toContain('<title>You Are Logged Out · Acme Docs</title>');
    expect(page).toContain('<span class="site">Acme Docs</span>');
  });

  it('needs a destination (exit 2)', async () => {
    ws = cliWorkspace();
    expect((await ws.run('extract')).code).toBe(2);
  });
});
