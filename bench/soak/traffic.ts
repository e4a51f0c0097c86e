/**
 * The soak's traffic (issue 18): an open-loop mix at a fixed rate, sent whatever the daemon
 * answers. About 90% checks with a live session cookie, 8% anonymous requests (the login
 * page), 2% flows: a link asked for and opened in the same browser, one confirmed from
 * another browser, or a logout. Links are taken out of the real mail. A small share of the
 * cookie checks replays sessions that were logged out or whose person was disabled, for the
 * stale-answer check.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Mailbox } from './mailbox.js';
import { formField, setCookie, type Kind, type Reply, type SoakHttp } from './soak-http.js';

export interface LinkFlow {
  readonly address: string;
  readonly via: 'open' | 'confirm';
  /** When the link request that counted was sent and answered. */
  requestStart: number;
  requestEnd: number;
  outcome: 'sent' | 'failed' | 'refused' | 'gave-up';
  /** Mails that arrived for it (exactly one when sent, unless an attempt went unanswered). */
  mails: number;
  /**
   * Link-request attempts that got no answer at all (the client gave up after 15 s): the daemon
   * may still have sent their mail, so each may leave one more mail and one usable link.
   */
  unanswered: number;
  /** The session it ended with, when the link worked. */
  session?: string;
  problem?: string | undefined;
}

export interface Logout {
  readonly cookie: string;
  /** When the 303 came back; undefined if it never did. */
  at?: number;
}

export interface Traffic {
  readonly flows: LinkFlow[];
  readonly logouts: Logout[];
  /** Session cookies no longer valid, with the time they stopped being so. */
  readonly dead: Map<string, number>;
  /** Takes `count` seeded sessions out of the live pool (to disable their people). */
  takeSeeded(count: number): Array<{ cookie: string; address: string }>;
  /** Marks sessions dead from `at` on: the stale check replays them. */
  markDead(cookies: readonly string[], at: number): void;
  /** Runs until `endAt`, then waits (up to `drainMs`) for flows in progress. */
  run(endAt: number, drainMs: number): Promise<void>;
  /** Flows not given up on that were still in progress when the run ended. */
  unfinished(): number;
}

export interface TrafficOptions {
  readonly http: SoakHttp;
  readonly mailbox: Mailbox;
  /** `http://site.example:PORT` */
  readonly origin: string;
  readonly rate: number;
  /** Seeded sessions: cookie and address by index. */
  readonly seeded: ReadonlyArray<{ cookie: string; address: string }>;
  /** Addresses the flows ask links for (listed through the domain row). */
  readonly addresses: readonly string[];
}

const PAGE = '/page.html';
/** How long a flow keeps retrying a step that got a 5xx or no answer (a fault in progress). */
const RETRY_FOR_MS = 90_000;
/** A link-request address that got email_failed rests this long, so a late mail could not be mistaken. */
const QUARANTINE_MS = 60_000;

export function soakTraffic(o: TrafficOptions): Traffic {
  const { http } = o;
  const live: string[] = o.seeded.map((s) => s.cookie);
  const seededLeft = [...o.seeded];
  const dead = new Map<string, number>();
  const deadList: string[] = [];
  const free = [...o.addresses];
  const flows: LinkFlow[] = [];
  const logouts: Logout[] = [];
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(Math.random() * list.length)];
  const takeLive = (cookie: string): boolean => {
    const at = live.indexOf(cookie);
    if (at < 0) return false;
    live[at] = live[live.length - 1]!;
    live.pop();
    return true;
  };
  const check = (kind: Kind, cookie?: string): Promise<Reply> =>
    http.send(
      kind,
      { path: PAGE, ...(cookie === undefined ? {} : { headers: { cookie: `forgetpw=${cookie}` } }) },
      cookie,
    );

  /** Repeats a step while it gets a 5xx or no answer (a fault), for RETRY_FOR_MS at most. */
  const retrying = async (step: () => Promise<Reply>): Promise<Reply | undefined> => {
    for (const end = Date.now() + RETRY_FOR_MS; Date.now() < end;) {
      const reply = await step();
      if (reply.status !== 0 && reply.status < 500) return reply;
      if (reply.status === 500 && reply.body.includes('The Mail Was Not Sent')) return reply;
      await sleep(1000);
    }
    return undefined;
  };

  const login = async (via: 'open' | 'confirm'): Promise<void> => {
    const address = free.shift();
    if (address === undefined) return;
    const flow: LinkFlow = {
      address,
      via,
      requestStart: 0,
      requestEnd: 0,
      outcome: 'gave-up',
      mails: 0,
      unanswered: 0,
    };
    flows.push(flow);
    let release = 0;
    try {
      const asked = await retrying(async () => {
        flow.requestStart = Date.now();
        const reply = await http.send('link-request', {
          method: 'POST',
          path: '/email-link',
          form: { email: address, forward: `${o.origin}${PAGE}` },
        });
        if (reply.status === 0) flow.unanswered++;
        return reply;
      });
      flow.requestEnd = Date.now();
      if (asked === undefined) return;
      if (asked.status === 500) {
        flow.outcome = 'failed';
        release = QUARANTINE_MS;
        return;
      }
      // POST-redirect-GET (issue 15): a sent link is a 303 to the sent page, which the browser
      // then loads with its pending cookie; that page is what says email_sent.
      const pending = setCookie(asked, 'forgetpw_link');
      const location = asked.headers['location'];
      const shown =
        asked.status === 303 && typeof location === 'string' && pending !== undefined
          ? await retrying(() =>
              http.send('link-request', {
                path: new URL(location, o.origin).pathname + new URL(location, o.origin).search,
                headers: { cookie: `forgetpw_link=${pending}` },
              }),
            )
          : asked;
      if (shown?.status !== 200 || !shown.body.includes('Check Your E-Mail')) {
        flow.outcome = 'refused';
        flow.problem = `link request answered ${String(asked.status)}, then ${String(shown?.status ?? 'no answer')}`;
        return;
      }
      flow.outcome = 'sent';
      // A mail of an unanswered attempt comes first; its link asks this browser to confirm
      // (the pending cookie is another's), so the next mail is tried.
      for (;;) {
        const mail = await o.mailbox.claim(address, flow.mails === 0 ? 20_000 : 5_000);
        if (mail === undefined) {
          flow.problem ??= 'no mail';
          return;
        }
        flow.mails++;
        const link = /https?:\/\/[^\s<>"]+knock=[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
        if (link === undefined) {
          flow.problem = 'no link in the mail';
          return;
        }
        const url = new URL(link);
        const session = via === 'open' ? await openHere(url, pending) : await confirmElsewhere(url);
        if (typeof session === 'string') {
          flow.session = session;
          flow.problem = undefined;
          live.push(session);
          return;
        }
        flow.problem = session.problem;
        if (flow.mails > flow.unanswered) return;
      }
    } finally {
      if (release === 0) free.push(address);
      else setTimeout(() => free.push(address), release).unref();
    }
  };

  /** The same browser opens the link: 303 with the session cookie. */
  const openHere = async (url: URL, pending: string | undefined): Promise<string | { problem: string }> => {
    const opened = await retrying(() =>
      http.send('open', {
        path: url.pathname + url.search,
        headers: pending === undefined ? {} : { cookie: `forgetpw_link=${pending}` },
      }),
    );
    const session = opened === undefined ? undefined : setCookie(opened, 'forgetpw');
    if (opened?.status !== 303 || session === undefined)
      return { problem: `link opened: ${String(opened?.status ?? 'no answer')}` };
    return session;
  };

  /** Another browser: the confirm page, then its button. */
  const confirmElsewhere = async (url: URL): Promise<string | { problem: string }> => {
    const page = await retrying(() => http.send('open', { path: url.pathname + url.search }));
    const knock = page === undefined ? undefined : formField(page.body, 'knock');
    const forward = page === undefined ? undefined : formField(page.body, 'forward');
    if (page?.status !== 401 || knock === undefined || forward === undefined)
      return { problem: `confirm page: ${String(page?.status ?? 'no answer')}` };
    const confirmed = await retrying(() =>
      http.send('confirm', { method: 'POST', path: '/email-link', form: { knock, forward } }),
    );
    const session = confirmed === undefined ? undefined : setCookie(confirmed, 'forgetpw');
    if (confirmed?.status !== 303 || session === undefined)
      return { problem: `confirmed: ${String(confirmed?.status ?? 'no answer')}` };
    return session;
  };

  const logout = async (): Promise<void> => {
    const cookie = pick(live);
    if (cookie === undefined || !takeLive(cookie)) return;
    const entry: Logout = { cookie };
    logouts.push(entry);
    const out = await retrying(() =>
      http.send('logout', {
        method: 'POST',
        path: '/logout',
        headers: { cookie: `forgetpw=${cookie}` },
        form: {},
      }),
    );
    if (out?.status === 303) {
      entry.at = Date.now();
      dead.set(cookie, entry.at);
      deadList.push(cookie);
    }
  };

  const one = (): Promise<unknown> => {
    const r = Math.random();
    if (r < 0.9) {
      const stale = deadList.length > 0 && Math.random() < 0.02 ? pick(deadList) : undefined;
      if (stale !== undefined) return check('dead-cookie', stale);
      const cookie = pick(live);
      return cookie === undefined ? check('anonymous') : check('cookie', cookie);
    }
    if (r < 0.98) return check('anonymous');
    const f = Math.random();
    return f < 0.4 ? login('open') : f < 0.7 ? login('confirm') : logout();
  };

  const track = (work: Promise<unknown>): void => {
    const p = work.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  };

  return {
    flows,
    logouts,
    dead,
    takeSeeded(count) {
      const taken: Array<{ cookie: string; address: string }> = [];
      while (taken.length < count && seededLeft.length > 0) {
        const s = seededLeft.pop()!;
        if (takeLive(s.cookie)) taken.push(s);
      }
      return taken;
    },
    markDead(cookies, at) {
      for (const cookie of cookies) {
        dead.set(cookie, at);
        deadList.push(cookie);
      }
    },
    async run(endAt, drainMs) {
      const begin = Date.now();
      let sent = 0;
      while (!stopping && Date.now() < endAt) {
        const due = Math.floor(((Date.now() - begin) / 1000) * o.rate);
        for (; sent < due; sent++) track(one());
        await sleep(5);
      }
      stopping = true;
      await Promise.race([Promise.all([...inFlight]), sleep(drainMs)]);
    },
    unfinished: () =>
      flows.filter((f) => f.outcome === 'sent' && f.session === undefined && f.problem === undefined).length,
  };
}
