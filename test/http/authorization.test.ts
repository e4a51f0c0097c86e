import { describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../src/http/authorization.js';

const basic = (s: string): string => `Basic ${Buffer.from(s, 'latin1').toString('base64')}`;

describe('parseAuthorization', () => {
  it.each([undefined, '', '   '])('gives undefined for %j', (header) => {
    expect(parseAuthorization(header)).toBeUndefined();
  });

  it.each([
    ['Bearer abc-DEF_123', 'abc-DEF_123'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
  ])('reads bearer %j', (header, token) => {
    expect(parseAuthorization(header)).toEqual({ scheme: 'bearer', token });
  });

  it.each([
    [basic('anyone:TOKEN'), 'TOKEN', 'anyone'],
    [basic(':TOKEN'), 'TOKEN', ''],
    [basic('TOKEN'), 'TOKEN', ''],
    [basic('user:pass:word'), 'pass:word', 'user'],
    [`basic ${Buffer.from('u:T').toString('base64')}`, 'T', 'u'],
    [`Basic ${Buffer.from('u:TOKEN').toString('base64').replace(/=+$/, '')}`, 'TOKEN', 'u'],
  ])('reads basic %j', (header, token, user) => {
    expect(parseAuthorization(header)).toEqual({ scheme: 'basic', token, user });
  });

  it.each(['Digest username="a"', 'Negotiate abc', 'Token abc', 'abc'])(
    'calls %j another scheme',
    (header) => {
      expect(parseAuthorization(header)).toEqual({ scheme: 'other' });
    },
  );

  it.each([
    'Bearer',
    'Bearer a b',
    'Bearer a,b',
    'Bearer "abc"',
    'Basic',
    'Basic !!!!',
    'Basic a',
    'Basic abc-_',
    basic('user:'),
    basic(''),
  ])('calls %j malformed', (header) => {
    expect(parseAuthorization(header)).toEqual({ scheme: 'malformed' });
  });
});
