/**
 * The soak's verdicts, exactly the list of issue 18: stale answers, 5xx outside the faults,
 * pages and no hangs inside them, nothing lost between link request, mail, link and login,
 * flat resources. Each check says what it counted, so a failure can be followed up.
 */
import type { Answer } from './soak-http.js';
import type { LinkFlow, Logout } from './traffic.js';
import { meanOver, type Sample } from './resources.js';

export interface FaultWindow {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** After `end`, answers still count as in the window for this long (reconnects, restarts). */
  readonly graceMs: number;
}

export interface Verdict {
  readonly check: string;
  readonly result: string;
  readonly ok: boolean;
}

export interface StoreFacts {
  /** Link tokens still usable (not used, not revoked, not expired) at the end. */
  readonly usableLinks: number;
  /** Session rows found for the sessions the flows were handed, by cookie. */
  readonly sessionRows: ReadonlyMap<string, number>;
  /** `login` audit rows written during the run, by address. */
  readonly loginAudits: ReadonlyMap<string, number>;
}

export interface SoakFacts {
  readonly answers: readonly Answer[];
  readonly windows: readonly FaultWindow[];
  readonly flows: readonly LinkFlow[];
  readonly logouts: readonly Logout[];
  readonly dead: ReadonlyMap<string, number>;
  readonly ttlMs: number;
  readonly mailsTotal: number;
  readonly mailsUnclaimed: number;
  readonly store: StoreFacts;
  readonly samples: readonly Sample[];
  /** [from, to) of the first minute after warm-up and of the last minute. */
  readonly firstMinute: readonly [number, number];
  readonly lastMinute: readonly [number, number];
  /** New connections Apache opens to the daemon per second (about one per check). */
  readonly checksPerSecond: number;
  readonly unfinishedFlows: number;
}

const HANG_MS = 5_000;

export function judge(f: SoakFacts): Verdict[] {
  const inWindow = (a: Answer): string | undefined =>
    f.windows.find((w) => a.end >= w.start && a.start <= w.end + w.graceMs)?.name;
  const verdicts: Verdict[] = [];
  const add = (check: string, ok: boolean, result: string): void => {
    verdicts.push({ check, ok, result });
  };

  // 1. Stale answers: 200 for a dead session sent more than cache.ttl after it died.
  const replays = f.answers.filter((a) => a.kind === 'dead-cookie');
  const stale = replays.filter(
    (a) => a.status === 200 && a.start > (f.dead.get(a.cookie ?? '') ?? Infinity) + f.ttlMs,
  );
  const withinTtl = replays.filter(
    (a) => a.status === 200 && a.start <= (f.dead.get(a.cookie ?? '') ?? 0) + f.ttlMs,
  );
  add(
    'no 200 for a session logged out or a person disabled more than cache.ttl earlier',
    stale.length === 0,
    `${String(stale.length)} of ${String(replays.length)} replays of dead sessions (${String(withinTtl.length)} answered 200 within the ttl)`,
  );

  // 2. 5xx outside the fault windows. A connection Apache reset (or a client timeout) is no
  // answer from the gate at all: counted on a line of its own, with when it happened.
  const failed = (a: Answer): boolean => a.status >= 500;
  const outside = f.answers.filter((a) => failed(a) && inWindow(a) === undefined);
  add(
    'no 5xx outside the fault windows',
    outside.length === 0,
    `${String(outside.length)} of ${String(f.answers.length)} answers${describe(outside)}`,
  );

  // 3. In the windows: every failure is a page, and nothing hangs (anywhere).
  const inside = f.answers.filter((a) => inWindow(a) !== undefined);
  const notPage = inside.filter((a) => failed(a) && !(a.status >= 500 && /html|xml/.test(a.contentType)));
  const hangs = f.answers.filter((a) => a.end - a.start > HANG_MS);
  const byWindow = f.windows
    .map((w) => {
      const mine = inside.filter((a) => inWindow(a) === w.name);
      const bad = mine.filter(failed);
      return `${w.name}: ${String(bad.length)}/${String(mine.length)} 5xx`;
    })
    .join('; ');
  add(
    'every answer in a fault window a page (503/500), none past 5 s',
    notPage.length === 0 && hangs.length === 0,
    `${String(notPage.length)} failures that were no page${describe(notPage)}, ${String(hangs.length)} answers slower than 5 s (slowest ${String(f.answers.reduce((max, a) => Math.max(max, a.end - a.start), 0))} ms); ${byWindow}`,
  );

  const resets = f.answers.filter((a) => a.status === 0);
  add(
    'no connection reset or timeout between the client and Apache',
    resets.length === 0,
    `${String(resets.length)}${describe(resets)}${secondsOf(resets, f.answers)}`,
  );

  // 4. email_sent: exactly one mail, and its link worked.
  const sent = f.flows.filter((x) => x.outcome === 'sent');
  const broken = sent.filter((x) => x.session === undefined);
  // An attempt the client gave up on (no answer in 15 s) may still have sent its mail.
  const unanswered = f.flows.reduce((sum, x) => sum + x.unanswered, 0);
  const extra = sent.filter((x) => x.mails > 1 + x.unanswered);
  add(
    'every email_sent produced exactly one mail with a working link',
    broken.length === 0 && extra.length === 0 && f.mailsUnclaimed <= unanswered,
    `${String(sent.length)} sent, ${String(sent.length - broken.length)} logged in through their link, ${String(broken.length)} not${problems(broken)}; ${String(f.mailsTotal)} mails, ${String(extra.length)} requests with a mail too many, ${String(f.mailsUnclaimed)} unclaimed; ${String(unanswered)} link-request attempts the client gave up on (each may leave a mail)`,
  );

  // 5. The mail outage: email_failed, no usable link left.
  const smtp = f.windows.find((w) => w.name === 'smtp-stopped');
  const duringOutage =
    smtp === undefined ? [] : f.flows.filter((x) => x.requestStart >= smtp.start && x.requestEnd <= smtp.end);
  const notFailed = duringOutage.filter((x) => x.outcome !== 'failed');
  const failedFlows = f.flows.filter((x) => x.outcome === 'failed');
  add(
    'every link request during the SMTP outage got email_failed and left no usable link',
    notFailed.length === 0 && f.store.usableLinks <= unanswered && duringOutage.length > 0,
    `${String(duringOutage.length)} link requests while the sink was down, ${String(notFailed.length)} not email_failed; ${String(failedFlows.length)} email_failed in all; ${String(f.store.usableLinks)} usable link tokens left at the end (at most ${String(unanswered)} may be of attempts the client gave up on)`,
  );

  // 6. Completed logins: one session row and one audit row each.
  const completed = f.flows.filter((x) => x.session !== undefined);
  const missingSession = completed.filter((x) => f.store.sessionRows.get(x.session ?? '') !== 1);
  const perAddress = new Map<string, number>();
  for (const x of completed) perAddress.set(x.address, (perAddress.get(x.address) ?? 0) + 1);
  let auditShort = 0;
  let auditExtra = 0;
  for (const [address, count] of perAddress) {
    const rows = f.store.loginAudits.get(address) ?? 0;
    if (rows < count) auditShort += count - rows;
    if (rows > count) auditExtra += rows - count;
  }
  for (const [address, rows] of f.store.loginAudits) if (!perAddress.has(address)) auditExtra += rows;
  add(
    'every completed login has exactly one session and one audit row',
    completed.length > 0 && missingSession.length === 0 && auditShort === 0 && auditExtra === 0,
    `${String(completed.length)} logins; ${String(missingSession.length)} without exactly one session row; audit rows: ${String(auditShort)} missing, ${String(auditExtra)} beyond the completed logins; ${String(f.unfinishedFlows)} flows unfinished at the end`,
  );

  // 7. Flat resources.
  const first = meanOver(f.samples, ...f.firstMinute);
  const last = meanOver(f.samples, ...f.lastMinute);
  const ratio = (a: number, b: number): number => (a === 0 ? 0 : b / a);
  const rssRatio = ratio(first.rssMb, last.rssMb);
  const fdRatio = ratio(first.fds, last.fds);
  add(
    'RSS and open fds in the last minute within 10% of the first minute after warm-up',
    Math.abs(rssRatio - 1) <= 0.1 && Math.abs(fdRatio - 1) <= 0.1,
    `RSS ${first.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB (${pct(rssRatio)}), fds ${first.fds.toFixed(0)} → ${last.fds.toFixed(0)} (${pct(fdRatio)}), supervisor and workers together`,
  );
  // A closed connection waits 60 s in TIME_WAIT on Linux: the rate explains rate × 60 of them.
  const explained = f.checksPerSecond * 60;
  add(
    'no growth in TIME_WAIT beyond what the rate explains',
    last.timeWait <= Math.max(first.timeWait * 1.1, explained * 1.1),
    `${first.timeWait.toFixed(0)} → ${last.timeWait.toFixed(0)} sockets in TIME_WAIT on this run's ports; ${String(Math.round(f.checksPerSecond))} connections/s × 60 s explain about ${explained.toFixed(0)}`,
  );
  return verdicts;
}

function describe(answers: readonly Answer[]): string {
  if (answers.length === 0) return '';
  const counts = new Map<string, number>();
  for (const a of answers) {
    const key = `${a.kind} ${a.status === 0 ? (a.error ?? 'error') : String(a.status)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return ` (${[...counts].map(([k, n]) => `${k} ×${String(n)}`).join(', ')})`;
}

/** When they happened: seconds into the run, in 5 s buckets. */
function secondsOf(answers: readonly Answer[], all: readonly Answer[]): string {
  if (answers.length === 0) return '';
  const start = all.reduce((min, a) => Math.min(min, a.start), Infinity);
  const buckets = new Map<number, number>();
  for (const a of answers) {
    const at = Math.floor((a.start - start) / 5000) * 5;
    buckets.set(at, (buckets.get(at) ?? 0) + 1);
  }
  return `; at ${[...buckets].map(([at, n]) => `${String(at)} s ×${String(n)}`).join(', ')}`;
}

function problems(flows: readonly LinkFlow[]): string {
  const counts = new Map<string, number>();
  for (const x of flows)
    counts.set(x.problem ?? 'unfinished', (counts.get(x.problem ?? 'unfinished') ?? 0) + 1);
  return counts.size === 0 ? '' : ` (${[...counts].map(([k, n]) => `${k} ×${String(n)}`).join(', ')})`;
}

function pct(ratio: number): string {
  const d = (ratio - 1) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`;
}
