import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { spawnCli } from './cli-process.js';
import { makeDaemonFolder, type DaemonFolder } from './daemon-folder.js';

describe('fcgi refusing to start', () => {
  let folder: DaemonFolder | undefined;

  afterEach(async () => {
    await folder?.cleanup();
    folder = undefined;
  });

  async function fcgi(f: DaemonFolder): Promise<{ code: number | null; stderr: string }> {
    const cli = spawnCli(['-c', f.config, 'fcgi'], f.dir);
    const { code } = await cli.exited;
    expect(existsSync(f.pidFile)).toBe(false);
    return { code, stderr: cli.stderr() };
  }

  it('exits 2 and lists every config problem with its key path', async () => {
    folder = await makeDaemonFolder();
    await writeFile(folder.config, 'port: banana\ncolour: blue\n');
    const { code, stderr } = await fcgi(folder);
    expect(code).toBe(2);
    expect(stderr).toMatch(/forgetpw\.yml has 3 problems/);
    expect(stderr).toMatch(/^ {2}port: .+$/m);
    expect(stderr).toMatch(/^ {2}colour.*$/m);
    expect(stderr).toMatch(/^ {2}email\.from: required$/m);
  });

  it('exits 2 and names a mapped template that is missing', async () => {
    // A page missing from templates.path falls back to the packaged one (the gem's folder lacks
    // some); a file the config names itself must be there.
    folder = await makeDaemonFolder({
      settings: { templates: { mapping: { email_sent: 'our-sent.xhtml' } } },
    });
    const { code, stderr } = await fcgi(folder);
    expect(code).toBe(2);
    expect(stderr).toContain('our-sent.xhtml');
  });

  it('exits 2 and names a stylesheet the daemon is to apply that is missing or broken', async () => {
    folder = await makeDaemonFolder({
      settings: { templates: { transform: 'site.xsl', transform_on: 'server' } },
    });
    const missing = await fcgi(folder);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `stylesheet ${path.join(folder.dir, 'site.xsl')} (templates.transform): no such file`,
    );
    await writeFile(
      path.join(folder.dir, 'site.xsl'),
      '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform">',
    );
    const broken = await fcgi(folder);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/stylesheet \S+site\.xsl \(templates\.transform\): line \d+/);
  });

  it('exits 2 and says how to migrate a database that is not', async () => {
    folder = await makeDaemonFolder({ migrate: false });
    const { code, stderr } = await fcgi(folder);
    expect(code).toBe(2);
    expect(stderr).toContain('forgetpw init');
    expect(stderr).toMatch(/pending: 0001/);
  });

  it('exits 1 naming metrics.listen when its port is taken', async () => {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      folder = await makeDaemonFolder({ settings: { metrics: { listen: `127.0.0.1:${port}` } } });
      const { code, stderr } = await fcgi(folder);
      expect(code).toBe(1);
      expect(stderr).toContain(`cannot listen on metrics.listen 127.0.0.1:${port} (EADDRINUSE)`);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
