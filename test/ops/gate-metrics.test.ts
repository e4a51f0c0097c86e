import { afterEach, describe, expect, it } from 'vitest';
import { startGate, SITE, type Gate } from '../flows/harness.js';
import { freePort } from '../support/free-port.js';
import { scrape } from './scrape.js';

const ALICE = 'alice@example.org';
const requests = (role: string, outcome: string): string =>
  `forgetpw_requests_total{role="${role}",outcome="${outcome}"}`;

describe('the gate metrics', () => {
  let g: Gate | undefined;

  afterEach(async () => {
    await g?.close();
    g = undefined;
  });

  async function start(settings: Record<string, unknown> = {}): Promise<{ gate: Gate; ops: number }> {
    g = await startGate({ metrics: { listen: `127.0.0.1:${await freePort()}` }, ...settings });
    await g.grant('example.org');
    return { gate: g, ops: g.daemon.daemon.ops!.port };
  }

  it('count a login: the link sent, its redemption, and each answer by role and outcome', async () => {
    const { gate, ops } = await start();
    const session = await gate.login(ALICE);
    const content = await gate.gate.authorize('/page.html', { host: SITE, cookie: `forgetpw=${session}` });
    expect(content.status).toBe(200);

    const m = await scrape(ops);
    expect(m.value('forgetpw_links_sent_total')).toBe(1);
    expect(m.value('forgetpw_redemptions_total')).toBe(1);
    expect(m.value(requests('responder', 'see-other'))).toBe(1);
    expect(m.value(requests('authorizer', 'allow'))).toBe(2);
    expect(m.value('forgetpw_request_duration_seconds_count{role="authorizer"}')).toBe(2);
    expect(m.value('forgetpw_request_duration_seconds_count{role="responder"}')).toBe(1);
    expect(m.value('forgetpw_denials_total')).toBe(0);
  });

  it('count a link confirmed from another browser as a redemption, and a logout as not one', async () => {
    const { gate, ops } = await start();
    const { link } = await gate.requestLink(ALICE);
    const origin = { host: SITE, origin: `http://${SITE}` };
    const asked = await gate.gate.authorize(link.pathname + link.search, { host: SITE });
    expect(asked.status).toBe(401);
    const knock = link.searchParams.get('knock')!;
    const confirmed = await gate.gate.post('/email-link', { knock, forward: link.href }, origin);
    expect(confirmed.status).toBe(303);
    const session = confirmed.cookie('forgetpw')!;
    const out = await gate.gate.post('/logout', {}, { ...origin, cookie: `forgetpw=${session}` });
    expect(out.status).toBe(303);

    const m = await scrape(ops);
    expect(m.value(requests('authorizer', 'knock_confirm'))).toBe(1);
    expect(m.value(requests('responder', 'see-other'))).toBe(3);
    expect(m.value('forgetpw_redemptions_total')).toBe(1);
  });

  it('count an address that is not on the list as a denial', async () => {
    const { gate, ops } = await start();
    const refused = await gate.gate.post(
      '/email-link',
      { email: 'mallory@elsewhere.example', forward: `http://${SITE}/page.html` },
      { host: SITE, origin: `http://${SITE}` },
    );
    expect(refused.status).toBe(403);
    const m = await scrape(ops);
    expect(m.value('forgetpw_denials_total')).toBe(1);
    expect(m.value(requests('responder', 'email_not_listed'))).toBe(1);
    expect(m.value('forgetpw_links_sent_total')).toBe(0);
  });

  it('count requests refused by a rate limit', async () => {
    const { gate, ops } = await start({ limits: { email_per_address: 1 } });
    const ask = () =>
      gate.gate.post(
        '/email-link',
        { email: ALICE, forward: `http://${SITE}/page.html` },
        { host: SITE, origin: `http://${SITE}` },
      );
    expect((await ask()).status).toBe(303);
    expect((await ask()).status).toBe(429);
    const m = await scrape(ops);
    expect(m.value('forgetpw_throttled_total')).toBe(1);
    expect(m.value(requests('responder', 'throttled'))).toBe(1);
  });

  it('never take a label from the request: paths, hosts and addresses stay out', async () => {
    const { gate, ops } = await start();
    await gate.gate.request('GET', '/secret-path-4f2e', { host: 'odd-host-9c1d.example' });
    await gate.gate.post(
      '/email-link',
      { email: 'someone-3b7a@example.org', forward: `http://${SITE}/page.html` },
      { host: SITE, origin: `http://${SITE}` },
    );
    const m = await scrape(ops);
    expect(m.value(requests('responder', 'default_404'))).toBe(1);
    for (const marker of ['secret-path-4f2e', 'odd-host-9c1d', 'someone-3b7a'])
      expect(m.text).not.toContain(marker);
  });
});
