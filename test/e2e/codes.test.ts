/**
 * The one-time code end to end (SPEC §11, issue 16): the mail's code typed into the browser that
 * asked, through real Apache and through the HTTP listener, with the mail taken from real SMTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startApache, type HttpResult, type TestApache } from '../support/apache.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshSqlite } from '../support/databases.js';
import { freePort } from '../support/free-port.js';
import { startSmtpSink } from '../support/smtp-sink.js';

const SITE = 'site.example';
const CODE = /(?<![A-Za-z0-9_-])[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}(?![A-Za-z0-9_-])/;

type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

function cookieValue(res: HttpResult, name: string): string | undefined {
  for (const line of res.headers['set-cookie'] ?? []) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (m !== null) return m[1];
  }
  return undefined;
}

/** A code of the alphabet that is not `code`. */
const otherThan = (code: string): string => (code.startsWith('2222') ? '3333-3333' : '2222-2222');

/** One site, spoken to as a browser would: `base` is where requests go, `host` the Host header. */
function browserOn(base: string, host: string) {
  const origin = `http://${host}`;
  const get = (path: string, cookie?: string): Promise<HttpResult> =>
    http(`${base}${path}`, { host, headers: cookie === undefined ? {} : { cookie } });
  const post = (path: string, form: Record<string, string>, cookie?: string): Promise<HttpResult> =>
    http(`${base}${path}`, {
      host,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin,
        ...(cookie === undefined ? {} : { cookie }),
      },
      body: new URLSearchParams(form).toString(),
    });
  return { get, post };
}

describe('the one-time code through Apache', () => {
  const db = freshSqlite();
  let sink: Sink;
  let gate: TestDaemon;
  let apache: TestApache;
  let site: ReturnType<typeof browserOn>;
  const page = (path: string): string => `http://${SITE}:${apache.port}${path}`;

  /** Asks for a link from the browser whose pending cookie comes back, and follows the 303. */
  async function ask(email: string): Promise<{ pending: string; code: string; sent: HttpResult }> {
    const posted = await site.post('/email-link', { email, forward: page('/cgi/whoami.cgi') });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(page('/email-link?sent=1'));
    const pending = cookieValue(posted, 'forgetpw_link')!;
    expect(pending).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sent = await site.get('/email-link?sent=1', `forgetpw_link=${pending}`);
    const mail = await sink.next(email);
    const code = CODE.exec(mail.text)?.[0];
    expect(code, mail.text).toBeDefined();
    expect(mail.html).toContain(code);
    return { pending, code: code!, sent };
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    gate = await startTestDaemon({ dsn: db.dsn, smtpPort: sink.port });
    await gate.daemon.store.acl.put([{ domain: SITE, address: 'example.org', allow: true }], Date.now());
    apache = await startApache({ fcgiPort: gate.port });
    site = browserOn(`http://127.0.0.1:${apache.port}`, `${SITE}:${apache.port}`);
  });

  afterAll(async () => {
    await apache?.stop();
    await gate?.close();
    await sink?.close();
    db.cleanup();
  });

  it('logs in with the mailed code typed in the browser that asked, and serves the content', async () => {
    const form = await site.get('/cgi/whoami.cgi');
    expect(form.status).toBe(401);
    const { pending, code, sent } = await ask('ann@example.org');
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('Check Your E-Mail');
    expect(sent.body).toMatch(/<input [^>]*name="code"/);
    // A reload of the sent page is a GET again: no second mail.
    expect((await site.get('/email-link?sent=1', `forgetpw_link=${pending}`)).status).toBe(200);

    const typed = await site.post(
      '/email-link',
      { code: code.toLowerCase().replace('-', ' '), forward: page('/cgi/whoami.cgi') },
      `forgetpw_link=${pending}`,
    );
    expect(typed.status).toBe(303);
    expect(typed.headers.location).toBe(page('/cgi/whoami.cgi'));
    const session = cookieValue(typed, 'forgetpw')!;
    const content = await site.get('/cgi/whoami.cgi', `forgetpw=${session}`);
    expect(content.status).toBe(200);
    expect(content.body).toContain('REMOTE_USER=ann@example.org');
    expect(sink.messages.filter((m) => m.to.includes('ann@example.org'))).toHaveLength(1);
  });

  it('ends the code after five wrong tries, and neither the code nor the link logs in then', async () => {
    const { pending, code } = await ask('bob@example.org');
    const cookie = `forgetpw_link=${pending}`;
    const forward = page('/cgi/whoami.cgi');
    for (let i = 0; i < 4; i++) {
      const wrong = await site.post('/email-link', { code: otherThan(code), forward }, cookie);
      expect(wrong.status).toBe(401);
      expect(wrong.body).toContain('That Code Is Not Right');
    }
    const ended = await site.post('/email-link', { code: otherThan(code), forward }, cookie);
    expect(ended.status).toBe(403);
    expect(ended.body).toContain('This Code No Longer Works');
    expect(ended.body).toContain('action="/email-link"');
    const late = await site.post('/email-link', { code, forward }, cookie);
    expect(late.status).toBe(403);
    expect(cookieValue(late, 'forgetpw')).toBeUndefined();
  });

  it('does nothing with the code typed in another browser', async () => {
    const { code } = await ask('cid@example.org');
    const elsewhere = await site.post('/email-link', { code, forward: page('/cgi/whoami.cgi') });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body).toContain('No Login Is Waiting Here');
    expect(cookieValue(elsewhere, 'forgetpw')).toBeUndefined();
    expect((await site.get('/cgi/whoami.cgi')).status).toBe(401);
  });
});

describe('the one-time code through the HTTP listener', () => {
  const db = freshSqlite();
  let sink: Sink;
  let gate: TestDaemon;

  beforeAll(async () => {
    sink = await startSmtpSink();
    gate = await startTestDaemon({
      dsn: db.dsn,
      smtpPort: sink.port,
      settings: { http: { listen: `127.0.0.1:${await freePort()}` } },
    });
    await gate.daemon.store.acl.put([{ domain: 'a.test', address: 'example.org', allow: true }], Date.now());
  });

  afterAll(async () => {
    await gate?.close();
    await sink?.close();
    db.cleanup();
  });

  it('logs in with the code in the browser that asked, and only there', async () => {
    const base = `http://127.0.0.1:${gate.daemon.http!.port}`;
    const site = browserOn(base, 'a.test');
    const posted = await site.post('/email-link', {
      email: 'ann@example.org',
      forward: 'http://a.test/page',
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe('http://a.test/email-link?sent=1');
    const pending = cookieValue(posted, 'forgetpw_link')!;
    const sent = await site.get('/email-link?sent=1', `forgetpw_link=${pending}`);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatch(/<input [^>]*name="code"/);
    const code = CODE.exec((await sink.next('ann@example.org')).text)![0];

    const elsewhere = await site.post('/email-link', { code, forward: 'http://a.test/page' });
    expect(elsewhere.status).toBe(401);
    const wrong = await site.post(
      '/email-link',
      { code: otherThan(code), forward: 'http://a.test/page' },
      `forgetpw_link=${pending}`,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('4 more tries');

    const typed = await site.post(
      '/email-link',
      { code, forward: 'http://a.test/page' },
      `forgetpw_link=${pending}`,
    );
    expect(typed.status).toBe(303);
    expect(typed.headers.location).toBe('http://a.test/page');
    const session = cookieValue(typed, 'forgetpw')!;
    const allowed = await http(`${base}/auth`, {
      headers: { host: 'a.test', 'x-forwarded-uri': '/page', cookie: `forgetpw=${session}` },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['remote-user']).toBe('ann@example.org');
  });
});
