import { describe, expect, it } from 'vitest';
import { authorizeNow } from '../../src/flows/authorize-now.js';
import { hashOf, request, SITE, withDaemons } from './two-daemons.js';

const withCookie = (secret: string) => ({ ...request(), headers: { cookie: `forgetpw=${secret}` } });
const basic = (user: string, secret: string) => ({
  ...request(),
  headers: { authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` },
});

describe('checks decided from the reads at hand (no promise)', () => {
  it('decides a check from memory once its session and access-list rows are cached, with no query', () =>
    withDaemons(async (d) => {
      expect(d.checkNow(d.secret)).toBeUndefined();
      expect((await d.check(d.secret)).kind).toBe('ok');
      const before = d.queries();
      const now = d.checkNow(d.secret);
      expect(now?.kind === 'ok' && now.user.email).toBe('ada@example.org');
      expect(d.queries()).toBe(before);
    }));

  it('leaves every refusal to the full check, which still gives it', () =>
    withDaemons(async (d) => {
      const other = await d.addSession();
      const third = await d.addSession();
      for (const secret of [d.secret, other, third]) await d.check(secret);
      await d.cached.tokens.revoke(hashOf(d.secret), d.clock.now());
      expect(d.checkNow(d.secret)).toBeUndefined();
      expect((await d.check(d.secret)).kind).toBe('expired');

      await d.cached.acl.put([{ domain: SITE, address: d.user.email, allow: false }], d.clock.now());
      await d.check(other);
      expect(d.checkNow(other)).toBeUndefined();
      expect((await d.check(other)).kind).toBe('no-user');

      await d.cached.acl.put([{ domain: SITE, address: d.user.email, allow: true }], d.clock.now());
      await d.cached.users.setDisabled(d.user.email, d.clock.now());
      await d.check(third);
      expect(d.checkNow(third)).toBeUndefined();
      expect((await d.check(third)).kind).toBe('no-user');

      const unknown = 'B'.repeat(43);
      expect((await d.check(unknown)).kind).toBe('not-found');
      expect(d.checkNow(unknown)).toBeUndefined();
      expect(d.checkNow('not a secret')).toBeUndefined();
    }));

  it('leaves a check whose slide is due to the full check, which writes it', () =>
    withDaemons(
      async (d) => {
        const secret = await d.addSession({ expiresInMs: d.config.state.expiry.cookie * 1000 });
        expect((await d.check(secret)).kind).toBe('ok');
        d.clock.advance(2);
        expect(d.checkNow(secret)).toBeUndefined();
        const updates = d.queries('update');
        const full = await d.check(secret);
        expect(full.kind === 'ok' && full.slid).toBe(true);
        expect(d.queries('update')).toBeGreaterThan(updates);
      },
      { slide: 'PT1S' },
    ));

  it('decides nothing past the cache ttl, nor when the cache is off', () =>
    withDaemons(async (d) => {
      await d.check(d.secret);
      d.clock.advance(5);
      expect(d.checkNow(d.secret)).toBeUndefined();
      expect(d.raw.atHand).toBeUndefined();
    }));

  it('lets a cached cookie or Basic token in, but never a Basic user naming somebody else', () =>
    withDaemons(async (d) => {
      expect(authorizeNow(d.deps, withCookie(d.secret))).toBeUndefined();
      await d.cached.acl.namesSite(SITE);
      await d.check(d.secret);
      expect(authorizeNow(d.deps, withCookie(d.secret))).toMatchObject({
        kind: 'allow',
        principal: 'ada@example.org',
        setCookies: [],
      });
      expect(authorizeNow(d.deps, basic('ada@example.org', d.secret))).toMatchObject({ kind: 'allow' });
      expect(authorizeNow(d.deps, basic('admin@example.org', d.secret))).toBeUndefined();
      // A session is a cookie's; a link in the query is the full flow's.
      expect(
        authorizeNow(d.deps, { ...withCookie(d.secret), query: `knock=${'A'.repeat(43)}` }),
      ).toBeUndefined();
      expect(authorizeNow(d.deps, { ...withCookie(d.secret), host: 'other.test' })).toBeUndefined();
    }));
});
