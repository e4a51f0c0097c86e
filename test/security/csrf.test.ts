/**
 * CSRF (issue 4, PEERS T13): a form another site makes a browser post to the login
 * or logout target changes nothing and sends nothing; the same site's forms and
 * clients that are no browser (curl: neither header) work.
 *
 * Without privacy.conceal_list a mail is sent before the answer, so a mail that
 * went out is in the sink by the time the answer arrives: "no mail" needs no wait.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, type Gate } from '../flows/harness.js';
import type { AskOptions } from '../support/gate-client.js';

const FORWARD = `http://${SITE}/page.html`;
let serial = 0;
/** A fresh address per test, so no test sees another's mail. */
const nextAddress = (): string => `person${++serial}@example.org`;

const CROSS_SITE: Array<[string, AskOptions]> = [
  ['Sec-Fetch-Site: cross-site', { secFetchSite: 'cross-site', origin: 'http://evil.example' }],
  ['Sec-Fetch-Site: same-site (a sibling subdomain)', { secFetchSite: 'same-site' }],
  ['a foreign Origin', { origin: 'http://evil.example' }],
  ['Origin: null (a sandboxed or data: page)', { origin: 'null' }],
  ['an Origin with another scheme', { origin: `https://${SITE}` }],
  ['an Origin with another port', { origin: `http://${SITE}:8080` }],
  [
    'cross-site Sec-Fetch-Site with a same-site Origin',
    { secFetchSite: 'cross-site', origin: `http://${SITE}` },
  ],
];

/** One check guards every POST; the logout and confirmation run its main cases (each costs a mail). */
const MAIN_CASES = CROSS_SITE.slice(0, 4);

describe('CSRF on the login and logout targets', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate();
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it.each(CROSS_SITE)('refuses a link request with %s and mails nothing', async (_what, headers) => {
    const address = nextAddress();
    const res = await g.gate.post('/email-link', { email: address, forward: FORWARD }, headers);
    expect(res.status).toBe(403);
    expect(res.cookies()).toEqual([]);
    expect(g.sink.messages.filter((m) => m.to.includes(address))).toEqual([]);
  });

  it.each(MAIN_CASES)('refuses a logout with %s and the session goes on', async (_what, headers) => {
    const session = await g.login('ann@example.org');
    const res = await g.gate.post('/logout?all=1', {}, { ...headers, cookie: `forgetpw=${session}` });
    expect(res.status).toBe(403);
    expect(res.cookies()).toEqual([]);
    const after = await g.gate.authorize('/p', { cookie: `forgetpw=${session}` });
    expect(after.header('Variable-FCGI_USER')).toBe('ann@example.org');
  });

  it.each(MAIN_CASES)(
    'refuses a link confirmation with %s and leaves the link unused',
    async (_what, headers) => {
      const { link } = await g.requestLink('bob@example.org');
      const knock = link.searchParams.get('knock')!;
      const res = await g.gate.post('/email-link', { knock, forward: FORWARD }, headers);
      expect(res.status).toBe(403);
      expect(res.cookie('forgetpw')).toBeUndefined();
      const confirmed = await g.gate.post(
        '/email-link',
        { knock, forward: FORWARD },
        { origin: `http://${SITE}` },
      );
      expect(confirmed.status).toBe(303);
    },
  );

  it.each<[string, AskOptions]>([
    ['Sec-Fetch-Site: same-origin', { secFetchSite: 'same-origin', origin: `http://${SITE}` }],
    ['Sec-Fetch-Site: none (typed or bookmarked)', { secFetchSite: 'none' }],
    ['the same Origin', { origin: `http://${SITE}` }],
    ['neither header (curl)', {}],
  ])('accepts a link request and a logout with %s', async (_what, headers) => {
    const address = nextAddress();
    const sent = await g.gate.post('/email-link', { email: address, forward: FORWARD }, headers);
    expect(sent.status).toBe(303);
    expect((await g.sink.next(address)).to).toEqual([address]);
    const session = await g.login('cy@example.org');
    const out = await g.gate.post('/logout', {}, { ...headers, cookie: `forgetpw=${session}` });
    expect(out.status).toBe(303);
    expect((await g.gate.authorize('/p', { cookie: `forgetpw=${session}` })).status).toBe(401);
  });
});
