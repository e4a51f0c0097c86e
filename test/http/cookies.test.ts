import { describe, expect, it } from 'vitest';
import { MAX_COOKIE_AGE_SECONDS, clearCookie, readCookie, sessionCookie } from '../../src/http/cookies.js';

describe('readCookie', () => {
  it.each([
    ['forgetpw=abc', 'abc'],
    ['a=1; forgetpw=abc; b=2', 'abc'],
    ['a=1;forgetpw=abc', 'abc'],
    ['forgetpw=first; forgetpw=second', 'first'],
    ['forgetpw=', ''],
    ['forgetpw="quoted"', 'quoted'],
    ['forgetpw=a=b', 'a=b'],
    ['  forgetpw  =  abc  ', 'abc'],
    ['junk; ;; =x; forgetpw=abc', 'abc'],
  ])('reads %j as %j', (header, expected) => {
    expect(readCookie(header, 'forgetpw')).toBe(expected);
  });

  it.each([undefined, '', 'other=1', 'forgetpwx=1', 'xforgetpw=1', 'forgetpw', 'FORGETPW=1'])(
    'finds nothing in %j',
    (header) => {
      expect(readCookie(header, 'forgetpw')).toBeUndefined();
    },
  );

  it('reads a cookie after 16 KB of pieces without an =, and finds none in them alone', () => {
    const bare = 'x;'.repeat(8000);
    expect(readCookie(`${bare} forgetpw=abc; y`, 'forgetpw')).toBe('abc');
    expect(readCookie(bare, 'forgetpw')).toBeUndefined();
    expect(readCookie(`a; b=1; forgetpw; c=2; forgetpw=abc`, 'forgetpw')).toBe('abc');
  });

  it('reads a cookie after 15 KB of junk', () => {
    const junk = Array.from({ length: 1500 }, (_, i) => `c${i}=${'\u00ff'.repeat(5)}`).join('; ');
    expect(readCookie(`${junk}; forgetpw=abc`, 'forgetpw')).toBe('abc');
  });
});

describe('sessionCookie', () => {
  it('builds a host-only, HttpOnly, Lax cookie for the whole site', () => {
    expect(sessionCookie('forgetpw', 'abc', { maxAgeSeconds: 1_209_600, secure: false })).toBe(
      'forgetpw=abc; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax',
    );
  });

  it('adds Secure on https', () => {
    expect(sessionCookie('forgetpw', 'abc', { maxAgeSeconds: 60, secure: true })).toBe(
      'forgetpw=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('never names a Domain', () => {
    expect(sessionCookie('forgetpw', 'abc', { maxAgeSeconds: 60, secure: true })).not.toMatch(/domain/i);
  });

  it('caps Max-Age at 400 days', () => {
    expect(sessionCookie('c', 'v', { maxAgeSeconds: 10 * 365 * 86400, secure: false })).toContain(
      `Max-Age=${MAX_COOKIE_AGE_SECONDS};`,
    );
    expect(MAX_COOKIE_AGE_SECONDS).toBe(34_560_000);
  });

  it.each([
    [-5, 0],
    [59.9, 59],
    [Number.NaN, 0],
  ])('turns Max-Age %j into %j', (given, expected) => {
    expect(sessionCookie('c', 'v', { maxAgeSeconds: given, secure: false })).toContain(
      `Max-Age=${expected};`,
    );
  });

  it.each([
    ['forgetpw', 'abc\r\nSet-Cookie: x=y'],
    ['forgetpw', 'a;b'],
    ['forgetpw', 'a b'],
    ['forget pw', 'abc'],
    ['forgetpw=', 'abc'],
    ['', 'abc'],
  ])('refuses to build a header from %j / %j', (name, value) => {
    expect(() => sessionCookie(name, value, { maxAgeSeconds: 60, secure: true })).toThrow();
  });
});

describe('clearCookie', () => {
  it('expires the cookie on the whole site', () => {
    expect(clearCookie('forgetpw', { secure: false })).toBe(
      'forgetpw=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
  });

  it('keeps Secure on https so the browser accepts the replacement', () => {
    expect(clearCookie('forgetpw', { secure: true })).toMatch(/; Secure$/);
  });
});
