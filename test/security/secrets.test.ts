/**
 * Secrets at rest and in logs (issue 4, SPEC §4, §8): after a whole login, a dump of
 * every table logs nobody in, and a log at `trace` holds no token, cookie,
 * Authorization value, query string or mail body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/tokens/hash-secret.js';
import { CODE, TestClock } from '../flows/harness.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshMariadb, freshPostgres, freshSqlite, ifMariadb } from '../support/databases.js';
import { gateClient } from '../support/gate-client.js';
import { startSmtpSink, type Received, type SmtpSink } from '../support/smtp-sink.js';
import { captureStream } from './capture-stream.js';
import { dumpTables } from './dump-tables.js';
import { linkFromMail } from './link-from-mail.js';
import { recordingRandom } from './recording-random.js';

const SITE = 'site.example';
const ALICE = 'alice@example.org';
const ORIGIN = { origin: `http://${SITE}` };
const FORWARD = `http://${SITE}/page.html?x=1`;

describe.each([
  ['SQLite', async () => Promise.resolve(freshSqlite())],
  ['PostgreSQL', freshPostgres],
  ...ifMariadb('secrets after a full login', ['MariaDB', freshMariadb] as const),
] as const)('secrets after a full login on %s', (_name, freshDb) => {
  const log = captureStream();
  const recorder = recordingRandom();
  const sent: string[] = [];
  const mails: Received[] = [];
  /** The one-time codes mailed, grouped and not. */
  const codes: string[] = [];
  let db: { dsn: string; cleanup(): unknown };
  let sink: SmtpSink;
  let daemon: TestDaemon;
  let session: string;

  beforeAll(async () => {
    db = await freshDb();
    sink = await startSmtpSink();
    const clock = new TestClock();
    daemon = await startTestDaemon({
      dsn: db.dsn,
      smtpPort: sink.port,
      clock,
      random: recorder.random,
      logLevel: 'trace',
      logStream: log.stream,
    });
    await daemon.daemon.store.acl.put([{ domain: SITE, address: ALICE, allow: true }], clock.now());
    const gate = gateClient(daemon.port);
    const cookieHeader = (value: string): string => (sent.push(value), value);

    // A link opened in the browser that asked for it, after a scanner looked at it.
    const asked = await gate.post('/email-link', { email: ALICE, forward: FORWARD }, ORIGIN);
    expect(asked.status).toBe(303);
    const pending = asked.cookie('forgetpw_link')!;
    mails.push(await sink.next(ALICE));
    const link = linkFromMail(mails[0]!);
    expect((await gate.authorize(link.pathname + link.search)).status).toBe(401);
    const opened = await gate.authorize(link.pathname + link.search, {
      cookie: cookieHeader(`forgetpw_link=${pending}`),
    });
    expect(opened.status).toBe(200);
    session = opened.cookie('forgetpw')!;

    // The session as a cookie (before and after a slide), as Bearer and as Basic.
    expect(
      (await gate.authorize('/a', { cookie: cookieHeader(`forgetpw=${session}; theme=dark`) })).status,
    ).toBe(200);
    clock.advance(3601);
    expect((await gate.authorize('/a', { cookie: `forgetpw=${session}` })).cookie('forgetpw')).toBe(session);
    expect((await gate.authorize('/feed', { authorization: cookieHeader(`Bearer ${session}`) })).status).toBe(
      200,
    );
    const basic = Buffer.from(`:${session}`).toString('base64');
    expect((await gate.authorize('/feed', { authorization: cookieHeader(`Basic ${basic}`) })).status).toBe(
      200,
    );
    sent.push(basic);

    // A second link confirmed by POST from another device, then used again.
    await gate.post('/email-link', { email: ALICE, forward: FORWARD }, ORIGIN);
    mails.push(await sink.next(ALICE));
    const knock = linkFromMail(mails[1]!).searchParams.get('knock')!;
    const confirmed = await gate.post('/email-link', { knock, forward: FORWARD }, ORIGIN);
    expect(confirmed.status).toBe(303);
    const second = confirmed.cookie('forgetpw')!;
    expect((await gate.post('/email-link', { knock, forward: FORWARD }, ORIGIN)).status).toBe(401);

    // A third link's one-time code typed in the browser that asked: once wrong, then right.
    const third = await gate.post('/email-link', { email: ALICE, forward: FORWARD }, ORIGIN);
    const thirdBrowser = {
      ...ORIGIN,
      cookie: cookieHeader(`forgetpw_link=${third.cookie('forgetpw_link')!}`),
    };
    mails.push(await sink.next(ALICE));
    const code = CODE.exec(mails[2]!.text)![0];
    codes.push(code, code.replace('-', ''));
    const wrong = code.startsWith('2222') ? '3333-3333' : '2222-2222';
    expect((await gate.post('/email-link', { code: wrong, forward: FORWARD }, thirdBrowser)).status).toBe(
      401,
    );
    expect((await gate.post('/email-link', { code, forward: FORWARD }, thirdBrowser)).status).toBe(303);

    // Guesses, a mail the transport refuses, and both logouts.
    await gate.authorize(`/a?knock=${'G'.repeat(43)}`);
    await gate.authorize('/a', { cookie: `forgetpw=${'H'.repeat(43)}` });
    sink.failNext(550);
    expect((await gate.post('/email-link', { email: ALICE, forward: FORWARD }, ORIGIN)).status).toBe(500);
    expect((await gate.post('/logout', {}, { ...ORIGIN, cookie: `forgetpw=${session}` })).status).toBe(303);
    expect((await gate.post('/logout?all=1', {}, { ...ORIGIN, cookie: `forgetpw=${second}` })).status).toBe(
      303,
    );
  });

  afterAll(async () => {
    await daemon.close();
    await sink.close();
    await db.cleanup();
  });

  it('stores no secret it handed out, only hashes', async () => {
    const dump = await dumpTables(daemon.daemon.store.knex, daemon.daemon.store.dialect);
    expect(dump).toContain(hashSecret(session));
    expect(recorder.secrets().length).toBeGreaterThanOrEqual(7);
    for (const secret of recorder.secrets()) expect(dump).not.toContain(secret);
    expect(codes).toHaveLength(2);
    for (const code of codes) expect(dump).not.toContain(code);
  });

  it('logs no secret, cookie, Authorization value, query or mail body, even at trace', () => {
    const text = log.text();
    expect(text).toContain('"event":"link-redeemed"');
    expect(text).toContain('"event":"mail-failed"');
    for (const secret of recorder.secrets()) expect(text).not.toContain(secret);
    expect(text).toContain('"event":"code-wrong"');
    for (const code of codes) expect(text).not.toContain(code);
    for (const header of sent) expect(text).not.toContain(header);
    expect(text).not.toContain('knock=');
    expect(text).not.toContain('x=1');
    expect(text).not.toMatch(/Bearer|Basic /);
    for (const mail of mails) {
      expect(text).not.toContain('Follow this link');
      expect(text).not.toContain(mail.subject);
    }
  });
});
