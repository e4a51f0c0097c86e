/**
 * Single use under contention (SPEC §2.3, issue 4): twenty simultaneous uses of one
 * link, same-browser GETs, confirmation POSTs and its typed code mixed, log in exactly once; a
 * scanner's GETs and HEADs (no pending cookie) consume nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE, TestClock } from '../flows/harness.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshMariadb, freshPostgres, freshSqlite, ifMariadb } from '../support/databases.js';
import { gateClient, type GateAnswer, type GateClient } from '../support/gate-client.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { linkFromMail } from './link-from-mail.js';

const SITE = 'site.example';
const ALICE = 'alice@example.org';
const ORIGIN = { origin: `http://${SITE}` };
const FORWARD = `http://${SITE}/page.html`;

describe.each([
  ['SQLite', async () => Promise.resolve(freshSqlite())],
  ['PostgreSQL', freshPostgres],
  ...ifMariadb('one link used twenty times at once', ['MariaDB', freshMariadb] as const),
] as const)('one link used twenty times at once on %s', (_name, freshDb) => {
  let db: { dsn: string; cleanup(): unknown };
  let sink: SmtpSink;
  let daemon: TestDaemon;
  let gate: GateClient;

  beforeAll(async () => {
    db = await freshDb();
    sink = await startSmtpSink();
    const clock = new TestClock();
    daemon = await startTestDaemon({
      dsn: db.dsn,
      smtpPort: sink.port,
      clock,
      settings: { limits: { email_per_address: 0, email_per_ip: 0, bad_tokens_per_ip: 0 } },
    });
    await daemon.daemon.store.acl.put([{ domain: SITE, address: ALICE, allow: true }], clock.now());
    gate = gateClient(daemon.port);
  });

  afterAll(async () => {
    await daemon.close();
    await sink.close();
    await db.cleanup();
  });

  it("consumes nothing on a scanner's GETs and HEADs, however many", async () => {
    const asked = await gate.post('/email-link', { email: ALICE, forward: FORWARD }, ORIGIN);
    const link = linkFromMail(await sink.next(ALICE));
    const uri = link.pathname + link.search;
    const looks = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0 ? gate.authorize(uri) : gate.authorize(uri, { extra: { REQUEST_METHOD: 'HEAD' } }),
      ),
    );
    for (const look of looks) {
      expect(look.status).toBe(401);
      expect(look.body).toContain('Confirm Your Log-In');
      expect(look.cookies()).toEqual([]);
    }
    const opened = await gate.authorize(uri, { cookie: `forgetpw_link=${asked.cookie('forgetpw_link')!}` });
    expect(opened.header('Variable-FCGI_USER')).toBe(ALICE);
  });

  it('lets exactly one use in and answers every other one knock_expired', async () => {
    const sessions = async () =>
      Number((await daemon.daemon.store.knex('tokens').where({ kind: 'session' }).count({ n: '*' }))[0]?.n);
    for (let round = 0; round < 3; round++) {
      const before = await sessions();
      const asked = await gate.post('/email-link', { email: ALICE, forward: FORWARD }, ORIGIN);
      const pending = asked.cookie('forgetpw_link')!;
      const mail = await sink.next(ALICE);
      const link = linkFromMail(mail);
      const knock = link.searchParams.get('knock')!;
      // The one-time code spends the same link (SPEC §11): typed in the asking browser, it races too.
      const code = CODE.exec(mail.text)![0];
      const uses: Array<Promise<GateAnswer>> = [];
      for (let i = 0; i < 20; i++) {
        uses.push(
          i % 3 === 0
            ? gate.authorize(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` })
            : i % 3 === 1
              ? gate.post('/email-link', { knock, forward: FORWARD }, ORIGIN)
              : gate.post(
                  '/email-link',
                  { code, forward: FORWARD },
                  { ...ORIGIN, cookie: `forgetpw_link=${pending}` },
                ),
        );
      }
      const answers = await Promise.all(uses);
      const wins = answers.filter(
        (a) => (a.status === 200 && a.header('Variable-FCGI_USER') === ALICE) || a.status === 303,
      );
      expect(wins).toHaveLength(1);
      expect(wins[0]!.cookie('forgetpw')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const losers = answers.filter((a) => !wins.includes(a));
      expect(losers.map((a) => a.status)).toEqual(new Array(19).fill(401));
      for (const loser of losers) {
        expect(loser.body).toContain('The Link Has Expired');
        expect(loser.cookie('forgetpw')).toBeUndefined();
      }
      expect(await sessions()).toBe(before + 1);
    }
  });
});
