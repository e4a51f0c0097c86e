import { describe, expect, it, vi } from 'vitest';
import { createCachedStore } from '../../src/app/cached-store.js';
import type { Store } from '../../src/flows/store.js';
import { hashOf, SITE, TTL_SECONDS, withDaemons } from './two-daemons.js';

const HOUR = 3_600_000;

describe('createCachedStore', () => {
  it('answers a repeated session check from memory', () =>
    withDaemons(async (d) => {
      await d.check(d.secret);
      const before = d.queries();
      expect((await d.check(d.secret)).kind).toBe('ok');
      expect(d.queries()).toBe(before);
    }));

  it('sees a session revoked by another daemon within the ttl', () =>
    withDaemons(async (d) => {
      expect((await d.check(d.secret)).kind).toBe('ok');
      await d.elsewhere.tokens.revoke(hashOf(d.secret), d.clock.now());
      d.clock.advance(TTL_SECONDS - 1);
      // The documented bound: up to ttl seconds late, never later.
      expect((await d.check(d.secret)).kind).toBe('ok');
      d.clock.advance(1);
      expect((await d.check(d.secret)).kind).toBe('expired');
    }));

  it('ends a session logged out through the same store at once', () =>
    withDaemons(async (d) => {
      expect((await d.check(d.secret)).kind).toBe('ok');
      await d.cached.tokens.revoke(hashOf(d.secret), d.clock.now());
      expect((await d.check(d.secret)).kind).toBe('expired');
    }));

  it('ends every session of a user logged out everywhere through the same store at once', () =>
    withDaemons(async (d) => {
      const other = await d.addSession();
      expect((await d.check(d.secret)).kind).toBe('ok');
      expect((await d.check(other)).kind).toBe('ok');
      await d.cached.tokens.revokeUser(d.user.id, d.clock.now());
      expect((await d.check(d.secret)).kind).toBe('expired');
      expect((await d.check(other)).kind).toBe('expired');
    }));

  it('refuses a user disabled through the same store at once', () =>
    withDaemons(async (d) => {
      expect((await d.check(d.secret)).kind).toBe('ok');
      await d.cached.users.setDisabled(d.user.email, d.clock.now());
      expect((await d.check(d.secret)).kind).toBe('no-user');
    }));

  it('refuses an address blocked through the same store at once', () =>
    withDaemons(async (d) => {
      expect((await d.check(d.secret)).kind).toBe('ok');
      await d.cached.acl.put([{ domain: SITE, address: d.user.email, allow: false }], d.clock.now());
      expect((await d.check(d.secret)).kind).toBe('no-user');
    }));

  it('sees an address blocked by another daemon within the ttl', () =>
    withDaemons(async (d) => {
      expect((await d.check(d.secret)).kind).toBe('ok');
      await d.elsewhere.acl.put([{ domain: SITE, address: d.user.email, allow: false }], d.clock.now());
      expect((await d.check(d.secret)).kind).toBe('ok');
      d.clock.advance(TTL_SECONDS);
      expect((await d.check(d.secret)).kind).toBe('no-user');
    }));

  it('remembers an unknown token for the ttl only', () =>
    withDaemons(async (d) => {
      const hash = hashOf('not-yet');
      expect(await d.cached.tokens.session(hash)).toBeUndefined();
      const token = { hash, kind: 'session', userId: d.user.id, site: SITE } as const;
      const times = {
        createdAt: d.clock.now(),
        expiresAt: d.clock.now() + HOUR,
        absoluteExpiresAt: d.clock.now() + HOUR,
      };
      await d.elsewhere.tokens.insert({ ...token, ...times });
      expect(await d.cached.tokens.session(hash)).toBeUndefined();
      d.clock.advance(TTL_SECONDS);
      expect((await d.cached.tokens.session(hash))?.token.hash).toBe(hash);
    }));

  it('finds a token inserted through the same store at once', () =>
    withDaemons(async (d) => {
      const hash = hashOf('new');
      expect(await d.cached.tokens.session(hash)).toBeUndefined();
      const now = d.clock.now();
      await d.cached.tokens.insert({
        hash,
        kind: 'session',
        userId: d.user.id,
        site: SITE,
        createdAt: now,
        expiresAt: now + HOUR,
        absoluteExpiresAt: now + HOUR,
      });
      expect((await d.cached.tokens.session(hash))?.token.hash).toBe(hash);
    }));

  it('sees the session a link starts, and ends the one it replaces, at once', () =>
    withDaemons(async (d) => {
      const fresh = hashOf('from-link');
      expect(await d.cached.tokens.session(fresh)).toBeUndefined();
      expect((await d.check(d.secret)).kind).toBe('ok');
      const now = d.clock.now();
      await d.elsewhere.tokens.insert({
        hash: hashOf('link'),
        kind: 'link',
        userId: d.user.id,
        site: SITE,
        createdAt: now,
        expiresAt: now + HOUR,
        absoluteExpiresAt: now + HOUR,
      });
      const times = { createdAt: now, expiresAt: now + HOUR, absoluteExpiresAt: now + HOUR };
      await d.cached.tokens.redeemLink({
        hash: hashOf('link'),
        site: SITE,
        now,
        session: { hash: fresh, kind: 'session', userId: d.user.id, site: SITE, ...times },
        replaces: hashOf(d.secret),
        audit: { at: now, event: 'login', site: SITE, address: d.user.email },
      });
      expect((await d.cached.tokens.session(fresh))?.token.hash).toBe(fresh);
      expect((await d.check(d.secret)).kind).toBe('expired');
    }));

  it('keeps at most `size` sessions, dropping the least recently used', () =>
    withDaemons(
      async (d) => {
        const [a, b, c] = [d.secret, await d.addSession(), await d.addSession()];
        for (const secret of [a, b, c]) await d.check(secret);
        const before = d.queries('select');
        await d.check(c);
        await d.check(b);
        expect(d.queries('select')).toBe(before);
        await d.check(a);
        expect(d.queries('select')).toBe(before + 1);
      },
      { size: 2 },
    ));

  it('sends one query for 50 concurrent checks of one session', () =>
    withDaemons(async (d) => {
      const results = await Promise.all(Array.from({ length: 50 }, () => d.check(d.secret)));
      expect(results.every((r) => r.kind === 'ok')).toBe(true);
      // One for the session, one for the access list.
      expect(d.queries('select')).toBe(2);
    }));

  it('does not keep an answer read before a logout through the same store', () =>
    withDaemons(async (d) => {
      let read!: () => void;
      const wasRead = new Promise<void>((resolve) => (read = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const slow: Store = {
        ...d.raw,
        tokens: {
          ...d.raw.tokens,
          session: async (hash) => {
            const view = await d.raw.tokens.session(hash);
            read();
            await released;
            return view;
          },
        },
      };
      const cached = createCachedStore(slow, { ttlSeconds: TTL_SECONDS, size: 10, clock: d.clock });
      const hash = hashOf(d.secret);
      const early = cached.tokens.session(hash);
      await wasRead;
      await cached.tokens.revoke(hash, d.clock.now());
      release();
      // The lookup that raced the logout may answer with what it read...
      expect((await early)?.token.revokedAt).toBeNull();
      // ...but the next one reads again.
      expect((await cached.tokens.session(hash))?.token.revokedAt).toBe(d.clock.now());
    }));

  it('reads a session in use again before it expires, so its checks never wait for the store', () =>
    withDaemons(async (d) => {
      await d.check(d.secret);
      const read = d.queries('select');
      d.clock.advance(TTL_SECONDS * 0.5);
      expect((await d.check(d.secret)).kind).toBe('ok');
      expect(d.queries('select')).toBe(read);
      // In the last quarter of the entry's life a hit is answered from memory and starts the reload.
      d.clock.advance(TTL_SECONDS * 0.3);
      expect(d.checkNow(d.secret)?.kind).toBe('ok');
      // Two: the session and the access-list rows, each once.
      await vi.waitFor(() => expect(d.queries('select')).toBe(read + 2));
      // Past the first read's ttl the check is still decided from memory, with no query.
      d.clock.advance(TTL_SECONDS * 0.4);
      expect(d.checkNow(d.secret)?.kind).toBe('ok');
      expect(d.queries('select')).toBe(read + 2);
    }));

  it('sees a session revoked elsewhere at the reload, before the ttl runs out', () =>
    withDaemons(async (d) => {
      expect((await d.check(d.secret)).kind).toBe('ok');
      await d.elsewhere.tokens.revoke(hashOf(d.secret), d.clock.now());
      d.clock.advance(TTL_SECONDS * 0.8);
      const read = d.queries('select');
      expect((await d.check(d.secret)).kind).toBe('ok');
      await vi.waitFor(() => expect(d.queries('select')).toBeGreaterThan(read));
      await vi.waitFor(async () => expect((await d.check(d.secret)).kind).toBe('expired'));
    }));

  it('lets a failed reload change nothing: the entry expires at its time, then the check fails closed', () =>
    withDaemons(async (d) => {
      let down = false;
      let failedReads = 0;
      const flaky: Store = {
        ...d.raw,
        tokens: {
          ...d.raw.tokens,
          session: (hash) => {
            if (!down) return d.raw.tokens.session(hash);
            failedReads++;
            return Promise.reject(new Error('database away'));
          },
        },
      };
      const cached = createCachedStore(flaky, { ttlSeconds: TTL_SECONDS, size: 10, clock: d.clock });
      const hash = hashOf(d.secret);
      expect((await cached.tokens.session(hash))?.user.id).toBe(d.user.id);
      down = true;
      d.clock.advance(TTL_SECONDS * 0.9);
      expect((await cached.tokens.session(hash))?.user.id).toBe(d.user.id);
      await vi.waitFor(() => expect(failedReads).toBe(1));
      // Still within the ttl of the first read: the entry stands, and the next hit tries again.
      expect((await cached.tokens.session(hash))?.user.id).toBe(d.user.id);
      await vi.waitFor(() => expect(failedReads).toBe(2));
      d.clock.advance(TTL_SECONDS * 0.1);
      await expect(cached.tokens.session(hash)).rejects.toThrow('database away');
    }));

  it('re-sends the written expiry after a slide, without sliding again', () =>
    withDaemons(async (d) => {
      // Two hours older than a fresh session: the PT1H slide is due.
      const secret = await d.addSession({ expiresInMs: 14 * 24 * HOUR - 2 * HOUR });
      const first = await d.check(secret);
      expect(first).toMatchObject({ kind: 'ok', slid: true, expiresAt: d.clock.now() + 14 * 24 * HOUR });
      d.clock.advance(1);
      const second = await d.check(secret);
      expect(second).toMatchObject({ kind: 'ok', slid: false });
      const stored = await d.elsewhere.tokens.get(hashOf(secret));
      expect(first.kind === 'ok' && second.kind === 'ok' && [first.expiresAt, second.expiresAt]).toEqual([
        stored?.expiresAt,
        stored?.expiresAt,
      ]);
    }));

  it('writes a slide that 20 concurrent requests find due once', () =>
    withDaemons(async (d) => {
      const secret = await d.addSession({ expiresInMs: 14 * 24 * HOUR - 2 * HOUR });
      const results = await Promise.all(Array.from({ length: 20 }, () => d.check(secret)));
      expect(results.every((r) => r.kind === 'ok')).toBe(true);
      // One touch: the token row and its user's last-seen.
      expect(d.queries('update')).toBe(2);
    }));

  it('returns the store itself when the ttl is 0', () =>
    withDaemons((d) => {
      expect(createCachedStore(d.raw, { ttlSeconds: 0, size: 10, clock: d.clock })).toBe(d.raw);
      return Promise.resolve();
    }));

  it('forwards the methods it does not cache, including ones the ports gain later', () =>
    withDaemons(async (d) => {
      const extended = { ...d.raw, tokens: { ...d.raw.tokens, countAll: () => Promise.resolve(42) } };
      const cached = createCachedStore(extended, { ttlSeconds: TTL_SECONDS, size: 10, clock: d.clock });
      expect(await (cached.tokens as typeof extended.tokens).countAll()).toBe(42);
      expect((await cached.tokens.get(hashOf(d.secret)))?.userId).toBe(d.user.id);
      expect((await cached.users.list()).map((u) => u.email)).toEqual([d.user.email]);
      expect(await cached.limits.hit('k', 0)).toBe(1);
    }));
});
