/**
 * Rate limits kept in the database (issue 4): link requests per address and per
 * client IP, token guesses per client IP. Over a limit: 429 `throttled` with
 * Retry-After, and no mail.
 *
 * Without privacy.conceal_list a mail is sent before the answer, so a mail that
 * went out is in the sink by the time the answer arrives: "no mail" needs no wait.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, TestClock, type Gate } from '../flows/harness.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshPostgres, type FreshPostgres } from '../support/databases.js';
import { gateClient, type GateAnswer, type GateClient } from '../support/gate-client.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const ORIGIN = { origin: `http://${SITE}` };
const FORWARD = `http://${SITE}/page.html`;
const WINDOW = 900;

function expectThrottled(answer: GateAnswer): void {
  expect(answer.status).toBe(429);
  expect(answer.body).toContain('Too Many Attempts');
  const retryAfter = Number(answer.header('Retry-After'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW);
}

const ask = (gate: GateClient, email: string, remoteAddr = '192.0.2.10'): Promise<GateAnswer> =>
  gate.post('/email-link', { email, forward: FORWARD }, { ...ORIGIN, remoteAddr });

describe('rate limits', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate({
      limits: {
        email_per_address: 2,
        email_per_address_total: 4,
        email_per_ip: 4,
        bad_tokens_per_ip: 3,
        window: `PT${WINDOW}S`,
      },
    });
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it('throttles link requests for one address from one network and sends no mail over the limit', async () => {
    const before = g.sink.messages.length;
    expect((await ask(g.gate, 'ann@example.org', '192.0.2.1')).status).toBe(303);
    expect((await ask(g.gate, 'ann@example.org', '192.0.2.1')).status).toBe(303);
    expectThrottled(await ask(g.gate, 'ann@example.org', '192.0.2.1'));
    expect(g.sink.messages.length - before).toBe(2);
    expect((await ask(g.gate, 'bea@example.org', '192.0.2.1')).status).toBe(303);
  });

  it('lets a person ask from their own network while a stranger exhausts theirs, up to the total cap', async () => {
    const before = g.sink.messages.length;
    // A stranger asks for gil's links until refused: gil, elsewhere, is not locked out.
    expect((await ask(g.gate, 'gil@example.org', '192.0.2.66')).status).toBe(303);
    expect((await ask(g.gate, 'gil@example.org', '192.0.2.66')).status).toBe(303);
    expectThrottled(await ask(g.gate, 'gil@example.org', '192.0.2.66'));
    expect((await ask(g.gate, 'gil@example.org', '198.51.100.20')).status).toBe(303);
    // The total over every network is capped (email_per_address_total: 4) ...
    expect((await ask(g.gate, 'gil@example.org', '198.51.100.21')).status).toBe(303);
    expectThrottled(await ask(g.gate, 'gil@example.org', '198.51.100.22'));
    // ... and tags count as the same mailbox: twelve tags are not twelve inboxes.
    expectThrottled(await ask(g.gate, 'gil+1@example.org', '198.51.100.23'));
    expect(g.sink.messages.length - before).toBe(4);
  });

  it('counts an IPv6 client by its /64, so stepping through addresses gains nothing', async () => {
    const before = g.sink.messages.length;
    for (let i = 1; i <= 4; i++) {
      expect((await ask(g.gate, `v${i}@example.org`, `2001:db8:1:2::${i}`)).status).toBe(303);
    }
    expectThrottled(await ask(g.gate, 'v5@example.org', '2001:db8:1:2:ffff::5'));
    expect(g.sink.messages.length - before).toBe(4);
    expect((await ask(g.gate, 'v5@example.org', '2001:db8:1:3::1')).status).toBe(303);
  });

  it('throttles link requests from one client IP, whatever the address, and no other IP', async () => {
    const before = g.sink.messages.length;
    for (const name of ['c1', 'c2', 'c3', 'c4']) {
      expect((await ask(g.gate, `${name}@example.org`, '198.51.100.7')).status).toBe(303);
    }
    expectThrottled(await ask(g.gate, 'c5@example.org', '198.51.100.7'));
    expect(g.sink.messages.length - before).toBe(4);
    expect((await ask(g.gate, 'c5@example.org', '198.51.100.8')).status).toBe(303);
  });

  it('throttles bad links, cookies and bearer tokens from one IP together, and no other IP', async () => {
    const from = { remoteAddr: '203.0.113.9' };
    const session = await g.login('dee@example.org');
    expect((await g.gate.authorize('/p?knock=short', from)).status).toBe(409);
    expect((await g.gate.authorize('/p', { ...from, cookie: `forgetpw=${'u'.repeat(43)}` })).status).toBe(
      401,
    );
    expect(
      (await g.gate.authorize('/p', { ...from, authorization: `Bearer ${'v'.repeat(43)}` })).status,
    ).toBe(401);
    expectThrottled(await g.gate.authorize(`/p?knock=${'w'.repeat(43)}`, from));
    expectThrottled(await g.gate.authorize('/p', { ...from, cookie: 'forgetpw=junk' }));
    const other = await g.gate.authorize(`/p?knock=${'w'.repeat(43)}`, { remoteAddr: '203.0.113.10' });
    expect(other.status).toBe(401);
    expect(other.body).toContain('The Link Has Expired');
    // Counting guesses never locks out a person who holds a real session.
    const real = await g.gate.authorize('/p', { ...from, cookie: `forgetpw=${session}` });
    expect(real.header('Variable-FCGI_USER')).toBe('dee@example.org');
  });

  it('lets a throttled client in again once the window has passed', async () => {
    const from = { remoteAddr: '203.0.113.50' };
    for (let i = 0; i < 3; i++) await g.gate.authorize('/p?knock=bad', from);
    expectThrottled(await g.gate.authorize('/p?knock=bad', from));
    g.clock.advance(WINDOW);
    expect((await g.gate.authorize('/p?knock=bad', from)).status).toBe(409);
  });
});

describe('rate limits shared by two daemons on one PostgreSQL database', () => {
  let db: FreshPostgres;
  let sink: SmtpSink;
  let daemons: TestDaemon[];
  let gates: GateClient[];

  beforeAll(async () => {
    db = await freshPostgres();
    sink = await startSmtpSink();
    const clock = new TestClock();
    const settings = { limits: { email_per_address: 2, email_per_ip: 0, bad_tokens_per_ip: 2 } };
    daemons = [];
    for (let i = 0; i < 2; i++) {
      daemons.push(await startTestDaemon({ dsn: db.dsn, smtpPort: sink.port, clock, settings }));
    }
    await daemons[0]!.daemon.store.acl.put(
      [{ domain: SITE, address: 'example.org', allow: true }],
      clock.now(),
    );
    gates = daemons.map((d) => gateClient(d.port));
  });

  afterAll(async () => {
    for (const daemon of daemons) await daemon.close();
    await sink.close();
    await db.cleanup();
  });

  it('counts link requests for an address across both daemons', async () => {
    const [a, b] = gates as [GateClient, GateClient];
    expect((await ask(a, 'eve@example.org')).status).toBe(303);
    expect((await ask(b, 'eve@example.org')).status).toBe(303);
    expectThrottled(await ask(a, 'eve@example.org'));
    expectThrottled(await ask(b, 'eve@example.org'));
    expect(sink.messages.filter((m) => m.to.includes('eve@example.org'))).toHaveLength(2);
  });

  it('counts token guesses from one IP across both daemons', async () => {
    const [a, b] = gates as [GateClient, GateClient];
    const from = { remoteAddr: '192.0.2.99' };
    expect((await a.authorize('/p?knock=bad', from)).status).toBe(409);
    expect((await b.authorize('/p?knock=bad', from)).status).toBe(409);
    expectThrottled(await a.authorize('/p?knock=bad', from));
    expectThrottled(await b.authorize('/p?knock=bad', from));
  });
});
