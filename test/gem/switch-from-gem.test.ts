/**
 * A site running the Ruby gem switches without edits (issue 12): its database,
 * upgraded by `forgetpw migrate`, and its template folder (the gem's 14 files only),
 * behind real Apache. The gem's live session cookie still reaches the content.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATES } from '../../src/templates/states.js';
import { renderConfigYaml } from '../../src/config/render-config.js';
import { createLogger } from '../../src/log/create-logger.js';
import { createPages } from '../../src/templates/create-pages.js';
import { STATE_NAMES } from '../../src/templates/states.js';
import { cliWorkspace, type CliWorkspace } from '../cli/cli-workspace.js';
import { http, startApache, type HttpResult, type TestApache } from '../support/apache.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { GEM, GEM_TEMPLATE_FILES, makeGemDatabase, makeGemTemplateFolder } from './gem-fixture.js';

const SITE = 'site.test';
type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

describe('switching a site from the Ruby gem', () => {
  let ws: CliWorkspace;
  let sink: Sink;
  let gate: TestDaemon;
  let apache: TestApache;
  let dsn: string;
  let gemTemplates: string;
  const url = (p: string): string => `http://${SITE}:${apache.port}${p}`;
  const get = (p: string, headers: Record<string, string> = {}): Promise<HttpResult> =>
    http(url(p), { host: `${SITE}:${apache.port}`, headers });
  const post = (p: string, form: Record<string, string>): Promise<HttpResult> =>
    http(url(p), {
      host: `${SITE}:${apache.port}`,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: `http://${SITE}:${apache.port}`,
      },
      body: new URLSearchParams(form).toString(),
    });

  beforeAll(async () => {
    ws = cliWorkspace();
    dsn = `sqlite://${path.join(ws.dir, 'gem.sqlite')}`;
    gemTemplates = path.join(ws.dir, 'content');
    makeGemTemplateFolder(gemTemplates);
    await makeGemDatabase(dsn);
    // The gem site's access list names partner.example for site.test; a per-site row for
    // the host these requests use, as the known-sites rule wants.
    sink = await startSmtpSink();
    writeFileSync(
      path.join(ws.dir, 'forgetpw.yml'),
      renderConfigYaml({
        state: { dsn },
        templates: { path: 'content' },
        email: { from: 'robot@example.org', method: 'file', options: { path: 'mail' } },
      }),
    );
  });

  afterAll(async () => {
    await apache?.stop();
    await gate?.close();
    await sink?.close();
    ws?.cleanup();
  });

  it('refuses to serve the gem database until `forgetpw migrate` has upgraded it', async () => {
    const refused = await ws.run('fcgi');
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toMatch(/Ruby gem's database: run `forgetpw migrate`/);
    const migrated = await ws.run('migrate');
    expect(migrated.code, migrated.err.join('\n')).toBe(0);
    expect(migrated.text).toMatch(/ruby-gem-import \(3 users, 3 access-list rows, 1 live sessions kept/);
    expect((await ws.run('migrate')).text).toMatch(/is up to date; nothing to apply/);
  });

  it("lets the gem's live session through Apache and answers its old links with the expired page", async () => {
    gate = await startTestDaemon({
      dsn,
      smtpPort: sink.port,
      settings: { templates: { path: gemTemplates } },
    });
    await gate.daemon.store.acl.put([{ domain: SITE, address: 'ann@example.org', allow: true }], Date.now());
    apache = await startApache({ fcgiPort: gate.port, aliases: [SITE] });

    const content = await get('/cgi/whoami.cgi', { cookie: `forgetpw=${GEM.liveCookie}` });
    expect(content.status).toBe(200);
    expect(content.body).toContain('REMOTE_USER=ann@example.org');

    const gone = await get('/cgi/whoami.cgi', { cookie: `forgetpw=${GEM.expiredCookie}` });
    expect(gone.status).toBe(401);
    expect(gone.body).toContain('Your Session Has Run Out');

    // Both of the gem's links were dropped, the fresh one too: each gets the expired page and a form.
    for (const knock of [GEM.spentLinkKnock, GEM.freshLinkKnock]) {
      const old = await get(`/cgi/whoami.cgi?knock=${knock}`);
      expect(old.status).toBe(401);
      expect(old.body).toContain('The Link Has Expired');
      expect(old.body).toContain('action="/email-link"');
    }
  });

  it('serves every state from a copy of the gem template folder', () => {
    const pages = createPages({
      path: gemTemplates,
      mapping: {},
      transform: undefined,
      base: undefined,
      log: createLogger('silent'),
    });
    // Every page the gem never had comes from the packaged set; the gem's own 14 files are used.
    const packagedOnly = [...new Set(Object.values(STATES).map((s) => s.file))].filter(
      (file) => !(GEM_TEMPLATE_FILES as readonly string[]).includes(file),
    );
    expect([...pages.fallbacks].sort()).toEqual(packagedOnly.sort());
    expect(pages.fallbacks).toEqual(
      expect.arrayContaining(['knock-confirm.xhtml', 'throttled.xhtml', 'basic-503.xhtml']),
    );
    for (const state of STATE_NAMES) {
      const page = pages.page(
        state,
        { LOGIN: '/email-link', FORWARD: '/' },
        { accept: 'text/html', documentRoot: undefined, base: undefined },
      );
      expect(page.body.toString()).toMatch(/<title>[^<]+<\/title>/);
    }
  });

  it('keeps the access list: a blocked address is refused, a listed one gets a link', async () => {
    const blocked = await post('/email-link', { email: 'mallory@example.org', forward: url('/page.html') });
    expect(blocked.status).toBe(403);
    const listed = await post('/email-link', { email: 'ann@example.org', forward: url('/page.html') });
    expect(listed.status).toBe(303);
    expect(listed.headers.location).toBe(url('/email-link?sent=1'));
  });

  it('upgrades the gem database from `forgetpw init` too', async () => {
    const other = cliWorkspace();
    try {
      await makeGemDatabase(`sqlite://${path.join(other.dir, 'gem.sqlite')}`);
      const result = await other.run('init', '-d', 'sqlite://gem.sqlite', '-f', 'robot@example.org');
      expect(result.code, result.err.join('\n')).toBe(0);
      expect(result.text).toMatch(
        /applied 5 migration\(s\): 0001-initial, 0002-app-passwords, 0003-link-codes, 0004-link-language, ruby-gem-import \(3 users/,
      );
    } finally {
      other.cleanup();
    }
  });
});
