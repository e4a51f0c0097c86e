import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { migrateLatest } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open-store.js';
import { http, startApache, type HttpResult, type TestApache } from '../support/apache.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { freshMariadb, freshPostgres, ifMariadb } from '../support/databases.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const SITE = 'site.example';
/** Both daemons: sessions cached at most 1 s, two link requests per address per window. */
const SETTINGS = {
  cache: { ttl: 1 },
  limits: { email_per_address: 2, email_per_ip: 1000, bad_tokens_per_ip: 1000 },
};

interface Node {
  readonly daemon: TestDaemon;
  readonly apache: TestApache;
}

/** One browser's view of one of the two front ends. */
function frontEnd(node: Node) {
  const authority = `${SITE}:${node.apache.port}`;
  const base = `http://${authority}`;
  return {
    url: (path: string): string => `${base}${path}`,
    get: (path: string, headers: Record<string, string> = {}): Promise<HttpResult> =>
      http(`${base}${path}`, { host: authority, headers }),
    post: (
      path: string,
      form: Record<string, string>,
      headers: Record<string, string> = {},
    ): Promise<HttpResult> =>
      http(`${base}${path}`, {
        host: authority,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, ...headers },
        body: new URLSearchParams(form).toString(),
      }),
  };
}

function cookie(res: HttpResult, name: string): string | undefined {
  for (const line of res.headers['set-cookie'] ?? []) {
    const m = new RegExp(`^${name}=([^;]+)`).exec(line);
    if (m !== null) return m[1];
  }
  return undefined;
}

interface SharedDatabase {
  readonly dsn: string;
  cleanup(): Promise<void>;
}

const databases: Array<{ name: string; fresh: () => Promise<SharedDatabase> }> = [
  { name: 'PostgreSQL', fresh: freshPostgres },
  ...ifMariadb('two daemons', { name: 'MariaDB', fresh: freshMariadb }),
];

describe.each(databases)('two daemons behind two Apaches on one $name database', ({ fresh }) => {
  let db: SharedDatabase;
  let sink: SmtpSink;
  let a: Node;
  let b: Node;
  let applied: string[][];

  beforeAll(async () => {
    db = await fresh();
    sink = await startSmtpSink();
    // Both start together on the fresh database: each runs the migrations.
    const stores = await Promise.all([1, 2].map(() => openStore({ dsn: db.dsn }, { baseDir: '/' })));
    try {
      applied = await Promise.all(stores.map((store) => migrateLatest(store.knex)));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
    const daemons = await Promise.all(
      [1, 2].map(() => startTestDaemon({ dsn: db.dsn, smtpPort: sink.port, settings: SETTINGS })),
    );
    await daemons[0]!.daemon.store.acl.put(
      [{ domain: SITE, address: 'example.org', allow: true }],
      Date.now(),
    );
    const apaches = await Promise.all(daemons.map((daemon) => startApache({ fcgiPort: daemon.port })));
    a = { daemon: daemons[0]!, apache: apaches[0]! };
    b = { daemon: daemons[1]!, apache: apaches[1]! };
  });

  afterAll(async () => {
    await Promise.all([a?.apache.stop(), b?.apache.stop()]);
    await Promise.all([a?.daemon.close(), b?.daemon.close()]);
    await sink?.close();
    await db?.cleanup();
  });

  /** Asks for a link through `node`; returns the mailed link and this browser's pending cookie. */
  async function requestLink(node: Node, address: string): Promise<{ link: URL; pending: string }> {
    const site = frontEnd(node);
    const sent = await site.post('/email-link', { email: address, forward: site.url('/cgi/whoami.cgi') });
    expect(sent.status, sent.body).toBe(303);
    const mail = await sink.next(address);
    const href = /https?:\/\/[^\s<>"]+knock=[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
    return { link: new URL(href ?? ''), pending: cookie(sent, 'forgetpw_link') ?? '' };
  }

  /** Logs `address` in through `node` in one browser; returns the session cookie. */
  async function login(node: Node, address: string): Promise<string> {
    const { link, pending } = await requestLink(node, address);
    const opened = await frontEnd(node).get(link.pathname + link.search, {
      cookie: `forgetpw_link=${pending}`,
    });
    expect(opened.status).toBe(303);
    return cookie(opened, 'forgetpw') ?? '';
  }

  it('ran the migrations once when both daemons started together', async () => {
    const names = migrations.map((m) => m.name);
    expect(applied).toContainEqual(names);
    expect(applied).toContainEqual([]);
    const rows: Array<{ name: string }> = await a.daemon.daemon.store
      .knex('forgetpw_migrations')
      .select('name');
    expect(rows.map((row) => row.name).sort()).toEqual([...names].sort());
  });

  it('redeems through B a link requested through A', async () => {
    const { link, pending } = await requestLink(a, 'alice@example.org');
    expect(link.port).toBe(String(a.apache.port));
    const opened = await frontEnd(b).get(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(opened.status).toBe(303);
    // On to the page the link was asked for (through A), without the token.
    expect(new URL(opened.headers.location ?? '').pathname).toBe('/cgi/whoami.cgi');
    expect(opened.headers.location).not.toContain('knock');
    const session = cookie(opened, 'forgetpw');
    const content = await frontEnd(b).get('/cgi/whoami.cgi', { cookie: `forgetpw=${session}` });
    expect(content.body).toContain('REMOTE_USER=alice@example.org');
    // Used once, through B: A refuses it too.
    const again = await frontEnd(a).get(link.pathname + link.search, { cookie: `forgetpw_link=${pending}` });
    expect(again.status).toBe(401);
  });

  it('lets a session made through A in through B', async () => {
    const session = await login(a, 'bob@example.org');
    const content = await frontEnd(b).get('/cgi/whoami.cgi', { cookie: `forgetpw=${session}` });
    expect(content.status).toBe(200);
    expect(content.body).toContain('REMOTE_USER=bob@example.org');
  });

  it('ends on A, within the cache bound, a session logged out through B', async () => {
    const session = await login(a, 'carol@example.org');
    const onA = () => frontEnd(a).get('/cgi/whoami.cgi', { cookie: `forgetpw=${session}` });
    expect((await onA()).status).toBe(200);
    const out = await frontEnd(b).post('/logout', {}, { cookie: `forgetpw=${session}` });
    expect(out.status).toBe(303);
    expect((await frontEnd(b).get('/cgi/whoami.cgi', { cookie: `forgetpw=${session}` })).status).toBe(401);

    // cache.ttl is 1 s: A may still let it in for that long, never longer (plus slack).
    const loggedOut = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - loggedOut < 2000) {
      status = (await onA()).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(401);
  });

  it('counts rate limits across both daemons', async () => {
    const address = 'dave@example.org';
    await requestLink(a, address);
    await requestLink(a, address);
    const site = frontEnd(b);
    const third = await site.post('/email-link', { email: address, forward: site.url('/cgi/whoami.cgi') });
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
  });
});
