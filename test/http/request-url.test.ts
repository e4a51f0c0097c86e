import { describe, expect, it } from 'vitest';
import { requestUrl, requestUrlWithout } from '../../src/http/request-url.js';

const req = (uri: string, authority = 'site.test:8443') => {
  const mark = uri.indexOf('?');
  return {
    scheme: 'https' as const,
    authority,
    uri,
    path: mark === -1 ? uri : uri.slice(0, mark),
    query: mark === -1 ? '' : uri.slice(mark + 1),
  };
};

describe('requestUrl', () => {
  it('joins scheme, authority and the raw URI', () => {
    expect(requestUrl(req('/a/b%20c?x=1&knock=T'))).toBe('https://site.test:8443/a/b%20c?x=1&knock=T');
  });
});

describe('requestUrlWithout', () => {
  it('drops every occurrence of the parameter', () => {
    expect(requestUrlWithout(req('/a?knock=1&x=%zz&knock=2'), 'knock')).toBe(
      'https://site.test:8443/a?x=%zz',
    );
  });

  it('drops the ? when nothing is left', () => {
    expect(requestUrlWithout(req('/a?knock=1'), 'knock')).toBe('https://site.test:8443/a');
  });

  it('keeps a URL without the parameter as it was', () => {
    expect(requestUrlWithout(req('/a/b?x=1', 'site.test'), 'knock')).toBe('https://site.test/a/b?x=1');
  });
});
