import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApache, http, type HttpResult, type TestApache } from '../support/apache.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshSqlite } from '../support/databases.js';
import { startSmtpSink } from '../support/smtp-sink.js';

/**
 * Issue 10, through the real Apache and apache-example.conf as shipped: each way around
 * the gate the review found, tried as the attacker did it.
 */
const SITE = 'site.example';

type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

function cookieValue(res: HttpResult, name: string): string | undefined {
  for (const line of res.headers['set-cookie'] ?? []) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (m !== null) return m[1];
  }
  return undefined;
}

describe('the gate through Apache (issue 10)', () => {
  let db: ReturnType<typeof freshSqlite>;
  let sink: Sink;
  let gate: TestDaemon;
  let apache: TestApache;
  const origin = (): string => `http://${SITE}:${apache.port}`;
  const get = (path: string, headers: Record<string, string> = {}, host = `${SITE}:${apache.port}`) =>
    http(`http://${host}${path}`, { host, headers });
  const post = (path: string, form: Record<string, string>, host = `${SITE}:${apache.port}`, headers = {}) =>
    http(`http://${host}${path}`, {
      host,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: `http://${host}`,
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });

  /** Logs `address` in the way a browser does; answers the session cookie. */
  async function login(address: string): Promise<string> {
    const sent = await post('/email-link', { email: address, forward: `${origin()}/cgi/whoami.cgi` });
    expect(sent.status).toBe(303);
    const pending = cookieValue(sent, 'forgetpw_link')!;
    const link = new URL(/https?:\/\/[^\s<>"]+knock=[A-Za-z0-9_-]{43}/.exec((await sink.next()).text)![0]);
    const opened = await get(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(opened.status).toBe(303);
    return cookieValue(opened, 'forgetpw')!;
  }

  beforeAll(async () => {
    db = freshSqlite();
    sink = await startSmtpSink();
    // Every-site rows, as `privilege` without -d writes them: `sites` names the one site.
    gate = await startTestDaemon({ dsn: db.dsn, smtpPort: sink.port, settings: { sites: [SITE] } });
    const now = Date.now();
    await gate.daemon.store.acl.put(
      [
        { domain: '', address: 'example.org', allow: true },
        { domain: '', address: 'intern@example.org', allow: false },
      ],
      now,
    );
    apache = await startApache({ fcgiPort: gate.port });
  });

  afterAll(async () => {
    await apache?.stop();
    await gate?.close();
    await sink?.close();
    db?.cleanup();
  });

  it('mails no link for a Host the attacker picks, and shows it no form', async () => {
    const before = sink.messages.length;
    const attacker = `evil.test:${apache.port}`;
    const asked = await post(
      '/email-link',
      { email: 'zed@example.org', forward: `http://${attacker}/` },
      attacker,
    );
    expect(asked.status).toBe(403);
    const page = await get('/', {}, attacker);
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('name="email"');
    // A subdomain of the site is no site either.
    expect((await get('/', {}, `takeover.${SITE}:${apache.port}`)).status).toBe(403);
    expect(sink.messages.length).toBe(before);
  });

  it('refuses addresses that route mail elsewhere before any mail is built', async () => {
    const before = sink.messages.length;
    for (const email of ['attacker%evil.test@example.org', 'evil.test!attacker@example.org']) {
      const res = await post('/email-link', { email, forward: `${origin()}/` });
      expect(res.status).toBe(409);
    }
    expect(sink.messages.length).toBe(before);
  });

  it('folds sub-addresses: a blocked or disabled person gets no link by adding a tag', async () => {
    const before = sink.messages.length;
    const tagged = await post('/email-link', { email: 'intern+x@example.org', forward: `${origin()}/` });
    expect(tagged.status).toBe(403);
    await login('bob@example.org');
    await gate.daemon.store.users.setDisabled('bob@example.org', Date.now());
    const again = await post('/email-link', { email: 'bob+again@example.org', forward: `${origin()}/` });
    expect(again.status).toBe(403);
    expect(sink.messages.length).toBe(before + 1);
    const who = await get('/cgi/whoami.cgi', { cookie: `forgetpw=${await login('cy+tag@example.org')}` });
    expect(who.body).toContain('REMOTE_USER=cy@example.org');
  });

  it('refuses Basic naming someone else, and the app sees neither the token nor the gate cookies', async () => {
    const session = await login('dee@example.org');
    const as = (user: string) => `Basic ${Buffer.from(`${user}:${session}`).toString('base64')}`;
    expect((await get('/cgi/whoami.cgi', { authorization: as('admin@example.org') })).status).toBe(401);
    const own = await get('/cgi/whoami.cgi', { authorization: as('dee@example.org') });
    expect(own.status).toBe(200);
    expect(own.body).toContain('REMOTE_USER=dee@example.org');
    expect(own.body).toContain('HTTP_AUTHORIZATION=\n');
    const withCookies = await get('/cgi/whoami.cgi', {
      cookie: `theme=dark; forgetpw=${session}; forgetpw_link=x; lang=de`,
    });
    expect(withCookies.body).toContain('REMOTE_USER=dee@example.org');
    expect(withCookies.body).toContain('HTTP_COOKIE=theme=dark; lang=de\n');
    expect(withCookies.body).not.toContain(session);
  });

  it('mails a link to the gate itself, so a public forward never holds the token', async () => {
    const sent = await post('/email-link', { email: 'gus@example.org', forward: `${origin()}/page.html` });
    const pending = cookieValue(sent, 'forgetpw_link')!;
    const link = new URL(/https?:\/\/[^\s<>"]+knock=[A-Za-z0-9_-]{43}/.exec((await sink.next()).text)![0]);
    expect(link.pathname).toBe('/email-link');
    const opened = await get(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe(`${origin()}/page.html`);
    expect(opened.headers['cache-control']).toContain('no-store');
  });

  it('sends the 307 of a link opened on a protected page with Cache-Control: no-store', async () => {
    // A link mailed before the switch (or by `knock.opens: page`): the token on the page itself.
    const sent = await post('/email-link', {
      email: 'hal@example.org',
      forward: `${origin()}/cgi/whoami.cgi`,
    });
    const pending = cookieValue(sent, 'forgetpw_link')!;
    const token = new URL(
      /https?:\/\/[^\s<>"]+knock=[A-Za-z0-9_-]{43}/.exec((await sink.next()).text)![0],
    ).searchParams.get('knock')!;
    const opened = await get(`/cgi/whoami.cgi?knock=${token}`, { cookie: `forgetpw_link=${pending}` });
    expect(opened.status).toBe(307);
    expect(opened.headers['cache-control']).toBe('no-store');
    expect(cookieValue(opened, 'forgetpw')).toBeDefined();
  });
});
