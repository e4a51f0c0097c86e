import { describe, expect, it } from 'vitest';
import { MAX_FORWARD_LENGTH, resolveForward } from '../../src/http/forward-url.js';

const HTTPS = { scheme: 'https', authority: 'good.test' } as const;

describe('resolveForward', () => {
  it.each([
    ['/path?q', 'https://good.test/path?q'],
    ['/', 'https://good.test/'],
    ['/a/b%20c?x=%zz&y=1', 'https://good.test/a/b%20c?x=%zz&y=1'],
    ['/search?q=a%0Ab', 'https://good.test/search?q=a%0Ab'],
    ['https://good.test/x', 'https://good.test/x'],
    ['https://good.test:443/x', 'https://good.test/x'],
    ['HTTPS://GOOD.test/x', 'https://good.test/x'],
    ['https://good.test', 'https://good.test/'],
    ['https://good.test/a/../b', 'https://good.test/b'],
    ['/caf\u00e9', 'https://good.test/caf%C3%A9'],
    ['/page#part', 'https://good.test/page#part'],
  ])('accepts %j as %j', (raw, url) => {
    expect(resolveForward(raw, HTTPS)).toEqual({ ok: true, url });
  });

  it('accepts an explicit non-default port equal to the request port', () => {
    expect(
      resolveForward('https://good.test:8443/x', { scheme: 'https', authority: 'good.test:8443' }),
    ).toEqual({
      ok: true,
      url: 'https://good.test:8443/x',
    });
  });

  it('resolves a relative forward against the request origin, port included', () => {
    expect(resolveForward('/x', { scheme: 'http', authority: 'good.test:8080' })).toEqual({
      ok: true,
      url: 'http://good.test:8080/x',
    });
  });

  it('compares IDNA hosts in their encoded form', () => {
    expect(
      resolveForward('https://bücher.test/x', { scheme: 'https', authority: 'xn--bcher-kva.test' }),
    ).toEqual({
      ok: true,
      url: 'https://xn--bcher-kva.test/x',
    });
  });

  it.each([
    undefined,
    '',
    ' ',
    ' /path',
    '/path ',
    '//evil.test',
    '///evil.test',
    '/\\evil.test',
    '\\\\evil.test',
    '\\/evil.test',
    '/%5Cevil.test',
    '/%5cevil.test',
    '/%2F/evil.test',
    '/%2f%2fevil.test',
    '/%252F/evil.test',
    '/%09/evil.test',
    '/%0a/evil.test',
    '/%0d/evil.test',
    '/%0D%0A/evil.test',
    '/%00',
    '/\t/evil.test',
    '/\n/evil.test',
    '/\r/evil.test',
    '/a\u2028b',
    'https:evil.test',
    'https:/evil.test',
    'https:good.test',
    'https://evil.test',
    'https://evil.test/',
    'https://good.test@evil.test',
    'https://good.test:@evil.test',
    'https://user@good.test/x',
    'https://user:pass@good.test/x',
    'https://:@good.test/x',
    'https://good.test%40evil.test',
    'https://good.test.evil.test',
    'https://evilgood.test',
    'https://good.test.',
    'https://good.test:8443/x',
    'https://good.test:444/x',
    'http://good.test/x',
    'http://good.test:443/x',
    'ftp://good.test/x',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'path/relative',
    '?q=1',
    '#frag',
    '.',
    'https://good.test/..//evil.test',
    'https://good.test//evil.test',
    `/${'a'.repeat(MAX_FORWARD_LENGTH)}`,
  ])('refuses %j', (raw) => {
    expect(resolveForward(raw, HTTPS)).toEqual({ ok: false });
  });

  it('refuses an https forward from an http request (no downgrade or upgrade)', () => {
    expect(resolveForward('https://good.test/x', { scheme: 'http', authority: 'good.test' })).toEqual({
      ok: false,
    });
  });

  it('refuses everything when the request has no authority', () => {
    expect(resolveForward('/x', { scheme: 'https', authority: '' })).toEqual({ ok: false });
  });
});
