/**
 * `privacy.conceal_list: true` (issue 4): whoever asks, for a listed, an unlisted or a
 * blocked address, sees the same answer at the same speed; only the listed address
 * gets mail, sent after the answer. The relay here takes 400 ms per message, so a
 * mail sent on the request path could not hide in the timing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../flows/harness.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshSqlite, type FreshSqlite } from '../support/databases.js';
import { gateClient, type GateAnswer, type GateClient } from '../support/gate-client.js';
import { startSlowSmtp, type SlowSmtp } from './slow-smtp.js';

const SITE = 'site.example';
const RELAY_DELAY_MS = 400;
const KINDS = ['listed', 'unlisted', 'blocked'] as const;
type Kind = (typeof KINDS)[number];
type People = Record<Kind, string>;

/** What a person (or a prober) can compare: status, headers and body, less the address they typed and cookie values. */
function observable(answer: GateAnswer, address: string) {
  return {
    status: answer.status,
    headers: answer.headers.map(([name, value]) =>
      name.toLowerCase() === 'set-cookie' ? [name, value.replace(/=[^;]*/, '=VALUE')] : [name, value],
    ),
    body: answer.body.replaceAll(address, 'ADDRESS'),
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

describe('privacy.conceal_list', () => {
  let db: FreshSqlite;
  let relay: SlowSmtp;
  let daemon: TestDaemon;
  let gate: GateClient;
  const ask = (email: string) =>
    gate.post('/email-link', { email, forward: `http://${SITE}/page.html` }, { origin: `http://${SITE}` });
  /** Three addresses of this test's own: one allowed, one with no row, one denied. */
  const people = async (tag: string): Promise<People> => {
    const p = {
      listed: `listed-${tag}@example.org`,
      unlisted: `unlisted-${tag}@example.org`,
      blocked: `blocked-${tag}@example.org`,
    };
    await daemon.daemon.store.acl.put(
      [
        { domain: SITE, address: p.listed, allow: true },
        { domain: SITE, address: p.blocked, allow: false },
      ],
      Date.now(),
    );
    return p;
  };

  beforeAll(async () => {
    db = freshSqlite();
    relay = await startSlowSmtp(RELAY_DELAY_MS);
    const clock = new TestClock();
    daemon = await startTestDaemon({
      dsn: db.dsn,
      smtpPort: relay.port,
      clock,
      settings: {
        privacy: { conceal_list: true },
        limits: { email_per_address: 0, email_per_address_total: 0, email_per_ip: 0, bad_tokens_per_ip: 0 },
      },
    });
    await daemon.daemon.store.acl.put([{ domain: '', address: 'example.org', allow: false }], clock.now());
    gate = gateClient(daemon.port);
  });

  afterAll(async () => {
    await daemon.close();
    await relay.close();
    db.cleanup();
  });

  it('gives listed, unlisted and blocked addresses the same status, headers and page', async () => {
    const p = await people('page');
    const seen = [];
    for (const kind of KINDS) {
      const posted = await ask(p[kind]);
      // The POST's 303 and the sent page it leads to (issue 15): both the same for all three.
      seen.push({
        posted: observable(posted, p[kind]),
        page: observable(await gate.followSent(posted), p[kind]),
      });
    }
    expect(seen[0]!.posted.status).toBe(303);
    expect(seen[0]!.page.status).toBe(200);
    expect(seen[0]!.page.body).toContain('Check Your E-Mail');
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });

  it('mails the listed address only', async () => {
    const p = await people('mail');
    for (const kind of KINDS) expect((await ask(p[kind])).status).toBe(303);
    const mine = () => relay.recipients.filter((to) => to.endsWith('-mail@example.org'));
    for (let waited = 0; mine().length === 0 && waited < 5000; waited += 50) await sleep(50);
    await sleep(RELAY_DELAY_MS + 300);
    expect(mine()).toEqual([p.listed]);
  });

  it('answers all three in the same time, the mail going out after the answer', async () => {
    const p = await people('time');
    const times: Record<Kind, number[]> = { listed: [], unlisted: [], blocked: [] };
    for (let round = 0; round < 30; round++) {
      // Rotate the order so that no kind always follows the listed one's background mail.
      for (let i = 0; i < KINDS.length; i++) {
        const kind = KINDS[(round + i) % KINDS.length]!;
        const started = process.hrtime.bigint();
        expect((await ask(p[kind])).status).toBe(303);
        times[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    const listed = median(times.listed);
    // Generous: a mail on the request path would add the relay's 400 ms.
    expect(listed).toBeLessThan(RELAY_DELAY_MS / 2);
    expect(Math.abs(listed - median(times.unlisted))).toBeLessThan(RELAY_DELAY_MS / 4);
    expect(Math.abs(listed - median(times.blocked))).toBeLessThan(RELAY_DELAY_MS / 4);
  });
});
