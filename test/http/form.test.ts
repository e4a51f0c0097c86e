import { describe, expect, it } from 'vitest';
import { parseForm } from '../../src/http/form.js';

const FORM = 'application/x-www-form-urlencoded';

describe('parseForm', () => {
  it('reads the fields of a urlencoded body', () => {
    const fields = parseForm(
      Buffer.from('email=alice%40example.com&forward=https%3A%2F%2Fsite.test%2Fa%3Fb%3D1'),
      FORM,
    );
    expect(Object.fromEntries(fields)).toEqual({
      email: 'alice@example.com',
      forward: 'https://site.test/a?b=1',
    });
  });

  it('accepts the content type in any case and with a charset', () => {
    expect(parseForm(Buffer.from('a=1'), 'Application/X-WWW-Form-URLencoded; charset=UTF-8').get('a')).toBe(
      '1',
    );
  });

  it('reads + as a space', () => {
    expect(parseForm(Buffer.from('q=a+b'), FORM).get('q')).toBe('a b');
  });

  it('keeps the last value of a repeated field', () => {
    expect(parseForm(Buffer.from('a=1&a=2'), FORM).get('a')).toBe('2');
  });

  it('reads a field without = as empty', () => {
    expect(parseForm(Buffer.from('all'), FORM).get('all')).toBe('');
  });

  it('decodes raw UTF-8 bytes in the body', () => {
    expect(parseForm(Buffer.from('email=ålice@exämple.com', 'utf8'), FORM).get('email')).toBe(
      'ålice@exämple.com',
    );
  });

  it('turns invalid UTF-8 into U+FFFD', () => {
    const body = Buffer.concat([Buffer.from('a='), Buffer.from([0xff, 0xfe]), Buffer.from('%C3')]);
    expect(parseForm(body, FORM).get('a')).toBe('\ufffd\ufffd\ufffd');
  });

  it('keeps malformed escapes literally', () => {
    expect(parseForm(Buffer.from('a=%zz%&b=%G1'), FORM)).toEqual(
      new Map([
        ['a', '%zz%'],
        ['b', '%G1'],
      ]),
    );
  });

  it('reads a field of several megabytes', () => {
    const big = 'x'.repeat(4 * 1024 * 1024);
    expect(parseForm(Buffer.from(`email=${big}`), FORM).get('email')).toHaveLength(big.length);
  });

  it('reads an escaped field of a megabyte', () => {
    const fields = parseForm(Buffer.from(`a=${'%C3%A9'.repeat(200_000)}`), FORM);
    expect(fields.get('a')).toBe('é'.repeat(200_000));
  });

  it.each([undefined, 'multipart/form-data; boundary=x', 'text/plain', 'application/json', ''])(
    'gives an empty map for content type %j',
    (contentType) => {
      expect(parseForm(Buffer.from('a=1'), contentType).size).toBe(0);
    },
  );

  it('gives an empty map for an empty body', () => {
    expect(parseForm(Buffer.alloc(0), FORM).size).toBe(0);
  });
});
