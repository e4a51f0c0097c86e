import { afterEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/tokens/hash-secret.js';
import { MINUTE } from './arrange.js';
import { cliWorkspace, OPERATOR, type CliWorkspace } from './cli-workspace.js';

const ANN = 'ann@example.org';

/** The link printed on the last line, and its token. */
function printed(out: string[]): { url: URL; secret: string } {
  const url = new URL(out[out.length - 1] ?? '');
  return { url, secret: url.searchParams.get('knock') ?? '' };
}

async function granted(ws: CliWorkspace, ...rule: string[]): Promise<void> {
  await ws.init();
  expect((await ws.run('privilege', '-d', 'site.example', ...rule)).code).toBe(0);
}

describe('forgetpw mint', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it('prints a single-use link to the page, with its expiry', async () => {
    ws = cliWorkspace();
    await granted(ws, 'example.org');
    const result = await ws.run('mint', 'Ann@Example.org', 'https://Site.Example/wiki/page?x=1');
    expect(result.code, result.err.join('\n')).toBe(0);
    expect(result.out[0]).toMatch(
      /^Login link for ann@example\.org on site\.example, single use, valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ:$/,
    );
    const { url, secret } = printed(result.out);
    // It opens the login target, which sends the person on to the page (issue 10).
    expect(url.origin + url.pathname).toBe('https://site.example/email-link');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const link = await ws.withStore((store) => store.tokens.get(hashSecret(secret)));
    expect(link?.forward).toBe('https://site.example/wiki/page?x=1');
  });

  it('stores only the hash: a link bound to the site, with no requesting browser', async () => {
    ws = cliWorkspace();
    await granted(ws, 'example.org');
    const before = Date.now();
    const { secret } = printed((await ws.run('mint', ANN, 'http://site.example/a?knock=old')).out);
    await ws.withStore(async (store) => {
      const user = await store.users.byEmail(ANN);
      const link = await store.tokens.get(hashSecret(secret));
      expect(link).toMatchObject({
        kind: 'link',
        userId: user?.id,
        site: 'site.example',
        forward: 'http://site.example/a',
        pendingHash: null,
        usedAt: null,
      });
      expect(link!.expiresAt - link!.createdAt).toBe(10 * MINUTE);
      expect(link!.createdAt).toBeGreaterThanOrEqual(before);
      expect(JSON.stringify(await store.knex('tokens').select('*'))).not.toContain(secret);
    });
  });

  it('records the mint in the audit trail, without the token', async () => {
    ws = cliWorkspace();
    await granted(ws, 'example.org');
    const { secret } = printed((await ws.run('mint', ANN, 'https://site.example/')).out);
    const all = await ws.withStore((store) => store.audit.list({ limit: 5 }));
    const events = all.filter((e) => !e.event.startsWith('access-'));
    expect(events).toMatchObject([
      {
        event: 'link-minted',
        site: 'site.example',
        address: ANN,
        detail: expect.stringContaining(`by ${OPERATOR}`),
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('takes the lifetime from --expiry and prints JSON', async () => {
    ws = cliWorkspace();
    await granted(ws, 'example.org');
    const minted = await ws.json<{ address: string; site: string; url: string; expires: string }>(
      'mint',
      '--expiry',
      'P1D',
      '--json',
      ANN,
      'https://site.example/',
    );
    expect(minted).toMatchObject({ address: ANN, site: 'site.example' });
    const link = await ws.withStore((store) =>
      store.tokens.get(hashSecret(new URL(minted.url).searchParams.get('knock')!)),
    );
    expect(link!.expiresAt - link!.createdAt).toBe(24 * 60 * MINUTE);
    expect(Date.parse(minted.expires)).toBe(link!.expiresAt);
  });

  it('uses the configured query key', async () => {
    ws = cliWorkspace();
    await ws.init('sqlite://forgetpw.db', '--query-key', 'token');
    await ws.run('privilege', 'example.org');
    const { url } = printed((await ws.run('mint', ANN, 'https://site.example/')).out);
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.has('knock')).toBe(false);
  });

  it('refuses an address the access list does not permit there, and writes nothing (exit 2)', async () => {
    ws = cliWorkspace();
    await granted(ws, 'example.org');
    await ws.run('privilege', '-d', 'site.example', '-r', 'boss@example.org');
    for (const [address, url] of [
      ['eve@elsewhere.test', 'https://site.example/'],
      [ANN, 'https://other.example/'],
      ['boss@example.org', 'https://site.example/'],
    ] as const) {
      const result = await ws.run('mint', address, url);
      expect(result.code).toBe(2);
      expect(result.err[0]).toMatch(/^error: the access list does not permit .* nothing was issued$/);
      expect(result.err.join('\n')).toContain('forgetpw privilege -d');
    }
    await ws.withStore(async (store) => {
      expect(await store.users.list()).toEqual([]);
      expect(await store.knex('tokens').count({ n: '*' })).toEqual([{ n: 0 }]);
      const events = await store.audit.list({ limit: 5 });
      expect(events.filter((e) => !e.event.startsWith('access-'))).toEqual([]);
    });
  });

  it('issues it anyway with --force, and warns that it fails until access is granted', async () => {
    ws = cliWorkspace();
    await ws.init();
    const result = await ws.run('mint', '--force', ANN, 'https://site.example/');
    expect(result.code).toBe(0);
    expect(result.err).toEqual([
      `warning: ${ANN} is not permitted on site.example; the link fails until access is granted`,
    ]);
    expect(printed(result.out).secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a disabled user even with --force (exit 2)', async () => {
    ws = cliWorkspace();
    await granted(ws, 'example.org');
    await ws.withStore((store) => store.users.findOrCreate(ANN, Date.now()));
    await ws.run('disable', ANN);
    const result = await ws.run('mint', '--force', ANN, 'https://site.example/');
    expect(result.code).toBe(2);
    expect(result.err[0]).toBe(`error: ${ANN} is disabled; \`forgetpw enable ${ANN}\` first`);
  });

  it.each([
    [['not-an-address', 'https://site.example/'], /not an e-mail address/],
    [['a@example.org, b@example.org', 'https://site.example/'], /not an e-mail address/],
    [[ANN, 'site.example/page'], /not a URL/],
    [[ANN, 'ftp://site.example/'], /not an http\(s\) URL/],
    [[ANN, 'https://user:pw@site.example/'], /user name or password/],
    [[ANN, 'http://1.2.3.4.5/'], /not a URL|no usable host/],
    [[ANN, 'https://site.example/', '--expiry', 'soon'], /--expiry/],
    [[ANN, 'https://site.example/', '--expiry', 'PT0S'], /--expiry/],
  ])('refuses %j before writing anything (exit 2)', async (args, message) => {
    ws = cliWorkspace();
    await granted(ws, 'example.org');
    const result = await ws.run('mint', ...args);
    expect(result.code).toBe(2);
    expect(result.err[0]).toMatch(message);
    expect(result.out).toEqual([]);
    expect(await ws.withStore((store) => store.users.list())).toEqual([]);
  });
});
