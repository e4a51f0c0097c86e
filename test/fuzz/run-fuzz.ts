import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestDaemon } from '../support/daemon.js';
import { fcgiRequest } from '../support/fcgi-client.js';
import { gateClient } from '../support/gate-client.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { checkAfterwards } from './check-afterwards.js';
import { fcgiCase } from './fcgi-case.js';
import { hostileValues, isPlainRecipient } from './hostile-values.js';
import { httpCase } from './http-case.js';
import { listenerCase } from './listener-case.js';
import { ownerSession } from './owner-session.js';
import { Prng } from './prng.js';
import { sendListenerCase } from './send-listener-case.js';
import { sendRawCase } from './send-raw-case.js';
import { freePort } from '../support/free-port.js';

export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  /** Connections open at once. */
  readonly concurrency?: number;
  /** Replay these case indices only (from a report's `findings`). */
  readonly only?: readonly number[];
  readonly progress?: (done: number) => void;
}

export interface FuzzReport {
  readonly seed: number;
  readonly cases: number;
  readonly rawCases: number;
  readonly httpCases: number;
  /** Requests, well formed or not, to the HTTP forward-auth listener. */
  readonly listenerCases: number;
  /** Mails the daemon sent, each checked to go to the one owner, spelt plainly. */
  readonly mails: number;
  /** HTTP-level cases by answer status. */
  readonly statuses: Readonly<Record<number, number>>;
  /** Cases that broke a rule, `#index: what`; replay one with `only`. */
  readonly findings: readonly string[];
  /** Error-level events in the daemon's log: faults, as opposed to refusals of bad input. */
  readonly faultEvents: Readonly<Record<string, number>>;
  /** Heap growth from after the warm-up to the end, both after a full GC. */
  readonly heapGrowthBytes: number;
  /** What well-formed requests after the storm got wrong; empty when nothing. */
  readonly afterwards: readonly string[];
  readonly ms: number;
}

const OWNER = 'owner-of-the-fuzzed-site@example.org';
const SITE = 'site.example';
const CLOSE_TIMEOUT_MS = 10_000;

/** A full GC (the flag can be set at run time), so heap figures count live objects only. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return () => {
    gc?.();
    gc?.();
  };
}

/** Counts error-level log events without keeping lines (a run logs a warning per bad stream). */
function faultCounter(): { stream: Writable; events: Record<string, number> } {
  const events: Record<string, number> = {};
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        const level = /"level":(\d+)/.exec(line)?.[1];
        if (level === undefined || Number(level) < 50) continue;
        const event = /"event":"([^"]+)"/.exec(line)?.[1] ?? 'unnamed';
        events[event] = (events[event] ?? 0) + 1;
      }
      done();
    },
  });
  return { stream, events };
}

/**
 * Sends `count` random or mutated FastCGI streams and junk-filled HTTP requests to
 * the real daemon (SQLite, mail to a sink), then checks that well-formed requests
 * still get the right answers and that the heap did not grow with the count.
 * Case `i` depends on (seed, i) only, so a finding replays alone.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const gc = collector();
  const dir = await mkdtemp(path.join(tmpdir(), 'forgetpw-fuzz-'));
  const sink = await startSmtpSink();
  const log = faultCounter();
  const daemon = await startTestDaemon({
    dsn: `sqlite://${path.join(dir, 'fuzz.db')}`,
    smtpPort: sink.port,
    settings: {
      limits: { email_per_address: 0, email_per_address_total: 0, email_per_ip: 0, bad_tokens_per_ip: 0 },
      http: { listen: `127.0.0.1:${await freePort()}` },
    },
    logLevel: 'warn',
    logStream: log.stream,
  });
  const gate = gateClient(daemon.port);
  const statuses: Record<number, number> = {};
  const findings: string[] = [];
  let rawCases = 0;
  let httpCases = 0;
  let listenerCases = 0;
  const hostile = hostileValues(SITE, OWNER);
  const listenerPort = daemon.daemon.http?.port ?? 0;

  const runCase = async (index: number): Promise<void> => {
    const prng = Prng.forCase(options.seed, index);
    if (prng.chance(0.3)) {
      listenerCases++;
      const c = listenerCase(prng, { site: SITE, owner: OWNER, ...hostile });
      const problem = await sendListenerCase(listenerPort, c, CLOSE_TIMEOUT_MS);
      if (problem !== undefined) findings.push(`#${index}: http listener ${problem}`);
      return;
    }
    if (prng.chance(0.45)) {
      rawCases++;
      const problem = await sendRawCase(daemon.port, fcgiCase(prng), CLOSE_TIMEOUT_MS);
      if (problem !== undefined) findings.push(`#${index}: ${problem}`);
      return;
    }
    httpCases++;
    const c = httpCase(prng, hostile);
    const ask = () => fcgiRequest({ port: daemon.port, ...c, timeoutMs: CLOSE_TIMEOUT_MS });
    try {
      // One retry: a burst of raw multiplexed requests may meet the daemon's OVERLOADED
      // guard (FastCGI §5.5), which is protection, not a fault. A real fault repeats.
      const answer = await ask().catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return ask();
      });
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.status >= 500) findings.push(`#${index}: ${c.role} answered ${answer.status}`);
      if (c.role === 'authorizer' && answer.status === 200) findings.push(`#${index}: junk was let in`);
      else if (c.unknownSite && answer.status === 200) {
        findings.push(`#${index}: ${c.role} answered 200 for a host that is no site`);
      }
    } catch (error) {
      findings.push(
        `#${index}: ${c.role} got no answer (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  };

  const indices = options.only ?? Array.from({ length: options.count }, (_, i) => i);
  let next = 0;
  let done = 0;
  const runUntil = async (end: number): Promise<void> => {
    const worker = async (): Promise<void> => {
      while (next < end) {
        await runCase(indices[next++]!);
        if (++done % 1000 === 0) options.progress?.(done);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  };

  try {
    // The owner may log in on every site ('' row), so only the known-sites rule (issue 10) stands
    // between a host that is no site and a mailed link; SITE's own row makes it a site.
    await daemon.daemon.store.acl.put(
      [
        { domain: SITE, address: OWNER, allow: true },
        { domain: '', address: OWNER, allow: true },
      ],
      Date.now(),
    );
    const session = await ownerSession(gate, sink, OWNER, SITE);
    // The heap is measured from after a warm-up: caches, pools and JIT settle first.
    await runUntil(Math.min(indices.length, Math.max(300, Math.floor(indices.length / 10))));
    gc();
    const baseline = process.memoryUsage().heapUsed;
    await runUntil(indices.length);
    gc();
    const heapGrowthBytes = process.memoryUsage().heapUsed - baseline;
    // Links are mailed in the background: let the last ones land before logging in afresh.
    for (let seen = -1; seen !== sink.messages.length;) {
      seen = sink.messages.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const afterwards = await checkAfterwards(gate, sink, { address: OWNER, site: SITE, session });
    // Every mail went to the one granted owner, spelt plainly: no route, tag or look-alike (issue 10).
    for (const message of sink.messages) {
      for (const to of message.to) {
        if (!isPlainRecipient(to, OWNER)) findings.push(`mailed ${JSON.stringify(to)}`);
      }
    }
    return {
      seed: options.seed,
      cases: rawCases + httpCases + listenerCases,
      rawCases,
      httpCases,
      listenerCases,
      mails: sink.messages.length,
      statuses,
      findings,
      faultEvents: log.events,
      heapGrowthBytes,
      afterwards,
      ms: Date.now() - started,
    };
  } finally {
    await daemon.close();
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  }
}
