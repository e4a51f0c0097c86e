/**
 * Every page state (SPEC §2.4) and every redirect the gate answers carries the page
 * headers (issue 4): each case below reaches its state through the daemon, proven by
 * status and title, then has its headers checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, type Gate } from '../flows/harness.js';
import type { GateAnswer } from '../support/gate-client.js';
import { expectPageHeaders } from './expect-page-headers.js';

const ORIGIN = { origin: `http://${SITE}` };
const FORWARD = `http://${SITE}/page.html`;
const ask = (g: Gate, email: string, o: { remoteAddr?: string } = {}) =>
  g.gate.post('/email-link', { email, forward: FORWARD }, { ...ORIGIN, ...o });

const CASES: Array<[state: string, status: number, title: string, reach: (g: Gate) => Promise<GateAnswer>]> =
  [
    ['default_401', 401, 'Log In', (g) => g.gate.authorize('/p')],
    ['default_404', 404, 'Not Found', (g) => g.gate.request('GET', '/elsewhere')],
    ['post_only', 405, 'Nothing to See Here', (g) => g.gate.request('GET', '/email-link')],
    [
      'knock_bad',
      409,
      'This Link Is Incomplete',
      (g) => g.gate.authorize('/p?knock=bad', { remoteAddr: '198.51.100.1' }),
    ],
    [
      'knock_not_found',
      403,
      'This Link Is for Another Site',
      async (g) => {
        // A link for another site the daemon serves.
        await g.grant('ann@example.org', 'other.example');
        const { link } = await g.requestLink('ann@example.org');
        return g.gate.authorize(link.pathname + link.search, { host: 'other.example' });
      },
    ],
    [
      'knock_confirm',
      401,
      'Confirm Your Log-In',
      async (g) => {
        const { link } = await g.requestLink('ann@example.org');
        return g.gate.authorize(link.pathname + link.search);
      },
    ],
    [
      'knock_expired',
      401,
      'The Link Has Expired',
      async (g) => {
        const { link, pending } = await g.requestLink('ann@example.org');
        await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
        return g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
      },
    ],
    [
      'cookie_bad',
      409,
      'This Request Could Not Be Used',
      (g) => g.gate.authorize('/p', { cookie: 'forgetpw=junk', remoteAddr: '198.51.100.3' }),
    ],
    [
      'cookie_not_found',
      401,
      'Your Session Has Run Out',
      (g) => g.gate.authorize('/p', { cookie: `forgetpw=${'B'.repeat(43)}`, remoteAddr: '198.51.100.4' }),
    ],
    [
      'cookie_expired',
      401,
      'Your Session Has Run Out',
      async (g) => {
        const session = await g.login('ann@example.org');
        await g.gate.post('/logout', {}, { ...ORIGIN, cookie: `forgetpw=${session}` });
        return g.gate.authorize('/p', { cookie: `forgetpw=${session}` });
      },
    ],
    [
      'no_user',
      403,
      'Your Access Has Ended',
      async (g) => {
        const session = await g.login('gone@example.org');
        await g.grant('gone@example.org', SITE, false);
        g.clock.advance(6); // past the session cache bound (cache.ttl)
        return g.gate.authorize('/p', { cookie: `forgetpw=${session}` });
      },
    ],
    [
      'forward_bad',
      409,
      'We Could Not Tell Where to Send You',
      (g) => g.gate.post('/email-link', { email: 'ann@example.org', forward: '//evil.example/' }, ORIGIN),
    ],
    ['email_bad', 409, 'Please Check the Address', (g) => ask(g, 'not an address')],
    ['email_not_listed', 403, 'This Address Is Not on the List', (g) => ask(g, 'nobody@unlisted.example')],
    [
      'email_failed',
      500,
      'The Mail Was Not Sent',
      (g) => {
        g.sink.failNext(550);
        return ask(g, 'ann@example.org');
      },
    ],
    ['email_sent', 200, 'Check Your E-Mail', async (g) => g.gate.followSent(await ask(g, 'ann@example.org'))],
    ['see-other after a link request', 303, '', (g) => ask(g, 'ann@example.org')],
    [
      'code_none',
      401,
      'No Login Is Waiting Here',
      (g) =>
        g.gate.post(
          '/email-link',
          { code: '2222-2222', forward: FORWARD },
          { ...ORIGIN, remoteAddr: '198.51.100.40' },
        ),
    ],
    [
      'code_wrong',
      401,
      'That Code Is Not Right',
      async (g) => {
        const { pending } = await g.requestLink('ann@example.org');
        const browser = { ...ORIGIN, remoteAddr: '198.51.100.41', cookie: `forgetpw_link=${pending}` };
        return g.gate.post('/email-link', { code: 'not a code', forward: FORWARD }, browser);
      },
    ],
    [
      'code_ended',
      403,
      'This Code No Longer Works',
      async (g) => {
        const { pending, code } = await g.requestLink('ann@example.org');
        const wrong = code.startsWith('2222') ? '3333-3333' : '2222-2222';
        let answer: GateAnswer | undefined;
        // From five addresses: one guess per IP is this file's limit.
        for (let i = 0; i < 5; i++) {
          const browser = {
            ...ORIGIN,
            remoteAddr: `198.51.100.${50 + i}`,
            cookie: `forgetpw_link=${pending}`,
          };
          answer = await g.gate.post('/email-link', { code: wrong, forward: FORWARD }, browser);
        }
        return answer!;
      },
    ],
    [
      'cross_site',
      403,
      'This Request Could Not Be Used',
      (g) =>
        g.gate.post(
          '/email-link',
          { email: 'ann@example.org', forward: FORWARD },
          { secFetchSite: 'cross-site' },
        ),
    ],
    [
      'throttled',
      429,
      'Too Many Attempts',
      async (g) => {
        await g.gate.authorize('/p?knock=bad', { remoteAddr: '203.0.113.1' });
        return g.gate.authorize('/p?knock=bad', { remoteAddr: '203.0.113.1' });
      },
    ],
    [
      'see-other after a confirmation',
      303,
      '',
      async (g) => {
        const { link } = await g.requestLink('ann@example.org');
        return g.gate.post(
          '/email-link',
          { knock: link.searchParams.get('knock')!, forward: FORWARD },
          ORIGIN,
        );
      },
    ],
    ['see-other after a logout', 303, '', (g) => g.gate.post('/logout', {}, ORIGIN)],
  ];

describe('page headers', () => {
  let g: Gate;
  beforeAll(async () => {
    // One guess per IP: each case below guesses from an address of its own.
    g = await startGate({ limits: { bad_tokens_per_ip: 1 } });
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it.each(CASES)('are on %s', async (_state, status, title, reach) => {
    const answer = await reach(g);
    expect(answer.status).toBe(status);
    expect(answer.body).toContain(title);
    expectPageHeaders(answer);
    // mod_authnz_fcgi keeps at most 8 KiB of an authorizer's page (NON200_RESPONSE_BUF_LEN).
    if (answer.header('Variable-FCGI_CONTENT_TYPE') !== undefined) {
      expect(Buffer.byteLength(answer.body)).toBeLessThan(8192);
    }
  });

  it.each(['text/html', 'text/plain', 'application/xhtml+xml'])(
    'are on every variant (%s)',
    async (accept) => {
      expectPageHeaders(await g.gate.authorize('/p', { accept }));
    },
  );
});

describe('page headers on a fault', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate({ sites: [SITE] });
  });
  afterAll(() => g.close());

  it('are on the 500 page of a request that failed inside', async () => {
    // A table gone from under the daemon: a fault, not an outcome any flow expects.
    await g.daemon.daemon.store.knex.schema.dropTable('audit');
    const answer = await ask(g, 'nobody@unlisted.example');
    expect(answer.status).toBe(500);
    expect(answer.body).toContain('Something Went Wrong');
    expectPageHeaders(answer);
  });
});
