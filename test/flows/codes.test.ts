import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE, SITE, startGate, type Gate } from './harness.js';

const SAME = { origin: `http://${SITE}` };
const FORWARD = `http://${SITE}/page.html`;

/** What a person typing fast on a phone might send for `code`: small letters, a space, no dash. */
const sloppy = (code: string): string => ` ${code.slice(0, 4).toLowerCase()} ${code.slice(5)} `;

/** A code of the alphabet that is not `code`. */
const otherThan = (code: string): string => (code.startsWith('2222') ? '3333-3333' : '2222-2222');

describe('one-time codes (SPEC §11)', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate();
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  const typeCode = (code: string, pending: string | undefined, o: { remoteAddr?: string } = {}) =>
    g.gate.post(
      '/email-link',
      { code, forward: FORWARD },
      { ...SAME, ...o, ...(pending === undefined ? {} : { cookie: `forgetpw_link=${pending}` }) },
    );

  it('mails a grouped code beside the link, and the sent page asks for it', async () => {
    const { pending, code, sentAt } = await g.requestLink('ann@example.org');
    expect(code).toMatch(CODE);
    const sent = await g.gate.request('GET', new URL(sentAt).pathname + new URL(sentAt).search, {
      cookie: `forgetpw_link=${pending}`,
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('Check Your E-Mail');
    expect(sent.body).toContain('ann@example.org');
    expect(sent.body).toContain('10 minutes');
    expect(sent.body).toMatch(/<input [^>]*name="code"/);
    expect(sent.body).not.toContain(code);
  });

  it('logs in the browser that asked with the right code, typed sloppily, and goes on to the page', async () => {
    const { pending, code, link } = await g.requestLink('ann@example.org');
    const typed = await typeCode(sloppy(code), pending);
    expect(typed.status, typed.body).toBe(303);
    expect(typed.header('Location')).toBe(FORWARD);
    const session = typed.cookie('forgetpw')!;
    expect(typed.cookie('forgetpw_link')).toBe('');
    const page = await g.gate.authorize('/page.html', { cookie: `forgetpw=${session}` });
    expect(page.status).toBe(200);
    expect(page.header('Variable-FCGI_USER')).toBe('ann@example.org');
    // The code spent its link: opened elsewhere, it is used.
    const opened = await g.gate.authorize(link.pathname + link.search);
    expect(opened.status).toBe(401);
    expect(opened.body).toContain('The Link Has Expired');
  });

  it('does nothing with a code typed in a browser that did not ask', async () => {
    const { pending, code, link } = await g.requestLink('bea@example.org');
    for (let i = 0; i < 6; i++) {
      const elsewhere = await typeCode(code, undefined);
      expect(elsewhere.status).toBe(401);
      expect(elsewhere.body).toContain('No Login Is Waiting Here');
      expect(elsewhere.cookie('forgetpw')).toBeUndefined();
    }
    // A pending cookie of its own (another browser that asked for another link) does not help either.
    const other = await g.requestLink('cid@example.org');
    expect((await typeCode(code, other.pending)).status).toBe(401);
    // Nothing was spent or counted: the right browser still logs in with the code, once.
    const right = await typeCode(code, pending);
    expect(right.status).toBe(303);
    expect((await typeCode(code, pending)).status).toBe(401);
    expect((await g.gate.authorize(link.pathname + link.search)).body).toContain('The Link Has Expired');
  });

  it('ends the code and its link after five wrong codes, and offers a new mail', async () => {
    const { pending, code, link } = await g.requestLink('dan@example.org');
    const wrong = otherThan(code);
    for (const left of ['4 more tries', '3 more tries', '2 more tries', '1 more try']) {
      const res = await typeCode(wrong, pending);
      expect(res.status).toBe(401);
      expect(res.body).toContain('That Code Is Not Right');
      expect(res.body).toContain(left);
    }
    const fifth = await typeCode(wrong, pending);
    expect(fifth.status).toBe(403);
    expect(fifth.body).toContain('This Code No Longer Works');
    expect(fifth.body).toContain('value="dan@example.org"');
    // The right code and the link are both over now.
    const late = await typeCode(code, pending);
    expect(late.status).toBe(403);
    expect(late.cookie('forgetpw')).toBeUndefined();
    const opened = await g.gate.authorize(link.pathname + link.search, {
      cookie: `forgetpw_link=${pending}`,
    });
    expect(opened.status).toBe(401);
    expect(opened.body).toContain('The Link Has Expired');
    // A new mail gives a new, working code.
    const again = await g.requestLink('dan@example.org');
    expect((await typeCode(again.code, again.pending)).status).toBe(303);
  });

  it('counts only what can be a code as a try', async () => {
    const { pending, code } = await g.requestLink('eve@example.org');
    for (const junk of ['', 'abc', 'K7QM-4XPD-99', 'O0O0-I1L1', 'x'.repeat(5000)]) {
      const res = await typeCode(junk, pending);
      expect(res.status, junk).toBe(401);
      expect(res.body).toContain('5 more tries');
    }
    expect((await typeCode(code.replace('-', '\u2013'), pending)).status).toBe(303);
  });

  it('is spent by the link: the code no longer works after the link was used', async () => {
    const { pending, code, link } = await g.requestLink('fay@example.org');
    const opened = await g.gate.authorize(link.pathname + link.search, {
      cookie: `forgetpw_link=${pending}`,
    });
    expect(opened.status).toBe(200);
    const typed = await typeCode(code, pending);
    expect(typed.cookie('forgetpw')).toBeUndefined();
    expect(typed.status).toBe(401);
  });

  it('lives as long as the link', async () => {
    const { pending, code } = await g.requestLink('gus@example.org');
    g.clock.advance(601);
    const typed = await typeCode(code, pending);
    expect(typed.status).toBe(401);
    expect(typed.body).toContain('The Link Has Expired');
    expect(typed.body).toContain('value="gus@example.org"');
  });

  it('lets exactly one of twenty simultaneous uses of the code and the link win', async () => {
    const { pending, code, link } = await g.requestLink('hal@example.org');
    const knock = link.searchParams.get('knock')!;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0 ? typeCode(code, pending) : g.gate.post('/email-link', { knock, forward: FORWARD }, SAME),
      ),
    );
    const winners = answers.filter((a) => a.cookie('forgetpw') !== undefined && a.cookie('forgetpw') !== '');
    expect(winners).toHaveLength(1);
    const sessions = await g.daemon.daemon.store
      .knex('tokens')
      .join('users', 'users.id', 'tokens.user_id')
      .where({ kind: 'session', email: 'hal@example.org' })
      .count({ n: '*' });
    expect(Number(sessions[0]?.n)).toBe(1);
  });
});

describe('the sent page (issue 15, item 5)', () => {
  let g: Gate;
  beforeAll(async () => {
    g = await startGate({ limits: { email_per_address: 2, window: 'PT15M' } });
    await g.grant('example.org');
  });
  afterAll(() => g.close());

  it('answers the POST with a 303 to a GET that carries no secret, and a reload mails nothing', async () => {
    const posted = await g.gate.post('/email-link', { email: 'ann@example.org', forward: FORWARD }, SAME);
    expect(posted.status).toBe(303);
    const location = posted.header('Location')!;
    expect(location).toBe(`http://${SITE}/email-link?sent=1`);
    await g.sink.next('ann@example.org');
    for (let i = 0; i < 3; i++) {
      const shown = await g.gate.followSent(posted);
      expect(shown.status).toBe(200);
      expect(shown.body).toContain('Check Your E-Mail');
      expect(shown.body).toContain('ann@example.org');
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(g.sink.messages.filter((m) => m.to.includes('ann@example.org'))).toHaveLength(1);
  });

  it('offers the wrong-address form pre-filled and a send-again button, and states the limits', async () => {
    const shown = await g.gate.followSent(
      await g.gate.post('/email-link', { email: 'bob@example.org', forward: FORWARD }, SAME),
    );
    await g.sink.next('bob@example.org');
    expect(shown.body).toContain('Wrong address?');
    expect(shown.body).toMatch(/<input type="email"[^>]*value="bob@example.org"/);
    expect(shown.body).toContain('Send the link again');
    expect(shown.body).toContain('up to 2 links every 15 minutes');
    expect(shown.body).toMatch(/until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it('shows the wait when sending again is over the limit', async () => {
    const ask = () => g.gate.post('/email-link', { email: 'cat@example.org', forward: FORWARD }, SAME);
    expect((await ask()).status).toBe(303);
    expect((await ask()).status).toBe(303);
    const third = await ask();
    expect(third.status).toBe(429);
    expect(third.header('Retry-After')).toMatch(/^\d+$/);
    expect(third.body).toMatch(/\d+ (seconds|minutes)/);
  });

  it('says no login is waiting when the browser has no pending cookie', async () => {
    const res = await g.gate.request('GET', '/email-link?sent=1');
    expect(res.status).toBe(401);
    expect(res.body).toContain('No Login Is Waiting Here');
  });

  it('sends a browser that went back to the sent page after logging in on to the site', async () => {
    const posted = await g.gate.post('/email-link', { email: 'dot@example.org', forward: FORWARD }, SAME);
    const pending = posted.cookie('forgetpw_link')!;
    const code = CODE.exec((await g.sink.next('dot@example.org')).text)![0];
    const typed = await g.gate.post(
      '/email-link',
      { code, forward: FORWARD },
      { ...SAME, cookie: `forgetpw_link=${pending}` },
    );
    const back = await g.gate.request('GET', '/email-link?sent=1', {
      cookie: `forgetpw=${typed.cookie('forgetpw')!}`,
    });
    expect(back.status).toBe(303);
    expect(back.header('Location')).toBe(`http://${SITE}/`);
  });
});

describe('codes and the rate limits', () => {
  it('counts every code typed against the client limit', async () => {
    const g = await startGate({ limits: { bad_tokens_per_ip: 3 } });
    try {
      await g.grant('example.org');
      const { pending, code } = await g.requestLink('ann@example.org');
      const from = { ...SAME, remoteAddr: '198.51.100.9', cookie: `forgetpw_link=${pending}` };
      for (let i = 0; i < 3; i++) {
        const res = await g.gate.post('/email-link', { code: otherThan(code), forward: FORWARD }, from);
        expect(res.status).toBe(401);
      }
      const over = await g.gate.post('/email-link', { code, forward: FORWARD }, from);
      expect(over.status).toBe(429);
      expect(over.cookie('forgetpw')).toBeUndefined();
      // Another client network is not held back, and the right code still works there.
      const elsewhere = await g.gate.post(
        '/email-link',
        { code, forward: FORWARD },
        { ...from, remoteAddr: '203.0.113.5' },
      );
      expect(elsewhere.status).toBe(303);
    } finally {
      await g.close();
    }
  });
});

describe('codes with privacy.conceal_list', () => {
  it('answers a listed and an unlisted address alike, sent page and wrong codes', async () => {
    const g = await startGate({ privacy: { conceal_list: true } });
    try {
      await g.grant('ann@example.org');
      const ask = (email: string) => g.gate.post('/email-link', { email, forward: FORWARD }, SAME);
      const listed = await ask('ann@example.org');
      const unlisted = await ask('zed@example.org');
      expect(listed.status).toBe(303);
      expect(unlisted.status).toBe(303);
      const pages = [await g.gate.followSent(listed), await g.gate.followSent(unlisted)];
      expect(pages.map((p) => p.status)).toEqual([200, 200]);
      expect(pages[1]!.body.replaceAll('zed@', 'ann@')).toBe(pages[0]!.body);
      const mail = await g.sink.next('ann@example.org');
      const code = CODE.exec(mail.text)![0];
      const wrong = otherThan(code);
      for (let i = 0; i < 5; i++) {
        const answers = [];
        for (const posted of [listed, unlisted]) {
          answers.push(
            await g.gate.post(
              '/email-link',
              { code: wrong, forward: FORWARD },
              { ...SAME, cookie: `forgetpw_link=${posted.cookie('forgetpw_link')!}` },
            ),
          );
        }
        expect(answers[1]!.status).toBe(answers[0]!.status);
        expect(answers[1]!.body.replaceAll('zed@', 'ann@')).toBe(answers[0]!.body);
      }
    } finally {
      await g.close();
    }
  });
});
