import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, type Gate } from './harness.js';

const ANN = 'ann@example.org';

describe('pages a person trusts (issue 15)', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate({ site_name: { [SITE]: 'Example Wiki' } });
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it('names the site in the mail: sender, subject, button, "within 10 minutes", the link as text', async () => {
    const posted = await g.gate.post(
      '/email-link',
      { email: ANN, forward: `http://${SITE}/page.html` },
      { origin: `http://${SITE}` },
    );
    const sent = await g.gate.followSent(posted);
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('Example Wiki');
    expect(sent.body).toContain('10 minutes');
    const second = await g.sink.next(ANN);
    expect(second.subject).toBe('Log in to Example Wiki');
    expect(second.text).toContain('within 10 minutes');
    expect(second.text).not.toContain('##');
    expect(second.html).toContain('>Log in to Example Wiki</a>');
    expect(second.raw).toMatch(/^From: "?Example Wiki"? <[^>]+>/m);
    expect(second.text).toMatch(/\nhttp:\/\/site\.example\/page\.html\?knock=[A-Za-z0-9_-]{43}\n/);
  });

  it('sends a person who re-opens a spent link while logged in on to the page', async () => {
    const { link, pending } = await g.requestLink(ANN);
    const first = await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(first.status).toBe(200);
    const session = first.cookie('forgetpw')!;
    const again = await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw=${session}` });
    expect(again.status).toBe(200);
    expect(again.header('Variable-FCGI_REDIRECT')).toBe('/page.html');
  });

  it('fills in the owner of an expired link, escaped', async () => {
    const { link, pending } = await g.requestLink(ANN);
    g.clock.advance(601);
    const res = await g.gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(res.status).toBe(401);
    expect(res.body).toContain(`value="${ANN}"`);
  });

  it('tells a revoked person their access ended, and mails nothing', async () => {
    await g.grant('bob@example.org', SITE, false);
    const res = await g.gate.post(
      '/email-link',
      { email: 'bob@example.org', forward: `http://${SITE}/` },
      { origin: `http://${SITE}` },
    );
    expect(res.status).toBe(403);
    expect(res.body).toContain('Your Access Has Ended');
    expect(res.body).not.toContain('<form');
  });

  it('shows the address that is not on the list', async () => {
    const res = await g.gate.post(
      '/email-link',
      { email: 'eve@else.example', forward: `http://${SITE}/` },
      { origin: `http://${SITE}` },
    );
    expect(res.status).toBe(403);
    expect(res.body).toContain('eve@else.example');
    expect(res.body).toContain('This Address Is Not on the List');
  });
});
