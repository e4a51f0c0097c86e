import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, startGate, type Gate } from './harness.js';

const ALICE = 'alice@example.org';
const SAME = { origin: `http://${SITE}` };

describe('respond', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate();
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it('answers post_only to any other method on the login and logout targets', async () => {
    for (const target of ['/email-link', '/logout']) {
      const res = await g.gate.request('GET', target);
      expect(res.status).toBe(405);
      expect(res.header('Content-Type')).toBe('application/xhtml+xml; charset=utf-8');
      expect(res.body).toContain('Nothing to See Here');
    }
  });

  it('answers default_404 on any other path', async () => {
    const res = await g.gate.post('/elsewhere', { email: ALICE }, SAME);
    expect(res.status).toBe(404);
    expect(res.body).toContain('Not Found');
  });

  it('refuses a forward URL for another host, scheme or port with forward_bad', async () => {
    for (const forward of [
      'http://evil.example/x',
      'https://site.example/x',
      'http://site.example:8080/x',
      '',
    ]) {
      const res = await g.gate.post('/email-link', { email: ALICE, forward }, SAME);
      expect(res.status, forward).toBe(409);
      expect(res.body).toContain('We Could Not Tell Where to Send You');
    }
    expect(g.sink.messages).toHaveLength(0);
  });

  it('refuses an unusable address with email_bad, showing it escaped, and sends nothing', async () => {
    for (const email of ['victim@x.example\r\nBcc: a@evil.example', 'Bob <bob@example.org>', 'a@b@c', '']) {
      const res = await g.gate.post('/email-link', { email, forward: '/page.html' }, SAME);
      expect(res.status, email).toBe(409);
    }
    const shown = await g.gate.post('/email-link', { email: '<b>x</b>@y', forward: '/p' }, SAME);
    expect(shown.body).toContain('&lt;b&gt;x&lt;/b&gt;@y');
    expect(g.sink.messages).toHaveLength(0);
  });

  it('tells an address that is not on the list so, and mails nothing', async () => {
    const res = await g.gate.post('/email-link', { email: 'eve@elsewhere.example', forward: '/p' }, SAME);
    expect(res.status).toBe(403);
    expect(res.body).toContain('This Address Is Not on the List');
    expect(g.sink.messages).toHaveLength(0);
  });

  it('mails a multipart link whose subject names the site and states its expiry', async () => {
    const res = await g.gate.post('/email-link', { email: 'Carol@Example.ORG', forward: '/docs/?a=1' }, SAME);
    expect(res.status).toBe(303);
    expect((await g.gate.followSent(res)).body).toContain('carol@example.org');
    const mail = await g.sink.next('carol@example.org');
    expect(mail.subject).toBe(`Log in to ${SITE}`);
    expect(mail.text).toMatch(/http:\/\/site\.example\/docs\/\?a=1&knock=[A-Za-z0-9_-]{43}/);
    expect(mail.html).toContain('knock=');
    expect(mail.text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it('answers email_failed when the transport refuses, and leaves no usable link', async () => {
    const links = () => g.daemon.daemon.store.knex('tokens').where({ kind: 'link' }).select('hash');
    const before = await links();
    g.sink.failNext(554);
    const res = await g.gate.post('/email-link', { email: ALICE, forward: '/p' }, SAME);
    expect(res.status).toBe(500);
    expect(res.body).toContain('The Mail Was Not Sent');
    expect(await links()).toEqual(before);
  });

  it('answers email_sent when the database goes away after the mail left: the one link works', async () => {
    const audit = g.daemon.daemon.store.audit;
    const record = audit.record.bind(audit);
    let refused = 0;
    audit.record = async (entry) => {
      if (entry.event === 'link-sent') {
        refused++;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      }
      return record(entry);
    };
    try {
      const sent = await g.gate.post('/email-link', { email: ALICE, forward: `http://${SITE}/p` }, SAME);
      expect(refused).toBe(1);
      expect(sent.status).toBe(303);
      const page = await g.gate.followSent(sent);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Check Your E-Mail');
      const mail = await g.sink.next(ALICE);
      const link = new URL(/https?:\/\/[^\s<>"]+knock=[A-Za-z0-9_-]{43}/.exec(mail.text)![0]);
      const opened = await g.gate.authorize(link.pathname + link.search, {
        cookie: `forgetpw_link=${sent.cookie('forgetpw_link')!}`,
      });
      expect(opened.status).toBe(200);
      expect(opened.cookie('forgetpw')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      audit.record = record;
    }
  });

  it('logs out without a session too, sending the browser to the logged-out page', async () => {
    const res = await g.gate.post('/logout', {}, SAME);
    expect(res.status).toBe(303);
    expect(res.header('Location')).toBe(`http://${SITE}/logged-out`);
  });

  it('takes `all` for logout-all from the form as well as the query', async () => {
    const one = await g.login(ALICE);
    const two = await g.login(ALICE);
    const res = await g.gate.post('/logout', { all: 'yes' }, { ...SAME, cookie: `forgetpw=${one}` });
    expect(res.header('Location')).toBe(`http://${SITE}/logged-out-all`);
    expect((await g.gate.authorize('/p', { cookie: `forgetpw=${two}` })).status).toBe(401);
  });

  it('answers junk forms with a page and keeps serving', async () => {
    const bodies = [
      Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe, 0x26, 0x66, 0x3d, 0xc3, 0x28]).toString(
        'latin1',
      ),
      `email=${'a'.repeat(200_000)}@x.example&forward=/p`,
      'email=%zz&forward=%zz',
      '&&&===&',
    ];
    for (const body of bodies) {
      const res = await g.gate.post('/email-link', body, SAME);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((await g.gate.request('GET', '/email-link')).status).toBe(405);
  });
});

describe('knock.confirm', () => {
  it('never: consumes the link on the first GET from anywhere (the original behaviour)', async () => {
    const g = await startGate({ knock: { confirm: 'never' } });
    try {
      await g.grant(ALICE);
      const { link } = await g.requestLink(ALICE);
      const first = await g.gate.authorize(link.pathname + link.search);
      expect(first.status).toBe(200);
      expect(first.header('Variable-FCGI_USER')).toBe(ALICE);
      expect((await g.gate.authorize(link.pathname + link.search)).status).toBe(401);
    } finally {
      await g.close();
    }
  });

  it('always: even the requesting browser confirms with a POST', async () => {
    const g = await startGate({ knock: { confirm: 'always' } });
    try {
      await g.grant(ALICE);
      const { link, pending } = await g.requestLink(ALICE);
      const opened = await g.gate.authorize(link.pathname + link.search, {
        cookie: `forgetpw_link=${pending}`,
      });
      expect(opened.status).toBe(401);
      expect(opened.body).toContain('name="knock"');
      const confirmed = await g.gate.post(
        '/email-link',
        { knock: link.searchParams.get('knock')!, forward: 'http://site.example/page.html' },
        SAME,
      );
      expect(confirmed.status).toBe(303);
      expect(confirmed.header('Location')).toBe('http://site.example/page.html');
      expect(confirmed.cookie('forgetpw')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await g.close();
    }
  });
});
