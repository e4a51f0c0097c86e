import type { RequestListener } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, type HttpResult } from '../support/apache.js';
import { freshSqlite } from '../support/databases.js';
import type { startSmtpSink } from '../support/smtp-sink.js';
import { serverPresent, startProxyStack, type ProxyStack } from './proxy-stack.js';

const ALICE = 'alice@example.org';

function cookieValue(res: HttpResult, name: string): string | undefined {
  for (const line of res.headers['set-cookie'] ?? []) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (m !== null) return m[1];
  }
  return undefined;
}

function field(html: string, name: string): string | undefined {
  const m = new RegExp(`name="${name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="${name}"`).exec(html);
  return m === null ? undefined : (m[1] ?? m[2])?.replace(/&amp;/g, '&');
}

/** The app-password reveal link in a mail (SPEC §10). */
function revealLinkFrom(text: string): URL {
  const m = /https?:\/\/[^\s<>"]+reveal=[A-Za-z0-9_-]{43}/.exec(text);
  if (m === null) throw new Error(`no reveal link in the mail:\n${text}`);
  return new URL(m[0]);
}

const basicAuth = (user: string, secret: string): string =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

function linkFrom(text: string): string {
  const m = /https?:\/\/[^\s<>"]+knock=[A-Za-z0-9_-]{43}/.exec(text);
  if (m === null) throw new Error(`no link in the mail:\n${text}`);
  return m[0];
}

/** The app behind nginx and Caddy: says who the proxy told it the user is. */
const appAnswer: RequestListener = (req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(
    `app ${req.url ?? ''}\nuser=${String(req.headers['remote-user'] ?? '')}\n` +
      `email=${String(req.headers['remote-email'] ?? '')}\nxfu=${String(req.headers['x-forwarded-user'] ?? '')}\n`,
  );
};

describe.each(['nginx', 'caddy', 'lighttpd'] as const)('the login loop behind %s', (kind) => {
  // With CI=true a missing server fails this suite rather than skipping it (.ci/run installs it).
  const present = serverPresent(kind);
  const maybe = present ? it : it.skip;
  const db = freshSqlite();
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let stack: ProxyStack | undefined;
  let port: number;
  const authority = (): string => `127.0.0.1:${port}`;
  const url = (p: string): string => `http://${authority()}${p}`;
  const get = (p: string, headers: Record<string, string> = {}): Promise<HttpResult> =>
    http(url(p), { headers: { accept: 'application/xhtml+xml', ...headers } });
  const post = (p: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    http(url(p), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: `http://${authority()}`,
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });
  // lighttpd serves a document root, where no one tells the content who the user is.
  const page = kind === 'lighttpd' ? '/page.html' : '/page';
  const expectContent = (res: HttpResult): void => {
    expect(res.status).toBe(200);
    if (kind === 'lighttpd') expect(res.body).toContain('<p>page</p>');
    else expect(res.body).toContain(`user=${ALICE}\n`);
  };

  async function requestLink(): Promise<{ link: string; pending: string; code: string }> {
    const posted = await post('/email-link', { email: ALICE, forward: url(page) });
    // POST-redirect-GET (issue 15): the sent page is a GET of the login target, through the proxy.
    expect(posted.status).toBe(303);
    expect(new URL(posted.headers.location ?? '', url('/')).href).toBe(url('/email-link?sent=1'));
    const pending = cookieValue(posted, 'forgetpw_link') ?? '';
    expect(pending).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sent = await get('/email-link?sent=1', { cookie: `forgetpw_link=${pending}` });
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('Check Your E-Mail');
    const text = (await sink.next(ALICE)).text;
    const code =
      /(?<![A-Za-z0-9_-])[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}(?![A-Za-z0-9_-])/.exec(text)?.[0] ?? '';
    return { link: linkFrom(text), pending, code };
  }
  const pathOf = (link: string): string => new URL(link).pathname + new URL(link).search;

  async function logIn(): Promise<string> {
    const { link, pending } = await requestLink();
    const opened = await get(pathOf(link), { cookie: `forgetpw_link=${pending}` });
    expect(opened.status).toBe(303);
    return cookieValue(opened, 'forgetpw') ?? '';
  }

  beforeAll(async () => {
    if (!present) return;
    // Two sites behind the one proxy: 127.0.0.1 and localhost, both open to Alice.
    stack = await startProxyStack({
      kind,
      dsn: db.dsn,
      sites: ['127.0.0.1', 'localhost'],
      address: ALICE,
      settings: { limits: { email_per_address: 0 } },
      page: '<p>page</p>\n',
      app: appAnswer,
    });
    ({ sink, port } = stack);
  }, 30_000);

  afterAll(async () => {
    await stack?.close();
    db.cleanup();
  });

  maybe('shows our login page to an anonymous request, and its form mails a link', async () => {
    const form = await get(page);
    expect(form.status).toBe(401);
    expect(form.headers['content-type']).toMatch(/^application\/xhtml\+xml/);
    expect(form.body).toContain('action="/email-link"');
    expect(field(form.body, 'forward')).toBe(url(page));
    await requestLink();
  });

  maybe(
    'logs the same browser in on the link: cookie set, token out of the URL, content served',
    async () => {
      const { link, pending } = await requestLink();
      // The link opens the gate's own target through the proxy, which sends the person on.
      expect(link.startsWith(url('/email-link?knock='))).toBe(true);
      const opened = await get(pathOf(link), { cookie: `forgetpw_link=${pending}` });
      expect(opened.status).toBe(303);
      expect(new URL(opened.headers.location ?? '', url('/')).href).toBe(url(page));
      const session = cookieValue(opened, 'forgetpw');
      expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expectContent(await get(page, { cookie: `forgetpw=${session}` }));
      const again = await get(pathOf(link), { cookie: `forgetpw_link=${pending}` });
      expect(again.status).toBe(401);
      expect(again.body).toContain('The Link Has Expired');
    },
  );

  maybe('logs the browser that asked in with the mailed code, and no other browser', async () => {
    const { pending, code } = await requestLink();
    const elsewhere = await post('/email-link', { code, forward: url(page) });
    expect(elsewhere.status).toBe(401);
    expect(cookieValue(elsewhere, 'forgetpw')).toBeUndefined();
    const typed = await post(
      '/email-link',
      { code, forward: url(page) },
      { cookie: `forgetpw_link=${pending}` },
    );
    expect(typed.status).toBe(303);
    expect(new URL(typed.headers.location ?? '', url('/')).href).toBe(url(page));
    expectContent(await get(page, { cookie: `forgetpw=${cookieValue(typed, 'forgetpw') ?? ''}` }));
  });

  maybe('asks another browser to confirm, and the button logs it in', async () => {
    const { link } = await requestLink();
    const elsewhere = await get(pathOf(link));
    expect(elsewhere.status).toBe(401);
    const knock = field(elsewhere.body, 'knock');
    expect(knock).toBe(new URL(link).searchParams.get('knock'));
    const confirmed = await post('/email-link', {
      knock: knock!,
      forward: field(elsewhere.body, 'forward')!,
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe(url(page));
    expectContent(await get(page, { cookie: `forgetpw=${cookieValue(confirmed, 'forgetpw')}` }));
  });

  maybe('lets Bearer and Basic with a token through, and never a client-sent identity', async () => {
    const session = await logIn();
    expectContent(await get(page, { authorization: `Bearer ${session}` }));
    expectContent(
      await get(page, { authorization: `Basic ${Buffer.from(`:${session}`).toString('base64')}` }),
    );
    const spoofed = await get(page, {
      cookie: `forgetpw=${session}`,
      'remote-user': 'mallory@example.org',
      'remote-email': 'mallory@example.org',
      'x-forwarded-user': 'mallory@example.org',
    });
    expectContent(spoofed);
    expect(spoofed.body).not.toContain('mallory');
    const anonymous = await get(page, { 'remote-user': ALICE, 'x-forwarded-user': ALICE });
    expect(anonymous.status).toBe(401);
  });

  maybe('shows each error state with its page', async () => {
    const bad = await get(`${page}?knock=short`);
    expect(bad.status).toBe(409);
    // An unknown link gets the expired page with a form for a new one, as the gem answered.
    const unknown = await get(`${page}?knock=${'A'.repeat(43)}`);
    expect(unknown.status).toBe(401);
    const badCookie = await get(page, { cookie: 'forgetpw=not-a-token' });
    expect(badCookie.status).toBe(409);
    const goneCookie = await get(page, { cookie: `forgetpw=${'B'.repeat(43)}` });
    expect(goneCookie.status).toBe(401);
    const notListed = await post('/email-link', { email: 'eve@example.org', forward: url(page) });
    expect(notListed.status).toBe(403);
    const offSite = await post('/email-link', { email: ALICE, forward: 'http://elsewhere.test/' });
    expect(offSite.status).toBe(409);
    const getLogin = await get('/email-link');
    expect(getLogin.status).toBe(405);
    for (const res of [bad, unknown, badCookie, goneCookie, notListed, offSite, getLogin]) {
      expect(res.headers['content-type']).toMatch(/^application\/xhtml\+xml/);
      expect(res.body).toContain('<html');
    }
  });

  maybe('logs out one browser, then every browser', async () => {
    const a = await logIn();
    const b = await logIn();
    const out = await post('/logout', {}, { cookie: `forgetpw=${a}` });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe(url('/logged-out'));
    expect((await get('/logged-out')).status).toBe(200);
    const after = await get(page, { cookie: `forgetpw=${a}` });
    expect(after.status).toBe(401);
    expect(after.body).toContain('Your Session Has Run Out');
    expectContent(await get(page, { cookie: `forgetpw=${b}` }));
    const c = await logIn();
    const all = await post('/logout?all=1', {}, { cookie: `forgetpw=${c}` });
    expect(all.headers.location).toBe(url('/logged-out-all'));
    expect((await get(page, { cookie: `forgetpw=${b}` })).status).toBe(401);
    expect((await get('/logged-out-all')).status).toBe(200);
  });

  maybe(
    'serves the account page, and an app password revealed once works with Basic and Bearer until revoked',
    async () => {
      const anonymous = await get('/account');
      expect(anonymous.status).toBe(401);
      expect(field(anonymous.body, 'forward')).toBe(url('/account'));
      const cookie = { cookie: `forgetpw=${await logIn()}` };
      const shown = await get('/account', cookie);
      expect(shown.status).toBe(200);
      expect(shown.body).toContain('Your Account');
      expect(shown.body).toContain(ALICE);
      expect(shown.body).toContain('this browser');

      const label = `${kind} feed`;
      const created = await post('/account', { action: 'create', label, lifetime: 'P30D' }, cookie);
      expect(created.status).toBe(200);
      const link = revealLinkFrom((await sink.next(ALICE)).text);
      expect(`${link.origin}${link.pathname}`).toBe(url('/account'));
      // GET shows a button and spends nothing (mail scanners).
      const confirm = await get(pathOf(link.href));
      expect(confirm.status).toBe(200);
      expect(confirm.body).toContain('Show the password');
      expect(confirm.body).not.toContain('<pre class="secret">');
      const token = link.searchParams.get('reveal')!;
      expect(field(confirm.body, 'reveal')).toBe(token);
      const revealed = await post('/account', { reveal: token });
      expect(revealed.status).toBe(200);
      const secret =
        /<pre class="secret"><code>([A-Za-z0-9_-]{43})<\/code><\/pre>/.exec(revealed.body)?.[1] ?? '';
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(revealed.body).toContain(`curl -u ${ALICE}:${secret}`);
      const again = await post('/account', { reveal: token });
      expect(again.status).toBe(410);
      expect(again.body).not.toContain(secret);

      expectContent(await get(page, { authorization: basicAuth(ALICE, secret) }));
      expectContent(await get(page, { authorization: basicAuth('', secret) }));
      expectContent(await get(page, { authorization: `Bearer ${secret}` }));
      // Never as a cookie, never on another site behind the same proxy.
      expect((await get(page, { cookie: `forgetpw=${secret}` })).status).toBe(401);
      const elsewhere = await http(url(page), {
        host: `localhost:${port}`,
        headers: { accept: 'application/xhtml+xml', authorization: `Bearer ${secret}` },
      });
      expect(elsewhere.status).toBe(401);

      const listed = await get('/account', cookie);
      const row = listed.body.split('<tr>').find((r) => r.includes(label)) ?? '';
      const id = /name="id" value="([0-9a-f]+)"/.exec(row)?.[1] ?? '';
      expect(id).not.toBe('');
      const revoked = await post('/account', { action: 'revoke', id }, cookie);
      expect(revoked.status).toBe(303);
      expect((await get(page, { authorization: basicAuth(ALICE, secret) })).status).toBe(401);
      expect((await get(page, { authorization: `Bearer ${secret}` })).status).toBe(401);
      expect((await get('/account', cookie)).body).not.toContain(label);
    },
  );

  maybe("does not let site A's session or link open site B behind the same proxy", async () => {
    const onB = (p: string, headers: Record<string, string>): Promise<HttpResult> =>
      http(url(p), { host: `localhost:${port}`, headers: { accept: 'application/xhtml+xml', ...headers } });
    const session = await logIn();
    const withSession = await onB(page, { cookie: `forgetpw=${session}` });
    expect(withSession.status).toBe(401);
    expect(withSession.body).not.toContain('user=');
    const { link, pending } = await requestLink();
    const opened = await onB(pathOf(link), { cookie: `forgetpw_link=${pending}` });
    expect(opened.status).not.toBe(303);
    expect(cookieValue(opened, 'forgetpw')).toBeUndefined();
    expect(opened.body).not.toContain('user=');
    // Refused on B, the link still logs in on A, its own site.
    const onA = await get(pathOf(link), { cookie: `forgetpw_link=${pending}` });
    expect(onA.status).toBe(303);
  });
});
