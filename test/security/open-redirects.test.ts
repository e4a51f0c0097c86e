/**
 * Open redirects (issue 4, SPEC §2.2 forward_bad): the known bypasses of redirect
 * checks (oauth2-proxy's advisories CVE-2020-5233, CVE-2020-11053, CVE-2020-4037,
 * CVE-2021-21291 and the usual lists) are refused through the daemon, and every
 * redirect the gate itself answers stays on the requested site.
 *
 * Without privacy.conceal_list a mail is sent before the answer, so a mail that
 * went out is in the sink by the time the answer arrives: "no mail" needs no wait.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, type Gate } from '../flows/harness.js';

const ORIGIN = { origin: `http://${SITE}` };

const BYPASSES = [
  '//evil.example/',
  '///evil.example/',
  '////evil.example/',
  '/\\evil.example/',
  '\\/evil.example/',
  '\\\\evil.example/',
  '/\\/evil.example/',
  'http:evil.example',
  'https:evil.example',
  'http:/evil.example',
  'http:\\\\evil.example',
  'http://evil.example@site.example/',
  'http://site.example@evil.example/',
  'http://site.example:80@evil.example/',
  'http://site.example%40evil.example/',
  'http://evil.example\\@site.example/',
  'http://evil.example?@site.example/',
  'http://evil.example#@site.example/',
  '/%5Cevil.example/',
  '/%5C%5Cevil.example/',
  '/%255Cevil.example/',
  '/%2F/evil.example/',
  '/%2f%2fevil.example/',
  '%2F%2Fevil.example/',
  '/%09/evil.example/',
  '/\t/evil.example/',
  '/%0a/evil.example/',
  '/%0d%0a/evil.example/',
  ' //evil.example/',
  '\t//evil.example/',
  'HTTP://EVIL.EXAMPLE/',
  'http://EvIl.ExAmPlE/page.html',
  'http://SITE.EXAMPLE.evil.example/',
  'http://site.example.evil.example/',
  'http://site.example\u3002evil.example/',
  'http://\u0455ite.example/',
  'https://site.example/page.html',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'ftp://site.example/',
  'ws://site.example/',
  'http://site.example:8080/',
  'http://site.example:443/',
  'http://127.0.0.1/',
  'http://[::1]/',
  'evil.example',
  '',
];

describe('open redirects', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate();
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it.each(BYPASSES.map((forward) => [JSON.stringify(forward), forward]))(
    'refuses the forward %s with forward_bad and mails nothing',
    async (_shown, forward) => {
      const before = g.sink.messages.length;
      const res = await g.gate.post('/email-link', { email: 'ann@example.org', forward }, ORIGIN);
      expect(res.status).toBe(409);
      expect(res.body).toContain('We Could Not Tell Where to Send You');
      expect(res.cookies()).toEqual([]);
      expect(g.sink.messages.length).toBe(before);
    },
  );

  it('refuses a request without any forward, and one too long to be ours', async () => {
    expect((await g.gate.post('/email-link', { email: 'ann@example.org' }, ORIGIN)).status).toBe(409);
    const long = `http://${SITE}/${'a'.repeat(9000)}`;
    expect(
      (await g.gate.post('/email-link', { email: 'ann@example.org', forward: long }, ORIGIN)).status,
    ).toBe(409);
  });

  it.each([
    ['/page.html', `http://${SITE}/page.html`],
    [`http://${SITE}/page.html?a=b`, `http://${SITE}/page.html?a=b`],
    ['http://SITE.Example/Page.html', `http://${SITE}/Page.html`],
  ])('accepts the same-site forward %s and mails a link to %s', async (forward, expected) => {
    const { link } = await g.requestLink('bea@example.org', { forward });
    link.searchParams.delete('knock');
    expect(link.href.replace(/\?$/, '')).toBe(expected);
  });

  it('sends the browser on to the requested page after a confirmation, never elsewhere', async () => {
    const { link } = await g.requestLink('cy@example.org', { forward: '/a/b.html?c=d' });
    const knock = link.searchParams.get('knock')!;
    const hostile = await g.gate.post('/email-link', { knock, forward: '//evil.example/' }, ORIGIN);
    expect(hostile.status).toBe(409);
    const res = await g.gate.post('/email-link', { knock, forward: `http://${SITE}/other` }, ORIGIN);
    expect(res.status).toBe(303);
    expect(res.header('Location')).toBe(`http://${SITE}/a/b.html?c=d`);
  });

  it('sends the browser to this site after a logout, whatever the form says', async () => {
    const session = await g.login('dee@example.org');
    const res = await g.gate.post(
      '/logout?forward=%2F%2Fevil.example',
      { forward: 'http://evil.example/', all: '0' },
      { ...ORIGIN, cookie: `forgetpw=${session}` },
    );
    expect(res.status).toBe(303);
    expect(res.header('Location')).toBe(`http://${SITE}/logged-out`);
  });

  it.each(['//evil.example/x', '/\\evil.example/x', '//evil.example', '/%5Cevil.example'])(
    'never names another host in the redirect after a link opened at %s',
    async (path) => {
      const { link, pending } = await g.requestLink('eli@example.org');
      const res = await g.gate.authorize(`${path}${link.search}`, { cookie: `forgetpw_link=${pending}` });
      expect(res.status).toBe(200);
      const redirect = res.header('Variable-FCGI_REDIRECT')!;
      expect(redirect).toMatch(/^\/(?![/\\])/);
      expect(new URL(redirect, `http://${SITE}/`).host).toBe(SITE);
    },
  );
});
