import { describe, expect, it } from 'vitest';
import {
  decodeNameValuePairs,
  encodeNameValuePairs,
  NameValuePairs,
} from '../../src/fastcgi/name-value-pairs.js';

const BAD_NAME_VALUE = expect.objectContaining({ name: 'FcgiProtocolError', code: 'BAD_NAME_VALUE' });

describe('decodeNameValuePairs', () => {
  it('decodes pairs with 1-byte lengths', () => {
    const bytes = Buffer.from([4, 3, ...Buffer.from('HOSTabc'), 1, 0, 0x58]);
    expect({ ...decodeNameValuePairs(bytes) }).toEqual({ HOST: 'abc', X: '' });
  });

  it('decodes 4-byte lengths with the high bit masked off', () => {
    const value = 'v'.repeat(200);
    const bytes = Buffer.from([1, 0x80, 0, 0, 200, 0x4e, ...Buffer.from(value)]);
    expect(decodeNameValuePairs(bytes)['N']).toBe(value);
  });

  it('decodes names and values as latin1, keeping every byte', () => {
    const bytes = Buffer.from([1, 3, 0x55, 0xe9, 0xc3, 0xa9]);
    expect(decodeNameValuePairs(bytes)['U']).toBe('\u00e9\u00c3\u00a9');
  });

  it('keeps a param named __proto__ as plain data', () => {
    const pairs = decodeNameValuePairs(encodeNameValuePairs({ ['__proto__']: 'x' }));
    expect(Object.getPrototypeOf(pairs)).toBeNull();
    expect(pairs['__proto__']).toBe('x');
  });

  it('rejects a value length that runs past the data', () => {
    expect(() => decodeNameValuePairs(Buffer.from([1, 5, 0x41, 0x42]))).toThrow(BAD_NAME_VALUE);
  });

  it('rejects a 4-byte length near 2^31', () => {
    expect(() => decodeNameValuePairs(Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 0x41, 0x42]))).toThrow(
      BAD_NAME_VALUE,
    );
  });

  it('rejects a truncated 4-byte length', () => {
    expect(() => decodeNameValuePairs(Buffer.from([0x80, 0]))).toThrow(BAD_NAME_VALUE);
  });

  it('rejects a name without a value length', () => {
    expect(() => decodeNameValuePairs(Buffer.from([1]))).toThrow(BAD_NAME_VALUE);
  });
});

describe('NameValuePairs (read when asked)', () => {
  const stream = encodeNameValuePairs([
    ['HTTP_HOST', 'site.test'],
    ['REQUEST_URI', '/a'],
    ['HTTP_COOKIE', 'x=1'],
    ['HTTP', 'no underscore'],
    ['HTTP_HOST', 'later.test'],
    ['N'.repeat(300), 'long name'],
  ]);
  const pairs = new NameValuePairs(stream);

  it('reads a name, the last of a repeated one, and nothing for a name not sent', () => {
    expect(pairs.get('REQUEST_URI')).toBe('/a');
    expect(pairs.get('HTTP_HOST')).toBe('later.test');
    expect(pairs.get('N'.repeat(300))).toBe('long name');
    expect(pairs.get('REQUEST_UR')).toBeUndefined();
    expect(pairs.get('request_uri')).toBeUndefined();
    expect(pairs.get('')).toBeUndefined();
  });

  it('visits the names with a prefix in the order sent, repeats included', () => {
    const seen: string[] = [];
    pairs.forEachNamed('HTTP_', (name, value) => seen.push(`${name}=${value}`));
    expect(seen).toEqual(['HTTP_HOST=site.test', 'HTTP_COOKIE=x=1', 'HTTP_HOST=later.test']);
  });

  it('matches names byte for byte as latin1: a char above 255 matches nothing', () => {
    const latin = new NameValuePairs(Buffer.from([2, 1, 0x55, 0xe9, 0x41]));
    expect(latin.get('U\u00e9')).toBe('A');
    expect(latin.get('U\u01e9')).toBeUndefined();
  });

  it('checks the whole stream when made, as the dictionary did', () => {
    expect(() => new NameValuePairs(Buffer.concat([stream, Buffer.from([1, 5, 0x41])]))).toThrow(
      BAD_NAME_VALUE,
    );
  });
});

describe('encodeNameValuePairs', () => {
  it('uses 1 byte for a length of 127 and 4 bytes for 128', () => {
    const bytes = encodeNameValuePairs([['a'.repeat(127), 'b'.repeat(128)]]);
    expect([...bytes.subarray(0, 5)]).toEqual([127, 0x80, 0, 0, 128]);
    expect(bytes.length).toBe(5 + 127 + 128);
  });

  it('round-trips a 70000-byte value and a 300-byte name', () => {
    const pairs = { ['N'.repeat(300)]: 'v'.repeat(70000), SHORT: 'x' };
    const bytes = encodeNameValuePairs(pairs);
    expect([...bytes.subarray(0, 8)]).toEqual([0x80, 0, 1, 44, 0x80, 1, 0x11, 0x70]);
    expect({ ...decodeNameValuePairs(bytes) }).toEqual(pairs);
  });

  it('writes strings as latin1', () => {
    expect([...encodeNameValuePairs({ U: '\u00e9' })]).toEqual([1, 1, 0x55, 0xe9]);
  });
});
