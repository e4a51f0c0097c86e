import { describe, expect, it } from 'vitest';
import { isTrustedProxy } from '../../src/app/trusted-proxy-check.js';
import { cgiVariables } from '../../src/http/cgi-variables.js';
import { fromCgiParams, type FromCgiOptions } from '../../src/http/from-cgi.js';
import type { GateRequest } from '../../src/http/gate-request.js';

/** The request built from variables held in a record (the FastCGI stream's reader has its own tests). */
const fromRecord = (
  role: GateRequest['role'],
  record: Readonly<Record<string, string>>,
  stdin: Buffer,
  options: FromCgiOptions,
): GateRequest => fromCgiParams(role, cgiVariables(record), stdin, options);

/** What Apache's mod_authnz_fcgi sends (NOTES §3.3), trimmed to what matters. */
const apache = (extra: Record<string, string> = {}): Record<string, string> => ({
  FCGI_ROLE: 'AUTHORIZER',
  REQUEST_METHOD: 'GET',
  REQUEST_URI: '/protected/page.html?q=1&knock=zzz',
  QUERY_STRING: 'q=1&knock=zzz',
  REQUEST_SCHEME: 'http',
  HTTP_HOST: 'site.test',
  SERVER_NAME: 'site.test',
  SERVER_PORT: '80',
  REMOTE_ADDR: '203.0.113.9',
  DOCUMENT_ROOT: '/var/www/site',
  ...extra,
});

/** The check the daemon passes in: node's BlockList over `trusted_proxies`. */
const trusting = (ranges: readonly string[]): FromCgiOptions => ({
  isTrustedProxy: (ip) => isTrustedProxy(ranges, ip),
});
const NO_PROXIES = trusting([]);
const PROXY = trusting(['10.0.0.0/8', '::1']);
const build = (extra: Record<string, string>, options: FromCgiOptions = NO_PROXIES) =>
  fromRecord('authorizer', apache(extra), Buffer.alloc(0), options);

describe('fromCgiParams', () => {
  it('reads a typical authorizer request', () => {
    expect(build({ HTTP_COOKIE: 'forgetpw=abc', HTTP_ACCEPT: 'text/html' })).toEqual({
      role: 'authorizer',
      method: 'GET',
      scheme: 'http',
      host: 'site.test',
      authority: 'site.test',
      uri: '/protected/page.html?q=1&knock=zzz',
      path: '/protected/page.html',
      query: 'q=1&knock=zzz',
      headers: { host: 'site.test', cookie: 'forgetpw=abc', accept: 'text/html' },
      clientIp: '203.0.113.9',
      documentRoot: '/var/www/site',
      body: Buffer.alloc(0),
    });
  });

  describe('scheme', () => {
    it.each([
      [{ REQUEST_SCHEME: 'https' }, 'https'],
      [{ REQUEST_SCHEME: 'HTTPS' }, 'https'],
      [{ REQUEST_SCHEME: 'http', HTTPS: 'on' }, 'https'],
      [{ REQUEST_SCHEME: '', HTTPS: 'ON' }, 'https'],
      [{ REQUEST_SCHEME: 'http', HTTPS: 'off' }, 'http'],
      [{ REQUEST_SCHEME: 'gopher' }, 'http'],
    ])('reads %j as %j', (extra, scheme) => {
      expect(build(extra).scheme).toBe(scheme);
    });
  });

  describe('host and authority', () => {
    it.each([
      [{ HTTP_HOST: 'Site.TEST' }, 'site.test', 'site.test'],
      [{ HTTP_HOST: 'site.test:80' }, 'site.test', 'site.test'],
      [{ HTTP_HOST: 'site.test:8080' }, 'site.test', 'site.test:8080'],
      [{ HTTP_HOST: 'site.test:08080' }, 'site.test', 'site.test:8080'],
      [{ HTTP_HOST: 'site.test:' }, 'site.test', 'site.test'],
      [{ HTTP_HOST: '127.0.0.1:18080' }, '127.0.0.1', '127.0.0.1:18080'],
      [{ HTTP_HOST: '[::1]:18080' }, '[::1]', '[::1]:18080'],
      [{ HTTP_HOST: '[0:0::1]' }, '[::1]', '[::1]'],
      [{ HTTP_HOST: 'bücher.test' }, 'xn--bcher-kva.test', 'xn--bcher-kva.test'],
      [{ REQUEST_SCHEME: 'https', HTTP_HOST: 'site.test:443' }, 'site.test', 'site.test'],
      [{ REQUEST_SCHEME: 'https', HTTP_HOST: 'site.test:80' }, 'site.test', 'site.test:80'],
    ])('reads %j as host %j, authority %j', (extra, host, authority) => {
      const request = build(extra);
      expect([request.host, request.authority]).toEqual([host, authority]);
    });

    it.each([
      'evil.test/x',
      'site.test:99999',
      'site.test:0',
      'a b',
      'user@site.test',
      'site.test:80:80',
      '',
      '[::1',
    ])('falls back to SERVER_NAME and SERVER_PORT for Host %j', (value) => {
      const request = build({ HTTP_HOST: value, SERVER_NAME: 'fallback.test', SERVER_PORT: '8080' });
      expect([request.host, request.authority]).toEqual(['fallback.test', 'fallback.test:8080']);
    });

    it('uses SERVER_NAME when there is no Host header', () => {
      const params = apache({ SERVER_NAME: 'Server.Test', SERVER_PORT: '80' });
      delete params['HTTP_HOST'];
      const request = fromRecord('authorizer', params, Buffer.alloc(0), NO_PROXIES);
      expect([request.host, request.authority]).toEqual(['server.test', 'server.test']);
    });

    it('ignores a junk SERVER_PORT', () => {
      const request = build({ HTTP_HOST: '!', SERVER_NAME: 'fallback.test', SERVER_PORT: 'x' });
      expect([request.host, request.authority]).toEqual(['fallback.test', 'fallback.test']);
    });

    it('leaves host and authority empty when nothing is a host name', () => {
      const request = build({ HTTP_HOST: '!!', SERVER_NAME: '%%' });
      expect([request.host, request.authority]).toEqual(['', '']);
    });
  });

  describe('URI', () => {
    it('splits path and query of REQUEST_URI, raw', () => {
      const request = build({ REQUEST_URI: '/a%20b/c?x=%zz&y' });
      expect([request.uri, request.path, request.query]).toEqual(['/a%20b/c?x=%zz&y', '/a%20b/c', 'x=%zz&y']);
    });

    it('has an empty query without ?', () => {
      expect(build({ REQUEST_URI: '/a' }).query).toBe('');
    });

    it('rebuilds the URI from SCRIPT_NAME, PATH_INFO and QUERY_STRING without REQUEST_URI', () => {
      const params = apache({ SCRIPT_NAME: '/email-link', PATH_INFO: '/x', QUERY_STRING: 'all=1' });
      delete params['REQUEST_URI'];
      const request = fromRecord('responder', params, Buffer.alloc(0), NO_PROXIES);
      expect([request.uri, request.path, request.query]).toEqual([
        '/email-link/x?all=1',
        '/email-link/x',
        'all=1',
      ]);
    });

    it('gives / when nothing names a path', () => {
      const request = fromRecord('authorizer', {}, Buffer.alloc(0), NO_PROXIES);
      expect([request.uri, request.path, request.query]).toEqual(['/', '/', '']);
    });

    it('takes path and query of an absolute-form REQUEST_URI', () => {
      expect(build({ REQUEST_URI: 'http://other.test/a?b=1' }).uri).toBe('/a?b=1');
    });

    it('keeps non-UTF-8 bytes (latin1 code units) as they came', () => {
      const request = build({ REQUEST_URI: '/caf\u00e9?q=\u00ff\u00fe', HTTP_X_ODD: '\u00ff\u0000' });
      expect([request.path, request.query, request.headers['x-odd']]).toEqual([
        '/caf\u00e9',
        'q=\u00ff\u00fe',
        '\u00ff\u0000',
      ]);
    });
  });

  describe('headers', () => {
    it('turns HTTP_* into lower-case dashed names, and CONTENT_TYPE into content-type', () => {
      const request = build({
        HTTP_X_CUSTOM_THING: 'yes',
        CONTENT_TYPE: 'application/x-www-form-urlencoded',
      });
      expect(request.headers['x-custom-thing']).toBe('yes');
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    });

    it('does not turn other params into headers', () => {
      expect(Object.keys(build({}).headers)).toEqual(['host']);
    });

    it('has no inherited properties that look like headers', () => {
      const headers = build({}).headers;
      expect(headers['constructor']).toBeUndefined();
      expect(headers['__proto__']).toBeUndefined();
    });
  });

  describe('method, body and document root', () => {
    it('upper-cases the method and defaults to GET', () => {
      expect(build({ REQUEST_METHOD: 'post' }).method).toBe('POST');
      expect(build({ REQUEST_METHOD: '' }).method).toBe('GET');
    });

    it('keeps the body of a responder request', () => {
      const request = fromRecord('responder', apache(), Buffer.from('email=a%40b.test'), NO_PROXIES);
      expect(request.body.toString()).toBe('email=a%40b.test');
    });

    it('gives an authorizer request no body', () => {
      expect(fromRecord('authorizer', apache(), Buffer.from('x'), NO_PROXIES).body).toHaveLength(0);
    });

    it('treats a missing or empty DOCUMENT_ROOT as none', () => {
      expect(build({ DOCUMENT_ROOT: '' }).documentRoot).toBeUndefined();
      expect(fromRecord('authorizer', {}, Buffer.alloc(0), NO_PROXIES).documentRoot).toBeUndefined();
    });
  });

  describe('X-Forwarded-* from an untrusted peer', () => {
    const spoofed = {
      REMOTE_ADDR: '203.0.113.9',
      HTTP_X_FORWARDED_FOR: '1.2.3.4',
      HTTP_X_FORWARDED_HOST: 'allowed.test',
      HTTP_X_FORWARDED_PROTO: 'https',
    };

    it('ignores X-Forwarded-For', () => {
      expect(build(spoofed, PROXY).clientIp).toBe('203.0.113.9');
    });

    it('ignores X-Forwarded-Host', () => {
      expect(build(spoofed, PROXY).host).toBe('site.test');
    });

    it('ignores X-Forwarded-Proto', () => {
      expect(build(spoofed, PROXY).scheme).toBe('http');
    });

    it('ignores them all when no proxy is trusted, even from loopback', () => {
      const request = build({ ...spoofed, REMOTE_ADDR: '127.0.0.1' });
      expect([request.clientIp, request.host, request.scheme]).toEqual(['127.0.0.1', 'site.test', 'http']);
    });
  });

  describe('X-Forwarded-* from a trusted proxy', () => {
    it('takes the client from X-Forwarded-For', () => {
      expect(build({ REMOTE_ADDR: '10.0.0.5', HTTP_X_FORWARDED_FOR: '198.51.100.7' }, PROXY).clientIp).toBe(
        '198.51.100.7',
      );
    });

    it('takes the rightmost address that is not itself a trusted proxy', () => {
      const request = build(
        { REMOTE_ADDR: '10.0.0.5', HTTP_X_FORWARDED_FOR: '6.6.6.6, 198.51.100.7, 10.0.0.9' },
        PROXY,
      );
      expect(request.clientIp).toBe('198.51.100.7');
    });

    it('stops at a junk entry and keeps the last trusted hop', () => {
      const request = build(
        { REMOTE_ADDR: '10.0.0.5', HTTP_X_FORWARDED_FOR: '6.6.6.6, junk, 10.0.0.9' },
        PROXY,
      );
      expect(request.clientIp).toBe('10.0.0.9');
    });

    it('reads addresses with ports', () => {
      const request = build({ REMOTE_ADDR: '::1', HTTP_X_FORWARDED_FOR: '[2001:db8::7]:5555' }, PROXY);
      expect(request.clientIp).toBe('2001:db8::7');
    });

    it('keeps the peer when X-Forwarded-For is absent', () => {
      expect(build({ REMOTE_ADDR: '10.0.0.5' }, PROXY).clientIp).toBe('10.0.0.5');
    });

    it('takes host, port and scheme from X-Forwarded-Host and -Proto', () => {
      const request = build(
        {
          REMOTE_ADDR: '10.0.0.5',
          HTTP_X_FORWARDED_HOST: 'Public.Test:8443',
          HTTP_X_FORWARDED_PROTO: 'https',
        },
        PROXY,
      );
      expect([request.scheme, request.host, request.authority]).toEqual([
        'https',
        'public.test',
        'public.test:8443',
      ]);
    });

    it('believes the last entry of a list, written by the nearest proxy', () => {
      const request = build(
        {
          REMOTE_ADDR: '10.0.0.5',
          HTTP_X_FORWARDED_HOST: 'spoof.test, public.test',
          HTTP_X_FORWARDED_PROTO: 'http, https',
        },
        PROXY,
      );
      expect([request.scheme, request.host]).toEqual(['https', 'public.test']);
    });

    it('falls back to Host when X-Forwarded-Host is junk', () => {
      expect(build({ REMOTE_ADDR: '10.0.0.5', HTTP_X_FORWARDED_HOST: 'a/b' }, PROXY).host).toBe('site.test');
    });

    it('ignores an X-Forwarded-Proto that is neither http nor https', () => {
      expect(build({ REMOTE_ADDR: '10.0.0.5', HTTP_X_FORWARDED_PROTO: 'ftp' }, PROXY).scheme).toBe('http');
    });
  });

  it('never throws on junk params', () => {
    const junk: Record<string, string> = {
      REQUEST_URI: '\u0000\u00ff%zz?%%%',
      HTTP_HOST: '\r\n',
      SERVER_NAME: '[',
      SERVER_PORT: '-1',
      REMOTE_ADDR: 'not-an-ip',
      REQUEST_SCHEME: '\u00ff',
      HTTP_X_FORWARDED_FOR: ',,,',
      HTTP_: 'x',
      toString: 'x',
      __proto__: 'x',
    };
    expect(() =>
      fromRecord('responder', junk, Buffer.alloc(0), trusting(['garbage', '0.0.0.0/0'])),
    ).not.toThrow();
  });
});
