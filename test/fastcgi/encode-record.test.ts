import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/fastcgi/encode-record.js';

describe('encodeRecord', () => {
  it('writes version, type, big-endian id and length, padding length, then zero padding', () => {
    const record = encodeRecord(6, 0x0102, Buffer.from('abc'));
    expect([...record]).toEqual([1, 6, 1, 2, 0, 3, 5, 0, 0x61, 0x62, 0x63, 0, 0, 0, 0, 0]);
  });

  it('adds no padding when the content is a multiple of 8', () => {
    const record = encodeRecord(5, 1, Buffer.alloc(16, 7));
    expect(record.length).toBe(24);
    expect(record[6]).toBe(0);
  });

  it('encodes an empty record as a bare header', () => {
    expect([...encodeRecord(4, 0xffff)]).toEqual([1, 4, 0xff, 0xff, 0, 0, 0, 0]);
  });

  it('encodes a 65535-byte content length', () => {
    const record = encodeRecord(6, 1, Buffer.alloc(0xffff));
    expect([...record.subarray(4, 7)]).toEqual([0xff, 0xff, 1]);
    expect(record.length).toBe(8 + 0xffff + 1);
  });

  it('refuses content longer than 65535 bytes', () => {
    expect(() => encodeRecord(6, 1, Buffer.alloc(0x10000))).toThrow(RangeError);
  });
});
