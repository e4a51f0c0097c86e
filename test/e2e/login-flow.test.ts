import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/tokens/hash-secret.js';
import { startApache, http, type TestApache, type HttpResult } from '../support/apache.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshPostgres, freshSqlite } from '../support/databases.js';
import { startSmtpSink } from '../support/smtp-sink.js';

const SITE = 'site.example';
const ALICE = 'alice@example.org';

type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

function cookieValue(res: HttpResult, name: string): string | undefined {
  for (const line of setCookies(res)) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (m !== null) return m[1];
  }
  return undefined;
}

function setCookies(res: HttpResult): string[] {
  return res.headers['set-cookie'] ?? [];
}

function linkFrom(text: string): string {
  const m = /https?:\/\/[^\s<>"]+knock=[A-Za-z0-9_-]{43}/.exec(text);
  if (m === null) throw new Error(`no link in the mail:\n${text}`);
  return m[0];
}

function field(html: string, name: string): string | undefined {
  const m = new RegExp(`name="${name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="${name}"`).exec(html);
  return m === null ? undefined : (m[1] ?? m[2])?.replace(/&amp;/g, '&');
}

describe.each([
  ['SQLite', freshSqlite],
  ['PostgreSQL', freshPostgres],
] as const)('the login flow through Apache on %s', (_name, freshDb) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let sink: Sink;
  let gate: TestDaemon;
  let apache: TestApache;
  const url = (path: string): string => `http://${SITE}:${apache.port}${path}`;
  const get = (path: string, headers: Record<string, string> = {}): Promise<HttpResult> =>
    http(url(path), { host: `${SITE}:${apache.port}`, headers });
  const post = (
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> =>
    http(url(path), {
      host: `${SITE}:${apache.port}`,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: `http://${SITE}:${apache.port}`,
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });

  async function requestLink(pendingJar: { value?: string }): Promise<string> {
    const posted = await post('/email-link', { email: ALICE, forward: url('/cgi/whoami.cgi') });
    // POST-redirect-GET (issue 15): a reload of the sent page mails nothing.
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(url('/email-link?sent=1'));
    const pending = cookieValue(posted, 'forgetpw_link');
    expect(pending).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sent = await get('/email-link?sent=1', { cookie: `forgetpw_link=${pending}` });
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('Check Your E-Mail');
    pendingJar.value = pending ?? '';
    const mail = await sink.next(ALICE);
    return linkFrom(mail.text);
  }

  beforeAll(async () => {
    db = await freshDb();
    sink = await startSmtpSink();
    gate = await startTestDaemon({ dsn: db.dsn, smtpPort: sink.port });
    await gate.daemon.store.acl.put([{ domain: SITE, address: 'example.org', allow: true }], Date.now());
    apache = await startApache({ fcgiPort: gate.port });
  });

  afterAll(async () => {
    await apache?.stop();
    await gate?.close();
    await sink?.close();
    await db?.cleanup();
  });

  it('walks the whole login: form, mail, link, content, reuse, confirm, bearer, logout, logout-all', async () => {
    // 1. Not logged in: the form asking for an address, posting to /email-link with the page to return to.
    const form = await get('/cgi/whoami.cgi');
    expect(form.status).toBe(401);
    expect(form.headers['content-type']).toMatch(/^application\/xhtml\+xml/);
    expect(form.body).toContain('action="/email-link"');
    expect(field(form.body, 'forward')).toBe(url('/cgi/whoami.cgi'));

    // 2-3. Ask for a link; it arrives by SMTP, as a multipart mail whose subject names the site.
    const jarA: { value?: string } = {};
    const link = await requestLink(jarA);
    // The link opens the gate's own target, never the page: the token reaches no page or app.
    expect(link.startsWith(url('/email-link?knock='))).toBe(true);

    // 4. The same browser opens it: 303 on to the page without the token, with a session cookie.
    const opened = await get(new URL(link).pathname + new URL(link).search, {
      cookie: `forgetpw_link=${jarA.value}`,
    });
    expect(opened.status).toBe(303);
    expect(opened.headers['cache-control']).toContain('no-store');
    expect(opened.headers.location).toBe(url('/cgi/whoami.cgi'));
    const sessionA = cookieValue(opened, 'forgetpw');
    expect(sessionA).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setCookies(opened).find((c) => c.startsWith('forgetpw='))).toMatch(/HttpOnly/);

    // 5. The protected content sees the person as REMOTE_USER.
    const content = await get('/cgi/whoami.cgi', { cookie: `forgetpw=${sessionA}` });
    expect(content.status).toBe(200);
    expect(content.body).toContain(`REMOTE_USER=${ALICE}`);

    // 6. The link is single-use: opening it again is refused.
    const reused = await get(new URL(link).pathname + new URL(link).search, {
      cookie: `forgetpw_link=${jarA.value}`,
    });
    expect(reused.status).toBe(401);
    expect(reused.body).toContain('The Link Has Expired');

    // 7. A link opened in another browser (no pending cookie) consumes nothing and asks to confirm.
    const jarA2: { value?: string } = {};
    const link2 = await requestLink(jarA2);
    const elsewhere = await get(new URL(link2).pathname + new URL(link2).search);
    expect(elsewhere.status).toBe(401);
    const knock = field(elsewhere.body, 'knock');
    expect(knock).toBe(new URL(link2).searchParams.get('knock'));
    expect(field(elsewhere.body, 'forward')).toBe(url('/cgi/whoami.cgi'));
    const confirmed = await post('/email-link', {
      knock: knock!,
      forward: field(elsewhere.body, 'forward')!,
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe(url('/cgi/whoami.cgi'));
    const sessionB = cookieValue(confirmed, 'forgetpw');
    expect(sessionB).toBeDefined();
    expect((await get('/cgi/whoami.cgi', { cookie: `forgetpw=${sessionB}` })).body).toContain(
      `REMOTE_USER=${ALICE}`,
    );

    // 8. The session token works as a Bearer token (curl, feed readers).
    const bearer = await get('/cgi/whoami.cgi', { authorization: `Bearer ${sessionA}` });
    expect(bearer.status).toBe(200);
    expect(bearer.body).toContain(`REMOTE_USER=${ALICE}`);

    // 9. Logout ends this browser's session server-side; the old cookie is refused.
    const out = await post('/logout', {}, { cookie: `forgetpw=${sessionA}` });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe(url('/logged-out'));
    expect(setCookies(out).some((c) => /^forgetpw=;.*Max-Age=0/i.test(c))).toBe(true);
    const afterLogout = await get('/cgi/whoami.cgi', { cookie: `forgetpw=${sessionA}` });
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body).toContain('Your Session Has Run Out');

    // 10. Logout-all from a third browser ends browser B's session too.
    const jarC: { value?: string } = {};
    const link3 = await requestLink(jarC);
    const openedC = await get(new URL(link3).pathname + new URL(link3).search, {
      cookie: `forgetpw_link=${jarC.value}`,
    });
    const sessionC = cookieValue(openedC, 'forgetpw');
    const outAll = await post('/logout?all=1', {}, { cookie: `forgetpw=${sessionC}` });
    expect(outAll.headers.location).toBe(url('/logged-out-all'));
    expect((await get('/cgi/whoami.cgi', { cookie: `forgetpw=${sessionB}` })).status).toBe(401);
    expect((await get('/logged-out-all')).status).toBe(200);
  });

  it('stores only hashes: the database holds neither the link token nor the session cookie', async () => {
    const jar: { value?: string } = {};
    const link = await requestLink(jar);
    const secret = new URL(link).searchParams.get('knock')!;
    const opened = await get(new URL(link).pathname + new URL(link).search, {
      cookie: `forgetpw_link=${jar.value}`,
    });
    const session = cookieValue(opened, 'forgetpw')!;
    const knex = gate.daemon.store.knex;
    const dump = JSON.stringify(await knex('tokens').select()) + JSON.stringify(await knex('users').select());
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(session);
    expect(dump).toContain(hashSecret(session));
  });
});
