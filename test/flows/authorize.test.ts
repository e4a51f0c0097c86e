import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, type Gate } from './harness.js';

const ALICE = 'alice@example.org';

describe('authorize', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate();
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it('answers the address form, with its real content type, when there are no credentials', async () => {
    const res = await g.gate.authorize('/page.html?x=1');
    expect(res.status).toBe(401);
    expect(res.header('Variable-FCGI_CONTENT_TYPE')).toBe('application/xhtml+xml; charset=utf-8');
    expect(res.body).toContain('action="/email-link"');
    expect(res.body).toContain('value="http://site.example/page.html?x=1"');
    expect(res.header('Cache-Control')).toBe('no-store');
    expect(Buffer.byteLength(res.body)).toBeLessThan(8000);
  });

  it('lets the requesting browser in with its link: user, redirect without the token, session cookie', async () => {
    const { link, pending } = await g.requestLink(ALICE, { forward: 'http://site.example/a/b.html?q=1#top' });
    expect(link.searchParams.get('q')).toBe('1');
    const res = await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(res.status).toBe(200);
    expect(res.header('Variable-FCGI_USER')).toBe(ALICE);
    expect(res.header('Variable-FCGI_REDIRECT')).toBe('/a/b.html?q=1');
    const cookie = res.cookies().find((c) => c.startsWith('forgetpw='))!;
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(cookie).not.toMatch(/Secure/);
    expect(res.body).toBe('');
  });

  it('shows another browser the confirmation page and consumes nothing', async () => {
    const { link, pending } = await g.requestLink(ALICE);
    const scanner = await g.gate.authorize(link.pathname + link.search);
    expect(scanner.status).toBe(401);
    expect(scanner.body).toContain(`value="${link.searchParams.get('knock')}"`);
    const again = await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(again.status).toBe(200);
  });

  it('refuses a used link with the expired page that offers a fresh one', async () => {
    const { link, pending } = await g.requestLink(ALICE);
    await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    const res = await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(res.status).toBe(401);
    expect(res.body).toContain('The Link Has Expired');
    expect(res.body).toContain('value="http://site.example/page.html"');
    expect(res.body).not.toContain(link.searchParams.get('knock')!);
  });

  it('refuses a link after its lifetime', async () => {
    const { link, pending } = await g.requestLink(ALICE);
    g.clock.advance(601);
    const res = await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(res.status).toBe(401);
    expect(res.body).toContain('The Link Has Expired');
  });

  it('answers knock_bad for a malformed token and the expired page for an unknown one', async () => {
    expect((await g.gate.authorize('/p?knock=abc')).status).toBe(409);
    const unknown = await g.gate.authorize(`/p?knock=${'A'.repeat(43)}`);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toContain('The Link Has Expired');
    expect(unknown.body).toContain('action="/email-link"');
  });

  it('answers a link the Ruby gem mailed before the switch with the expired page', async () => {
    const res = await g.gate.authorize('/p?knock=EYHtSJZj5yvd7onqrYG8HJ');
    expect(res.status).toBe(401);
    expect(res.body).toContain('The Link Has Expired');
    expect(res.body).toContain('action="/email-link"');
  });

  it('binds a link to the site it was requested for', async () => {
    await g.grant('example.org', 'other.example');
    const { link, pending } = await g.requestLink(ALICE);
    const res = await g.gate.authorize(link.pathname + link.search, {
      host: 'other.example',
      cookie: `forgetpw_link=${pending}`,
    });
    expect(res.status).toBe(403);
  });

  it('accepts the session cookie and re-sends it only when the expiry moves', async () => {
    const session = await g.login(ALICE);
    const soon = await g.gate.authorize('/page.html', { cookie: `forgetpw=${session}` });
    expect(soon.status).toBe(200);
    expect(soon.header('Variable-FCGI_USER')).toBe(ALICE);
    expect(soon.cookies()).toEqual([]);
    g.clock.advance(3601);
    const later = await g.gate.authorize('/page.html', { cookie: `forgetpw=${session}` });
    expect(later.status).toBe(200);
    expect(later.cookie('forgetpw')).toBe(session);
    expect(later.cookies()[0]).toMatch(/Max-Age=1209600/);
  });

  it('ends an idle session after its idle lifetime', async () => {
    const session = await g.login(ALICE);
    g.clock.advance(14 * 86400 + 1);
    const res = await g.gate.authorize('/page.html', { cookie: `forgetpw=${session}` });
    expect(res.status).toBe(401);
    expect(res.body).toContain('Your Session Has Run Out');
  });

  it('answers cookie_bad for a malformed cookie and cookie_not_found for an unknown one', async () => {
    expect((await g.gate.authorize('/p', { cookie: 'forgetpw=junk' })).status).toBe(409);
    const unknown = await g.gate.authorize('/p', { cookie: `forgetpw=${'B'.repeat(43)}` });
    expect(unknown.status).toBe(401);
  });

  it('takes the session token as Bearer or as the Basic password', async () => {
    const session = await g.login(ALICE);
    const bearer = await g.gate.authorize('/feed.xml', { authorization: `Bearer ${session}` });
    expect(bearer.header('Variable-FCGI_USER')).toBe(ALICE);
    for (const user of ['', ALICE, 'Alice@Example.org', 'alice+feeds@example.org']) {
      const basic = await g.gate.authorize('/feed.xml', {
        authorization: `Basic ${Buffer.from(`${user}:${session}`).toString('base64')}`,
      });
      expect(basic.status).toBe(200);
      expect(basic.header('Variable-FCGI_USER')).toBe(ALICE);
      expect(basic.cookies()).toEqual([]);
    }
  });

  it('refuses Basic whose user name names somebody else than the token owner', async () => {
    const session = await g.login(ALICE);
    for (const user of ['admin@example.org', 'anyone', 'bob@example.org']) {
      const basic = await g.gate.authorize('/feed.xml', {
        authorization: `Basic ${Buffer.from(`${user}:${session}`).toString('base64')}`,
      });
      expect(basic.status).toBe(401);
      expect(basic.header('Variable-FCGI_USER')).toBeUndefined();
    }
  });

  it('locks out a disabled user and a revoked address once the session cache bound has passed', async () => {
    const bob = 'bob@example.org';
    const session = await g.login(bob);
    // Written by another process (the CLI): this daemon sees it within cache.ttl (5 s).
    await g.grant(bob, SITE, false);
    g.clock.advance(6);
    const revoked = await g.gate.authorize('/p', { cookie: `forgetpw=${session}` });
    expect(revoked.status).toBe(403);
    await g.grant(bob, SITE, true);
    g.clock.advance(6);
    expect((await g.gate.authorize('/p', { cookie: `forgetpw=${session}` })).status).toBe(200);
    await g.daemon.daemon.store.users.setDisabled(bob, g.clock.now());
    g.clock.advance(6);
    expect((await g.gate.authorize('/p', { cookie: `forgetpw=${session}` })).status).toBe(403);
  });

  it('ignores X-Forwarded-Host from a peer that is not a trusted proxy', async () => {
    const session = await g.login(ALICE);
    const res = await g.gate.authorize('/p', {
      host: 'evil.example',
      cookie: `forgetpw=${session}`,
      extra: { HTTP_X_FORWARDED_HOST: SITE },
    });
    // evil.example is no site of this gate at all: refused outright, no form.
    expect(res.status).toBe(421);
    expect(res.header('Variable-FCGI_USER')).toBeUndefined();
  });

  it('marks the cookie Secure on https (REQUEST_SCHEME, as Apache sends no HTTPS)', async () => {
    const { link, pending } = await g.requestLink(ALICE, {
      forward: 'https://site.example/x',
      scheme: 'https',
    });
    const res = await g.gate.authorize(link.pathname + link.search, {
      scheme: 'https',
      cookie: `forgetpw_link=${pending}`,
    });
    expect(res.cookies().find((c) => c.startsWith('forgetpw='))).toMatch(/; Secure/);
  });

  it('negotiates the page: text/html and text/plain on request, XHTML for an Accept that refuses all', async () => {
    const html = await g.gate.authorize('/p', { accept: 'text/html' });
    expect(html.header('Variable-FCGI_CONTENT_TYPE')).toBe('text/html; charset=utf-8');
    expect(html.body).toMatch(/^<!DOCTYPE html>/i);
    const text = await g.gate.authorize('/p', { accept: 'text/plain' });
    expect(text.header('Variable-FCGI_CONTENT_TYPE')).toBe('text/plain; charset=utf-8');
    expect(text.body).toContain('Log In');
    const none = await g.gate.authorize('/p', {
      accept: 'application/xhtml+xml;q=0, text/html;q=0, text/plain;q=0',
    });
    expect(none.status).toBe(401);
    expect(none.body.length).toBeGreaterThan(100);
  });

  it('answers junk with a page and keeps serving', async () => {
    const junk = [
      g.gate.authorize('/p?a=%zz&knock=%zz'),
      g.gate.authorize('/p?%FF%FE=%C3%28'),
      g.gate.authorize('/p', { cookie: `x=${'y'.repeat(15_000)}; forgetpw=${'\u00ff'.repeat(43)}` }),
      g.gate.authorize('/p', { accept: `${'text/*;q=0.'.repeat(2000)}` }),
      g.gate.authorize('/p', { authorization: 'Basic %%%' }),
      g.gate.authorize('/p', { host: '\u00e9vil..' }),
    ];
    for (const res of await Promise.all(junk)) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((await g.gate.authorize('/p')).status).toBe(401);
  });
});
