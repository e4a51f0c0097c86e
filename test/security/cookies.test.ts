/**
 * Cookies (SPEC §4, issue 4): HttpOnly, SameSite=Lax, Path=/, host-only, Secure on
 * https, Max-Age capped at 400 days (RFC 6265bis §5.6.1); an idle expiry that slides
 * under an absolute cap; a fresh session id at every login (session fixation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, type Gate } from '../flows/harness.js';
import type { GateAnswer } from '../support/gate-client.js';

const DAY = 86_400;
const FOUR_HUNDRED_DAYS = 400 * DAY;

interface SetCookie {
  readonly name: string;
  readonly value: string;
  readonly attributes: ReadonlyMap<string, string>;
}

function setCookies(answer: GateAnswer): SetCookie[] {
  return answer.cookies().map((line) => {
    const [pair = '', ...rest] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const attributes = new Map<string, string>();
    for (const attribute of rest) {
      const at = attribute.indexOf('=');
      attributes.set(
        (at === -1 ? attribute : attribute.slice(0, at)).toLowerCase(),
        at === -1 ? '' : attribute.slice(at + 1),
      );
    }
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
  });
}

function expectSafe(cookie: SetCookie, secure: boolean): void {
  expect(cookie.attributes.has('httponly'), `${cookie.name} HttpOnly`).toBe(true);
  expect(cookie.attributes.get('samesite')).toBe('Lax');
  expect(cookie.attributes.get('path')).toBe('/');
  expect(cookie.attributes.has('domain'), `${cookie.name} has no Domain`).toBe(false);
  expect(cookie.attributes.has('secure'), `${cookie.name} Secure`).toBe(secure);
  expect(Number(cookie.attributes.get('max-age'))).toBeLessThanOrEqual(FOUR_HUNDRED_DAYS);
}

describe('cookies', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate();
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it.each([
    ['http', false],
    ['https', true],
  ] as const)('marks every cookie it sets on %s safe', async (scheme, secure) => {
    const origin = `${scheme}://${SITE}`;
    const seen: SetCookie[] = [];
    const sent = await g.gate.post(
      '/email-link',
      { email: 'ann@example.org', forward: `${origin}/page.html` },
      { scheme, origin },
    );
    seen.push(...setCookies(sent));
    const pending = sent.cookie('forgetpw_link')!;
    const mail = await g.sink.next('ann@example.org');
    const href = /href="([^"]*knock=[^"]*)"/.exec(mail.html)![1]!.replaceAll('&amp;', '&');
    const link = new URL(href);
    const opened = await g.gate.authorize(link.pathname + link.search, {
      scheme,
      cookie: `forgetpw_link=${pending}`,
    });
    seen.push(...setCookies(opened));
    const session = opened.cookie('forgetpw')!;
    seen.push(
      ...setCookies(await g.gate.post('/logout', {}, { scheme, origin, cookie: `forgetpw=${session}` })),
    );
    expect(seen.map((c) => c.name).sort()).toEqual([
      'forgetpw',
      'forgetpw',
      'forgetpw_link',
      'forgetpw_link',
    ]);
    for (const cookie of seen) expectSafe(cookie, secure);
  });

  it('ends a session at its absolute lifetime (90 days) however often it is used', async () => {
    const session = await g.login('bea@example.org');
    const start = g.clock.now();
    const use = () => g.gate.authorize('/p', { cookie: `forgetpw=${session}` });
    for (let day = 13; day < 90; day += 13) {
      g.clock.ms = start + day * DAY * 1000;
      const res = await use();
      expect(res.status, `day ${day}`).toBe(200);
      const maxAge = Number(setCookies(res)[0]?.attributes.get('max-age'));
      expect(maxAge).toBeLessThanOrEqual((90 - day) * DAY);
    }
    g.clock.ms = start + 90 * DAY * 1000 - 60_000;
    expect((await use()).status).toBe(200);
    g.clock.ms = start + 90 * DAY * 1000;
    const ended = await use();
    expect(ended.status).toBe(401);
    expect(ended.body).toContain('Your Session Has Run Out');
  });

  it('gives a new session id at every login and revokes the one the browser held', async () => {
    const first = await g.login('cy@example.org');
    const { link, pending } = await g.requestLink('cy@example.org');
    const again = await g.gate.authorize(link.pathname + link.search, {
      cookie: `forgetpw=${first}; forgetpw_link=${pending}`,
    });
    const second = again.cookie('forgetpw')!;
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    expect((await g.gate.authorize('/p', { cookie: `forgetpw=${first}` })).status).toBe(401);
    expect((await g.gate.authorize('/p', { cookie: `forgetpw=${second}` })).status).toBe(200);
  });

  it('never adopts a session id planted in the browser before the login', async () => {
    const planted = 'P'.repeat(43);
    const { link } = await g.requestLink('dee@example.org');
    const knock = link.searchParams.get('knock')!;
    const confirmed = await g.gate.post(
      '/email-link',
      { knock, forward: `http://${SITE}/page.html` },
      { origin: `http://${SITE}`, cookie: `forgetpw=${planted}` },
    );
    expect(confirmed.status).toBe(303);
    expect(confirmed.cookie('forgetpw')).not.toBe(planted);
    expect((await g.gate.authorize('/p', { cookie: `forgetpw=${planted}` })).status).toBe(401);
  });
});

describe('cookies with lifetimes configured past what browsers keep', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate({ state: { expiry: { cookie: 'P500D', absolute: 'P600D' } } });
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it('asks for at most 400 days, at login and on every slide', async () => {
    const session = await g.login('eve@example.org');
    const { link, pending } = await g.requestLink('eve@example.org');
    const opened = await g.gate.authorize(link.pathname + link.search, {
      cookie: `forgetpw_link=${pending}`,
    });
    expect(
      setCookies(opened)
        .find((c) => c.name === 'forgetpw')
        ?.attributes.get('max-age'),
    ).toBe(String(FOUR_HUNDRED_DAYS));
    g.clock.advance(30 * DAY);
    const slid = await g.gate.authorize('/p', { cookie: `forgetpw=${session}` });
    expect(slid.status).toBe(200);
    expect(setCookies(slid)[0]?.attributes.get('max-age')).toBe(String(FOUR_HUNDRED_DAYS));
  });
});

describe('cookies named with the __Host- prefix (RFC 6265bis §4.1.3.2)', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate({ keys: { cookie: '__Host-forgetpw' } });
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it('meet the prefix rules on https, so a sibling host cannot plant one', async () => {
    const origin = `https://${SITE}`;
    const sent = await g.gate.post(
      '/email-link',
      { email: 'fay@example.org', forward: `${origin}/page.html` },
      { scheme: 'https', origin },
    );
    const mail = await g.sink.next('fay@example.org');
    const link = new URL(/href="([^"]*knock=[^"]*)"/.exec(mail.html)![1]!.replaceAll('&amp;', '&'));
    const opened = await g.gate.authorize(link.pathname + link.search, {
      scheme: 'https',
      cookie: `__Host-forgetpw_link=${sent.cookie('__Host-forgetpw_link')!}`,
    });
    expect(opened.header('Variable-FCGI_USER')).toBe('fay@example.org');
    const cookies = [...setCookies(sent), ...setCookies(opened)];
    expect(cookies.map((c) => c.name).sort()).toEqual([
      '__Host-forgetpw',
      '__Host-forgetpw_link',
      '__Host-forgetpw_link',
    ]);
    for (const cookie of cookies) expectSafe(cookie, true);
    const session = opened.cookie('__Host-forgetpw')!;
    const used = await g.gate.authorize('/p', { scheme: 'https', cookie: `__Host-forgetpw=${session}` });
    expect(used.header('Variable-FCGI_USER')).toBe('fay@example.org');
  });
});
