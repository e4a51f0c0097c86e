import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import { SITE, startGate, type Gate } from '../flows/harness.js';
import { startTestDaemon } from '../support/daemon.js';
import { freshSqlite } from '../support/databases.js';
import { linkFromMail } from './link-from-mail.js';

/**
 * Issue 10, item 1: the site comes from configuration, never from Host alone. A link
 * mailed for `Host: evil.test` used to carry `http://evil.test/?knock=T` to the victim,
 * whose click handed T to the attacker.
 */
const ask = (g: Gate, host: string, email = 'zed@corp.test', extra: Record<string, string> = {}) =>
  g.gate.post(
    '/email-link',
    { email, forward: `http://${host}/` },
    { host, origin: `http://${host}`, extra },
  );

describe('a gate whose list grants every site, with `sites` naming its hosts', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate({ sites: [SITE, '*.apps.example'], trusted_proxies: ['192.0.2.0/24'] });
    await g.grant('corp.test', '');
  });
  afterAll(() => g.close());

  it('mails no link for a host that is not a site, and says so', async () => {
    const before = g.sink.messages.length;
    const res = await ask(g, 'evil.test');
    expect(res.status).toBe(421);
    expect(res.body).toContain('This Site Is Not Served Here');
    expect(res.body).not.toContain('name="email"');
    expect(g.sink.messages.length).toBe(before);
  });

  it('shows no login form on a host that is not a site', async () => {
    const res = await g.gate.authorize('/', { host: 'evil.test' });
    expect(res.status).toBe(421);
    expect(res.header('Variable-FCGI_USER')).toBeUndefined();
  });

  it('does not take a subdomain of a site in unless a pattern names it', async () => {
    expect((await ask(g, `takeover.${SITE}`)).status).toBe(421);
    const sent = await ask(g, 'wiki.apps.example');
    expect(sent.status).toBe(303);
    expect(linkFromMail(await g.sink.next('zed@corp.test')).hostname).toBe('wiki.apps.example');
    expect((await ask(g, 'apps.example')).status).toBe(421);
  });

  it('refuses a link and a session of a site when the request names another host', async () => {
    const session = await g.login('zed@corp.test');
    const elsewhere = await g.gate.authorize('/', { host: 'evil.test', cookie: `forgetpw=${session}` });
    expect(elsewhere.status).toBe(421);
    const { link, pending } = await g.requestLink('yan@corp.test');
    const knock = link.searchParams.get('knock')!;
    const posted = await g.gate.post(
      '/email-link',
      { knock, forward: 'http://evil.test/' },
      { host: 'evil.test', origin: 'http://evil.test', cookie: `forgetpw_link=${pending}` },
    );
    expect(posted.status).toBe(421);
    expect(posted.cookie('forgetpw')).toBeUndefined();
    // Still good at home.
    const home = await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(home.header('Variable-FCGI_USER')).toBe('yan@corp.test');
  });

  it('holds X-Forwarded-Host from a trusted proxy to the same rule', async () => {
    const before = g.sink.messages.length;
    const res = await g.gate.post(
      '/email-link',
      { email: 'zed@corp.test', forward: 'http://evil.test/' },
      {
        host: SITE,
        remoteAddr: '192.0.2.5',
        origin: 'http://evil.test',
        extra: { HTTP_X_FORWARDED_HOST: 'evil.test' },
      },
    );
    expect(res.status).toBe(421);
    expect(g.sink.messages.length).toBe(before);
  });
});

describe('a gate whose list names its sites (privilege -d), as every gem site does', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate();
    await g.grant('corp.test', SITE);
  });
  afterAll(() => g.close());

  it('serves the named site without a `sites` setting and refuses others', async () => {
    expect((await ask(g, SITE)).status).toBe(303);
    expect((await ask(g, 'evil.test')).status).toBe(421);
  });
});

describe('start-up', () => {
  it('refuses a list with only every-site rows and no `sites`, naming the setting', async () => {
    const db = freshSqlite();
    const { openStore } = await import('../../src/store/open-store.js');
    const { migrateLatest } = await import('../../src/store/migrate.js');
    const store = await openStore({ dsn: db.dsn }, { baseDir: db.dir });
    await migrateLatest(store.knex);
    await store.acl.put([{ domain: '', address: 'corp.test', allow: true }], Date.now());
    await store.close();
    try {
      const error: unknown = await startTestDaemon({ dsn: db.dsn, smtpPort: 1 }).then(
        async (d) => {
          await d.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(isAppError(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain('sites');
    } finally {
      db.cleanup();
    }
  });
});
