/**
 * The admin verbs against a running daemon on the same database: what the CLI
 * does is what the next request sees (session cache off, cache.ttl 0).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/tokens/hash-secret.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshPostgres, freshSqlite } from '../support/databases.js';
import { gateClient, type GateAnswer, type GateClient } from '../support/gate-client.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

const ANN = 'ann@example.org';
const SITE = 'site.example';
const ORIGIN = `http://${SITE}`;

/** The value of a hidden form field, unescaped. */
function field(page: GateAnswer, name: string): string | undefined {
  const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(page.body)?.[1];
  return value
    ?.replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe.each([
  {
    name: 'SQLite',
    database: () => {
      const db = freshSqlite();
      return Promise.resolve({ dsn: db.dsn, cleanup: () => Promise.resolve(db.cleanup()) });
    },
  },
  { name: 'PostgreSQL', database: () => freshPostgres() },
])('the admin CLI with a daemon on $name', ({ database }) => {
  let ws: CliWorkspace;
  let db: { dsn: string; cleanup(): Promise<void> };
  let sink: SmtpSink;
  let daemon: TestDaemon;
  let gate: GateClient;

  beforeEach(async () => {
    ws = cliWorkspace();
    db = await database();
    sink = await startSmtpSink();
    await ws.init(db.dsn);
    expect((await ws.run('privilege', '-d', SITE, 'example.org')).code).toBe(0);
    daemon = await startTestDaemon({ dsn: db.dsn, smtpPort: sink.port, settings: { cache: { ttl: 0 } } });
    gate = gateClient(daemon.port);
  });

  afterEach(async () => {
    await daemon.close();
    await sink.close();
    await db.cleanup();
    ws.cleanup();
  });

  /** `forgetpw mint`, then the link opened in a browser that never asked for it, then confirmed. */
  async function loginWithMintedLink(): Promise<string> {
    const minted = await ws.run('mint', ANN, `${ORIGIN}/wiki/page.html?x=1`);
    expect(minted.code, minted.err.join('\n')).toBe(0);
    const link = new URL(minted.out[minted.out.length - 1] ?? '');
    const opened = await gate.authorize(link.pathname + link.search, { host: SITE });
    expect(opened.status).toBe(401);
    expect(opened.body).toContain('Log in to site.example');
    expect(opened.body).not.toContain('different browser');
    expect(field(opened, 'knock')).toBe(link.searchParams.get('knock'));
    const confirmed = await gate.post(
      '/email-link',
      { knock: field(opened, 'knock')!, forward: field(opened, 'forward')! },
      { host: SITE, origin: ORIGIN },
    );
    expect(confirmed.status, confirmed.body).toBe(303);
    expect(confirmed.header('Location')).toBe(`${ORIGIN}/wiki/page.html?x=1`);
    const session = confirmed.cookie('forgetpw');
    expect(session).toBeDefined();
    return session!;
  }

  it('a minted link opens the confirmation page, and its POST logs in once', async () => {
    const session = await loginWithMintedLink();
    const page = await gate.authorize('/wiki/page.html', { host: SITE, cookie: `forgetpw=${session}` });
    expect(page.status).toBe(200);
    expect(page.header('Variable-FCGI_USER')).toBe(ANN);
  });

  it('lists the session the daemon made, and the login in the audit trail', async () => {
    const session = await loginWithMintedLink();
    const listed = await ws.json<Array<{ id: string; kind: string; site: string }>>(
      'sessions',
      ANN,
      '--json',
    );
    expect(listed).toEqual([
      expect.objectContaining({ id: hashSecret(session).slice(0, 8), kind: 'session', site: SITE }),
    ]);
    const audit = await ws.json<Array<{ event: string; ip: string | null }>>(
      'audit',
      '--address',
      ANN,
      '--json',
    );
    expect(audit.map((e) => e.event)).toEqual(['login', 'link-minted']);
    expect(audit[0]?.ip).toBe('192.0.2.10');
    const users = await ws.json<Array<{ address: string; lastSeen: string | null }>>('users', '--json');
    expect(users).toEqual([expect.objectContaining({ address: ANN, lastSeen: expect.any(String) })]);
  });

  it('logout ends the session on the next request', async () => {
    const session = await loginWithMintedLink();
    expect((await ws.run('logout', ANN)).out).toEqual([`ended 1 session(s) and link(s) of ${ANN}`]);
    const page = await gate.authorize('/wiki/page.html', { host: SITE, cookie: `forgetpw=${session}` });
    expect(page.status).toBe(401);
    expect(page.header('Variable-FCGI_USER')).toBeUndefined();
    expect((await ws.run('sessions', ANN)).out).toEqual([`No live sessions of ${ANN}.`]);
  });

  it('disable shuts the user out at once, and no new link is sent', async () => {
    const session = await loginWithMintedLink();
    expect((await ws.run('disable', ANN)).code).toBe(0);
    const page = await gate.authorize('/wiki/page.html', { host: SITE, cookie: `forgetpw=${session}` });
    expect(page.status).toBe(401);
    const asked = await gate.post(
      '/email-link',
      { email: ANN, forward: `${ORIGIN}/` },
      { host: SITE, origin: ORIGIN },
    );
    expect(asked.status).toBe(403);
    expect(sink.messages).toEqual([]);
  });

  it('a link minted before the user was disabled no longer logs in', async () => {
    const minted = await ws.run('mint', ANN, `${ORIGIN}/`);
    const link = new URL(minted.out[minted.out.length - 1] ?? '');
    await ws.run('disable', ANN);
    const confirmed = await gate.post(
      '/email-link',
      { knock: link.searchParams.get('knock')!, forward: `${ORIGIN}/` },
      { host: SITE, origin: ORIGIN },
    );
    expect(confirmed.status).not.toBe(303);
    expect(confirmed.cookie('forgetpw')).toBeUndefined();
  });

  it('a minted link works on its own site only', async () => {
    const minted = await ws.run('mint', ANN, `${ORIGIN}/`);
    const link = new URL(minted.out[minted.out.length - 1] ?? '');
    // other.example is no site of this gate: refused before the link is even looked up.
    const elsewhere = await gate.authorize(link.pathname + link.search, { host: 'other.example' });
    expect(elsewhere.status).toBe(421);
    expect(elsewhere.header('Variable-FCGI_USER')).toBeUndefined();
  });
});
