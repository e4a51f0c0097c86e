/**
 * Host handling (SPEC §2.1, §2.3, §5; issue 4): links and sessions are bound to the
 * site they were made for; X-Forwarded-Host/-For/-Proto count only from a peer in
 * `trusted_proxies`, and then the forwarded client is the one rate limits count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, type Gate } from '../flows/harness.js';
import { linkFromMail } from './link-from-mail.js';

const PROXY = '10.0.0.5';
const FORWARD = `http://${SITE}/page.html`;

describe('host handling', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate({ trusted_proxies: ['10.0.0.0/24'] });
    await g.grant('example.org');
    await g.grant('example.org', 'other.example');
  });
  afterAll(() => g.close());

  it('refuses a session cookie or bearer token on another host', async () => {
    const session = await g.login('ann@example.org');
    // other.example is a site of this gate (a row names it): the session is unknown there. The
    // others are no sites at all (a subdomain of a site is not one unless named): refused outright.
    for (const [host, status] of [
      ['other.example', 401],
      ['evil.example', 421],
      [`${SITE}.evil.example`, 421],
      [`sub.${SITE}`, 421],
    ] as const) {
      const cookie = await g.gate.authorize('/p', { host, cookie: `forgetpw=${session}` });
      expect(cookie.status).toBe(status);
      const bearer = await g.gate.authorize('/p', { host, authorization: `Bearer ${session}` });
      expect(bearer.status).toBe(status);
    }
    expect(
      (await g.gate.authorize('/p', { host: 'SITE.Example', cookie: `forgetpw=${session}` })).status,
    ).toBe(200);
  });

  it('refuses a link on another host, by GET or by confirmation, and leaves it usable at home', async () => {
    const { link, pending } = await g.requestLink('bea@example.org');
    const knock = link.searchParams.get('knock')!;
    const get = await g.gate.authorize(link.pathname + link.search, {
      host: 'other.example',
      cookie: `forgetpw_link=${pending}`,
    });
    expect(get.status).toBe(403);
    const post = await g.gate.post(
      '/email-link',
      { knock, forward: 'http://other.example/page.html' },
      { host: 'other.example', origin: 'http://other.example' },
    );
    expect(post.status).toBe(403);
    const home = await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(home.header('Variable-FCGI_USER')).toBe('bea@example.org');
  });

  it('ignores X-Forwarded-Host from a peer that is not a trusted proxy', async () => {
    const session = await g.login('cy@example.org');
    const res = await g.gate.authorize('/p', {
      host: 'evil.example',
      remoteAddr: '10.0.1.5',
      cookie: `forgetpw=${session}`,
      extra: { HTTP_X_FORWARDED_HOST: SITE, HTTP_X_FORWARDED_FOR: '10.0.0.5' },
    });
    expect(res.status).toBe(421);
  });

  it('builds the mailed link from the Host, not from an untrusted X-Forwarded-Host', async () => {
    const sent = await g.gate.post(
      '/email-link',
      { email: 'dee@example.org', forward: FORWARD },
      {
        origin: `http://${SITE}`,
        extra: { HTTP_X_FORWARDED_HOST: 'evil.example', HTTP_X_FORWARDED_PROTO: 'https' },
      },
    );
    expect(sent.status).toBe(303);
    expect(linkFromMail(await g.sink.next('dee@example.org')).origin).toBe(`http://${SITE}`);
  });

  it('believes X-Forwarded-Host and -Proto from a trusted proxy', async () => {
    const viaProxy = {
      host: 'backend.internal:8080',
      remoteAddr: PROXY,
      extra: {
        HTTP_X_FORWARDED_HOST: SITE,
        HTTP_X_FORWARDED_PROTO: 'https',
        HTTP_X_FORWARDED_FOR: '198.51.100.1',
      },
    };
    const sent = await g.gate.post(
      '/email-link',
      { email: 'eli@example.org', forward: `https://${SITE}/page.html` },
      { ...viaProxy, origin: `https://${SITE}` },
    );
    expect(sent.status).toBe(303);
    const link = linkFromMail(await g.sink.next('eli@example.org'));
    expect(link.origin).toBe(`https://${SITE}`);
    const opened = await g.gate.authorize(link.pathname + link.search, {
      ...viaProxy,
      cookie: `forgetpw_link=${sent.cookie('forgetpw_link')!}`,
    });
    expect(opened.header('Variable-FCGI_USER')).toBe('eli@example.org');
    expect(opened.cookies().find((c) => c.startsWith('forgetpw='))).toMatch(/; Secure/);
  });
});

describe('the client IP rate limits count', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate({ trusted_proxies: ['10.0.0.0/24'], limits: { email_per_ip: 2 } });
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it('is the forwarded client behind a trusted proxy', async () => {
    const from = (client: string) => ({
      remoteAddr: PROXY,
      origin: `http://${SITE}`,
      extra: { HTTP_X_FORWARDED_FOR: `${client}, ${PROXY}` },
    });
    const ask = (email: string, client: string) =>
      g.gate.post('/email-link', { email, forward: FORWARD }, from(client));
    expect((await ask('f1@example.org', '198.51.100.20')).status).toBe(303);
    expect((await ask('f2@example.org', '198.51.100.20')).status).toBe(303);
    expect((await ask('f3@example.org', '198.51.100.20')).status).toBe(429);
    expect((await ask('f4@example.org', '198.51.100.21')).status).toBe(303);
  });

  it('is the peer when a client that is no trusted proxy sends X-Forwarded-For', async () => {
    const ask = (email: string, spoofed: string) =>
      g.gate.post(
        '/email-link',
        { email, forward: FORWARD },
        { remoteAddr: '192.0.2.77', origin: `http://${SITE}`, extra: { HTTP_X_FORWARDED_FOR: spoofed } },
      );
    expect((await ask('g1@example.org', '198.51.100.30')).status).toBe(303);
    expect((await ask('g2@example.org', '198.51.100.31')).status).toBe(303);
    expect((await ask('g3@example.org', '198.51.100.32')).status).toBe(429);
  });
});
