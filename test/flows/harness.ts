import { expect } from 'vitest';
import { freshSqlite } from '../support/databases.js';
import { deepMerge, startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { gateClient, type GateClient } from '../support/gate-client.js';
import { startSmtpSink } from '../support/smtp-sink.js';

export const SITE = 'site.example';

/**
 * A one-time code as the mail shows it: two groups of four from the code alphabet, touching no
 * base64url character (a stretch of the link's token can look like a code).
 */
export const CODE = /(?<![A-Za-z0-9_-])[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}(?![A-Za-z0-9_-])/;

/** A settable clock, so expiry is tested without waiting. */
export class TestClock {
  constructor(public ms = Date.UTC(2026, 10, 22, 12, 0, 0)) {}
  now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface Gate {
  readonly gate: GateClient;
  readonly daemon: TestDaemon;
  readonly sink: Awaited<ReturnType<typeof startSmtpSink>>;
  readonly clock: TestClock;
  grant(address: string, site?: string, allow?: boolean): Promise<void>;
  /**
   * Asks for a link for `address` and returns it with the pending cookie of the asking browser,
   * the one-time code the mail carries (grouped, `K7QM-4XPD`) and the sent page's address.
   */
  requestLink(
    address: string,
    o?: { host?: string; forward?: string; scheme?: 'http' | 'https' },
  ): Promise<{ link: URL; pending: string; code: string; sentAt: string }>;
  /** Full login in one browser; returns the session secret. */
  login(address: string, o?: { host?: string }): Promise<string>;
  close(): Promise<void>;
}

/** The real daemon on a fresh SQLite database with an SMTP sink and a test clock. */
/**
 * Rate limits are off unless a test sets them: many tests ask for links in a row.
 * Links open the page itself (`knock.opens: page`), so these tests see the link's
 * authorizer answers; test/flows/link-target.test.ts covers the default, the login target.
 */
const NO_LIMITS = {
  limits: { email_per_address: 0, email_per_address_total: 0, email_per_ip: 0, bad_tokens_per_ip: 0 },
  knock: { opens: 'page' },
};

export async function startGate(settings: Record<string, unknown> = {}): Promise<Gate> {
  const db = freshSqlite();
  const sink = await startSmtpSink();
  const clock = new TestClock();
  const daemon = await startTestDaemon({
    dsn: db.dsn,
    smtpPort: sink.port,
    settings: deepMerge(NO_LIMITS, settings),
    clock,
  });
  const gate = gateClient(daemon.port);
  const self: Gate = {
    gate,
    daemon,
    sink,
    clock,
    grant: (address, site = SITE, allow = true) =>
      daemon.daemon.store.acl.put([{ domain: site, address, allow }], clock.now()),
    async requestLink(address, o = {}) {
      const host = o.host ?? SITE;
      const scheme = o.scheme ?? 'http';
      const sent = await gate.post(
        '/email-link',
        { email: address, forward: o.forward ?? `${scheme}://${host}/page.html` },
        { host, scheme, origin: `${scheme}://${host}` },
      );
      // POST-redirect-GET (issue 15): the sent page is a GET of its own.
      expect(sent.status, sent.body).toBe(303);
      expect(sent.header('Location')).toBe(`${scheme}://${host}/email-link?sent=1`);
      const mail = await sink.next(address);
      const m = /https?:\/\/[^\s<>"]+/.exec(mail.text.slice(mail.text.indexOf('knock=') - 200));
      const href = /href="([^"]+knock=[^"]+)"/.exec(mail.html)?.[1]?.replace(/&amp;/g, '&');
      const link = new URL(href ?? m?.[0] ?? '');
      const code = CODE.exec(mail.text)?.[0] ?? '';
      return { link, pending: sent.cookie('forgetpw_link')!, code, sentAt: sent.header('Location')! };
    },
    async login(address, o = {}) {
      const { link, pending } = await self.requestLink(address, o);
      const opened = await gate.authorize(link.pathname + link.search, {
        host: o.host ?? SITE,
        cookie: `forgetpw_link=${pending}`,
      });
      expect(opened.status, opened.body).toBe(200);
      return opened.cookie('forgetpw')!;
    },
    async close() {
      await daemon.close();
      await sink.close();
      db.cleanup();
    },
  };
  return self;
}
