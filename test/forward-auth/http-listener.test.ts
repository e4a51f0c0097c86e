import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/apache.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshSqlite } from '../support/databases.js';
import { freePort } from '../support/free-port.js';
import { startSmtpSink } from '../support/smtp-sink.js';

const ALICE = 'alice@example.org';

/** Raw bytes to the listener; resolves with whatever came back when the daemon closes or 2 s pass. */
function raw(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = (): void => {
      socket.destroy();
      resolve(got);
    };
    socket.on('data', (c: Buffer) => (got += c.toString('latin1')));
    socket.once('close', done);
    socket.once('error', done);
    setTimeout(done, 2000).unref();
    socket.write(bytes);
  });
}

describe('the HTTP listener, spoken to directly', () => {
  const db = freshSqlite();
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let trusting: TestDaemon;
  let wary: TestDaemon;
  const check = (gate: TestDaemon, headers: Record<string, string>) =>
    http(`http://127.0.0.1:${gate.daemon.http!.port}/auth`, {
      headers: { accept: 'application/xhtml+xml', ...headers },
    });

  beforeAll(async () => {
    sink = await startSmtpSink();
    trusting = await startTestDaemon({
      dsn: db.dsn,
      smtpPort: sink.port,
      settings: {
        http: { listen: `127.0.0.1:${await freePort()}` },
        site_name: { 'a.test': 'Alpha & Docs' },
      },
    });
    // Here the peer (127.0.0.1) is no trusted proxy.
    wary = await startTestDaemon({
      dsn: db.dsn,
      smtpPort: sink.port,
      settings: { http: { listen: `127.0.0.1:${await freePort()}`, trusted_proxies: ['192.0.2.1'] } },
    });
    await trusting.daemon.store.acl.put(
      [
        { domain: 'a.test', address: ALICE, allow: true },
        { domain: 'b.test', address: ALICE, allow: true },
      ],
      Date.now(),
    );
  });

  afterAll(async () => {
    await trusting?.close();
    await wary?.close();
    await sink?.close();
    db.cleanup();
  });

  it('believes X-Forwarded-Host and X-Original-URI from a trusted proxy only', async () => {
    const fromProxy = await check(trusting, {
      host: 'daemon.internal',
      'x-forwarded-host': 'a.test',
      'x-original-uri': '/secret?x=1',
    });
    expect(fromProxy.status).toBe(401);
    expect(fromProxy.body).toContain('http://a.test/secret?x=1');
    const fromAnyone = await check(wary, {
      host: 'daemon.internal',
      'x-forwarded-host': 'a.test',
      'x-original-uri': '/secret?x=1',
      'x-forwarded-uri': '/secret?x=1',
    });
    // Not believed, the headers leave the host the peer sent, which is no site: refused.
    expect(fromAnyone.status).toBe(421);
    expect(fromAnyone.body).not.toContain('a.test');
    expect(fromAnyone.body).not.toContain('/secret');
  });

  it('answers an allowed check with the identity headers, and a session of site A does not open site B', async () => {
    const base = `http://127.0.0.1:${trusting.daemon.http!.port}`;
    const sent = await http(`${base}/email-link`, {
      host: 'a.test',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://a.test' },
      body: new URLSearchParams({ email: ALICE, forward: 'http://a.test/page' }).toString(),
    });
    expect(sent.status).toBe(303);
    const pending = /forgetpw_link=([^;]*)/.exec(String(sent.headers['set-cookie']))?.[1] ?? '';
    const link = new URL(
      /http:\/\/a\.test\/email-link\?knock=[A-Za-z0-9_-]{43}/.exec((await sink.next(ALICE)).text)![0],
    );
    // Opened on site B, the link of site A is refused.
    const onB = await check(trusting, {
      host: 'b.test',
      'x-forwarded-uri': `/page${link.search}`,
      cookie: `forgetpw_link=${pending}`,
    });
    expect(onB.status).toBe(403);
    const onA = await check(trusting, {
      host: 'a.test',
      'x-forwarded-uri': `/page${link.search}`,
      cookie: `forgetpw_link=${pending}`,
    });
    expect(onA.status).toBe(307);
    expect(onA.headers.location).toBe('/page');
    const session = /forgetpw=([^;]*)/.exec(String(onA.headers['set-cookie']))?.[1] ?? '';
    const allowed = await check(trusting, {
      host: 'a.test',
      'x-forwarded-uri': '/page',
      cookie: `forgetpw=${session}`,
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['remote-user']).toBe(ALICE);
    expect(allowed.headers['remote-email']).toBe(ALICE);
    const elsewhere = await check(trusting, {
      host: 'b.test',
      'x-forwarded-uri': '/page',
      cookie: `forgetpw=${session}`,
    });
    expect(elsewhere.status).not.toBe(200);
    expect(elsewhere.headers['remote-user']).toBeUndefined();
    // nginx's subrequest: 2xx or 401 only, and a link is never spent there.
    const sub = await http(`${base}/auth-request`, {
      host: 'b.test',
      headers: { 'x-original-uri': '/page', cookie: `forgetpw=${session}` },
    });
    expect(sub.status).toBe(401);
    expect(sub.body).toBe('');
  });

  it.each([
    ['de-CH,de;q=0.9', 'de', 'Sie sind abgemeldet'],
    ['fr', 'fr', 'Vous êtes déconnecté'],
    ['es', 'en', 'You Are Logged Out'],
    ['', 'en', 'You Are Logged Out'],
  ])('serves the logged-out page to Accept-Language %j in %s', async (language, expected, words) => {
    const res = await http(`http://127.0.0.1:${trusting.daemon.http!.port}/logged-out`, {
      headers: language === '' ? {} : { 'accept-language': language },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-language']).toBe(expected);
    expect(res.headers['vary']).toContain('Accept-Language');
    expect(res.body).toContain(words);
  });

  it("names the site on the logged-out pages, for the gate's own sites only", async () => {
    const base = `http://127.0.0.1:${trusting.daemon.http!.port}`;
    const named = await http(`${base}/logged-out`, { host: 'a.test' });
    expect(named.status).toBe(200);
    expect(named.headers['content-type']).toMatch(/^application\/xhtml\+xml/);
    expect(named.body).toContain('<title>You Are Logged Out · Alpha &amp; Docs</title>');
    expect(named.body).toContain('<span class="site">Alpha &amp; Docs</span>');
    // Through a trusted proxy the page is about the host it names; b.test has no site_name.
    const proxied = await http(`${base}/logged-out-all`, {
      host: 'daemon.internal',
      headers: { 'x-forwarded-host': 'b.test' },
    });
    expect(proxied.body).toContain('<title>You Are Logged Out Everywhere · b.test</title>');
    // Any host gets the page, but only the gate's sites are named on it.
    for (const host of ['evil.test', 'x<b>y']) {
      const stranger = await http(`${base}/logged-out`, { host });
      expect(stranger.status).toBe(200);
      expect(stranger.body).toContain('<title>You Are Logged Out</title>');
      expect(stranger.body).not.toContain('evil');
      expect(stranger.body).not.toContain('<b>');
      expect(stranger.body).not.toContain('<?var');
    }
  });

  it('gives junk a page or a closed connection and keeps serving', async () => {
    const port = trusting.daemon.http!.port;
    const answers = await Promise.all([
      raw(port, 'GARBAGE\r\n\r\n'),
      raw(port, `GET /auth HTTP/1.1\r\nHost: a.test\r\nX-Original-URI: /${'a'.repeat(17_000)}\r\n\r\n`),
      raw(port, 'GET /auth HTTP/1.1\r\nHost: a.test\r\nX-Original-URI: /%zz?knock=%zz\r\n\r\n'),
      raw(
        port,
        'GET /auth HTTP/1.1\r\nHost: a.test\r\nX-Original-URI: /x\r\nX-Original-URI: /y\r\nX-Forwarded-Host: a.test\r\nX-Forwarded-Host: b.test, c.test\r\n\r\n',
      ),
      raw(port, 'GET /auth HTTP/1.1\r\nHost: a.test\r\nX-Original-URI: /x\rInjected: 1\r\n\r\n'),
      raw(
        port,
        'GET /auth HTTP/1.1\r\nHost: a.test\r\nX_Forwarded_Host: b.test\r\nConnection: close\r\n\r\n',
      ),
      raw(
        port,
        `POST /email-link HTTP/1.1\r\nHost: a.test\r\nContent-Length: 999999999\r\n\r\n${'x'.repeat(70_000)}`,
      ),
      raw(port, 'GET /auth HTTP/1.1\r\nHost: a.test\r\n'),
    ]);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 400/);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 431/);
    expect(answers[2]).toMatch(/^HTTP\/1\.1 (401|409)/);
    // The nearest proxy named c.test, which is no site of this gate.
    expect(answers[3]).toMatch(/^HTTP\/1\.1 421/);
    expect(answers[4]).toMatch(/^HTTP\/1\.1 400/);
    expect(answers[5]).toMatch(/^HTTP\/1\.1 401/);
    expect(answers[5]).not.toContain('b.test');
    expect(answers[6]).toMatch(/^HTTP\/1\.1 413/);
    expect(answers[7]).toBe('');
    const still = await check(trusting, { host: 'a.test' });
    expect(still.status).toBe(401);
  });
});
