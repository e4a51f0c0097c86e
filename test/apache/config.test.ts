import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hermeticConfig } from '../../src/apache/hermetic-config.js';
import { runApache } from '../../src/apache/run-apache.js';
import { http, startApache, type TestApache } from '../support/apache.js';
import { freePort } from '../support/free-port.js';
import { fakeFastcgi, type FakeCall, type FakeFastcgi } from './fake-fastcgi.js';

const XHTML = 'application/xhtml+xml; charset=utf-8';
const LOGIN_PAGE = `<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Log in</title></head><body><p>Who are you?</p></body></html>`;

const login = (): string => `Status: 401\r\nVariable-FCGI_CONTENT_TYPE: ${XHTML}\r\n\r\n${LOGIN_PAGE}`;
const allow = (user: string, redirect?: string): string =>
  `Status: 200\r\nVariable-FCGI_USER: ${user}\r\n${redirect === undefined ? '' : `Variable-FCGI_REDIRECT: ${redirect}\r\n`}\r\n`;

/** A fake daemon and the example config in front of it, both gone when the test ends. */
async function gate(answer: (call: FakeCall) => string): Promise<{ apache: TestApache; fake: FakeFastcgi }> {
  const fake = await fakeFastcgi(answer);
  onTestFinished(() => fake.close());
  const apache = await startApache({ fcgiPort: fake.port });
  onTestFinished(() => apache.stop());
  return { apache, fake };
}

const authorizerCalls = (fake: FakeFastcgi): FakeCall[] => fake.calls.filter((c) => c.role === 'authorizer');

describe('apache-example.conf', () => {
  it('passes apache2 -t once made hermetic', async () => {
    const root = await mkdtemp(join(tmpdir(), 'forgetpw-conf-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const example = await readFile(new URL('../../apache-example.conf', import.meta.url), 'utf8');
    const conf = join(root, 'httpd.conf');
    await mkdir(join(root, 'run'));
    await mkdir(join(root, 'logs'));
    await writeFile(conf, hermeticConfig(example, { root, httpPort: 18080, fcgiPort: 10101, docRoot: root }));

    const { stderr } = await promisify(execFile)('/usr/sbin/apache2', ['-f', conf, '-t']);

    expect(stderr).toContain('Syntax OK');
  });

  it('starts Apache and stops it, port and process included', async () => {
    const root = await mkdtemp(join(tmpdir(), 'forgetpw-run-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const example = await readFile(new URL('../../apache-example.conf', import.meta.url), 'utf8');
    const httpPort = await freePort();
    const config = hermeticConfig(example, { root, httpPort, fcgiPort: await freePort(), docRoot: root });
    const apache = await runApache({ root, config, httpPort });

    await apache.stop();

    expect(() => process.kill(apache.pid, 0)).toThrow();
    await expect(http(`http://127.0.0.1:${String(httpPort)}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it.each(['/', '/page.html', '/cgi/whoami.cgi', '/no-such-page', '/logged-outside', '/email-linked'])(
    'asks the authorizer about %s',
    async (path) => {
      const { apache, fake } = await gate(login);

      const res = await http(apache.url(path));

      expect(res.status).toBe(401);
      expect(authorizerCalls(fake)).toHaveLength(1);
    },
  );

  it("sends the authorizer's 401 page with the Content-Type it names", async () => {
    const { apache } = await gate(login);

    const res = await http(apache.url('/page.html', 'site.example'));

    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe(XHTML);
    expect(res.body).toBe(LOGIN_PAGE);
  });

  it('passes the authorized user to content as REMOTE_USER', async () => {
    const { apache } = await gate(() => allow('alice@example.org'));

    const res = await http(apache.url('/cgi/whoami.cgi'), { method: 'POST', body: 'a=1' });

    expect(res.status).toBe(200);
    expect(res.body).toContain('REMOTE_USER=alice@example.org\n');
    expect(res.body).toContain('REQUEST_METHOD=POST\n');
    expect(res.body).toContain('BODY=a=1\n');
  });

  it('never takes the user from a client-sent Remote-User or X-Forwarded-User header', async () => {
    const { apache } = await gate(() => allow('alice@example.org'));

    const res = await http(apache.url('/cgi/whoami.cgi'), {
      headers: { 'remote-user': 'mallory@example.org', 'x-forwarded-user': 'mallory@example.org' },
    });

    expect(res.status).toBe(200);
    expect(res.body).toContain('REMOTE_USER=alice@example.org\n');
    expect(res.body).not.toContain('REMOTE_USER=mallory');
  });

  it('refuses a 200 that names no user', async () => {
    const { apache } = await gate(() => 'Status: 200\r\n\r\n');

    const res = await http(apache.url('/page.html'));

    expect(res.status).toBe(403);
  });

  it('redirects to FCGI_REDIRECT exactly as sent, query and escapes included', async () => {
    const { apache } = await gate((c) =>
      allow(
        'alice@example.org',
        c.params.get('QUERY_STRING')?.includes('knock=') ? '/page%20x.html?a=b+c' : undefined,
      ),
    );

    const res = await http(apache.url('/page%20x.html?a=b+c&knock=T0KEN'));
    const next = await http(res.headers.location!);

    expect(res.status).toBe(307);
    // UseCanonicalName On: Apache names the site in the redirect, whatever Host was sent.
    expect(res.headers.location).toBe(apache.url('/page%20x.html?a=b+c', 'site.example'));
    expect(next.status).toBe(200);
    expect(next.body).toBe('<p>page x</p>\n');
  });

  it('keeps a redirect that starts with // on this site', async () => {
    const { apache } = await gate(() => allow('alice@example.org', '//evil.example/x'));

    const res = await http(apache.url('/page.html?knock=T0KEN'));

    expect(res.status).toBe(307);
    expect(res.headers.location).toBe(apache.url('//evil.example/x', 'site.example'));
  });

  it('passes an Authorization header to the authorizer', async () => {
    const { apache, fake } = await gate(login);

    await http(apache.url('/page.html'), { headers: { authorization: 'Bearer x' } });

    expect(authorizerCalls(fake)[0]?.params.get('HTTP_AUTHORIZATION')).toBe('Bearer x');
  });

  it.each(['/email-link', '/logout'])(
    'proxies %s to the daemon without asking the authorizer',
    async (path) => {
      const { apache, fake } = await gate((c) =>
        c.role === 'responder' ? `Status: 200\r\nContent-Type: text/plain\r\n\r\ngot ${c.stdin}` : login(),
      );

      const res = await http(apache.url(path), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=a%40example.org&forward=%2F',
      });

      expect(res.status).toBe(200);
      expect(res.body).toBe('got email=a%40example.org&forward=%2F');
      expect(fake.calls.map((c) => [c.role, c.params.get('REQUEST_URI')])).toEqual([['responder', path]]);
    },
  );

  it.each(['/email-link', '/logout'])(
    'answers an oversize POST to %s with a 413 page, without bothering the daemon',
    async (path) => {
      const { apache, fake } = await gate(() => 'Status: 200\r\nContent-Type: text/plain\r\n\r\nok');
      const started = performance.now();

      const res = await http(apache.url(path), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=a%40example.org&pad=${'x'.repeat(20_000)}`,
      });

      expect(performance.now() - started).toBeLessThan(1000);
      expect(res.status).toBe(413);
      expect(res.body).toContain('<html');
      expect(fake.calls).toHaveLength(0);
    },
  );

  it.each(['/logged-out', '/logged-out-all'])('serves %s to anyone as XHTML', async (path) => {
    const { apache, fake } = await gate(login);
    const page = `<html xmlns="http://www.w3.org/1999/xhtml"><body>${path}</body></html>`;
    await writeFile(join(apache.root, 'static', `${path.slice(1)}.xhtml`), page);

    const res = await http(apache.url(path));

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XHTML);
    expect(res.body).toBe(page);
    expect(fake.calls).toHaveLength(0);
  });

  it.each([
    ['de-AT,de;q=0.9,en;q=0.5', 'de', 'Sie sind abgemeldet'],
    ['en-US,en;q=0.9', 'en', 'You Are Logged Out'],
    ['fr-FR,fr;q=0.9', 'fr', 'Vous êtes déconnecté'],
    ['es-ES,es;q=0.9', 'en', 'You Are Logged Out'],
    [undefined, 'en', 'You Are Logged Out'],
  ])('serves the logged-out page for Accept-Language %s in %s', async (language, expected, words) => {
    const { apache, fake } = await gate(login);

    const res = await http(apache.url('/logged-out'), {
      headers: language === undefined ? {} : { 'accept-language': language },
    });

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XHTML);
    expect(res.headers['content-language']).toBe(expected);
    expect(res.body).toContain(`lang="${expected}"`);
    expect(res.body).toContain(words);
    expect(fake.calls).toHaveLength(0);
  });

  it('keeps link tokens out of the access log', async () => {
    const { apache } = await gate(login);

    await http(apache.url('/page.html?knock=S3CRET'));

    const log = await apache.accessLog();
    expect(log).toContain('GET /page.html HTTP/1.1');
    expect(log).not.toContain('S3CRET');
  });
});
