import { describe, expect, it } from 'vitest';
import { FcgiProtocolError } from '../../src/fastcgi/fcgi-protocol-error.js';
import { RecordParser } from '../../src/fastcgi/record-parser.js';

interface Parsed {
  type: number;
  requestId: number;
  content: string;
}

/** Hand-written wire bytes, so the parser is not checked against our own encoder. */
const STREAM = Buffer.from([
  // BEGIN_REQUEST id 1, content 8, no padding: role AUTHORIZER, flags 0
  1,
  1,
  0,
  1,
  0,
  8,
  0,
  0,
  0,
  2,
  0,
  0,
  0,
  0,
  0,
  0,
  // PARAMS id 1, content 5 ("\x01\x02ABC"), padding 3
  1,
  4,
  0,
  1,
  0,
  5,
  3,
  0,
  1,
  2,
  0x41,
  0x42,
  0x43,
  0,
  0,
  0,
  // PARAMS id 1, empty
  1,
  4,
  0,
  1,
  0,
  0,
  0,
  0,
  // STDIN id 0x1234, content 2, padding 255 (the maximum; the spec does not require aligning)
  1,
  5,
  0x12,
  0x34,
  0,
  2,
  255,
  0,
  0x68,
  0x69,
  ...new Array<number>(255).fill(0xee),
  // DATA id 0xffff, content 1, padding 7
  1,
  8,
  0xff,
  0xff,
  0,
  1,
  7,
  0,
  0x7a,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
]);
const EXPECTED: Parsed[] = [
  { type: 1, requestId: 1, content: '0002000000000000' },
  { type: 4, requestId: 1, content: '0102414243' },
  { type: 4, requestId: 1, content: '' },
  { type: 5, requestId: 0x1234, content: '6869' },
  { type: 8, requestId: 0xffff, content: '7a' },
];

function parseChunks(chunks: Buffer[]): Parsed[] {
  const parser = new RecordParser();
  const out: Parsed[] = [];
  for (const chunk of chunks) {
    parser.parse(chunk, (type, requestId, content) =>
      out.push({ type, requestId, content: content.toString('hex') }),
    );
  }
  return out;
}

describe('RecordParser', () => {
  it('parses a stream delivered in one chunk', () => {
    expect(parseChunks([STREAM])).toEqual(EXPECTED);
  });

  it('parses identically when the stream is split at every offset', () => {
    for (let at = 0; at <= STREAM.length; at++) {
      expect(parseChunks([STREAM.subarray(0, at), STREAM.subarray(at)]), `split at ${at}`).toEqual(EXPECTED);
    }
  });

  it('parses identically when the stream is split at every pair of offsets', () => {
    for (let a = 0; a <= STREAM.length; a += 3) {
      for (let b = a; b <= STREAM.length; b++) {
        const chunks = [STREAM.subarray(0, a), STREAM.subarray(a, b), STREAM.subarray(b)];
        expect(parseChunks(chunks), `split at ${a} and ${b}`).toEqual(EXPECTED);
      }
    }
  });

  it('parses a stream that arrives one byte at a time', () => {
    const bytes = [...STREAM].map((b) => Buffer.from([b]));
    expect(parseChunks(bytes)).toEqual(EXPECTED);
  });

  it('assembles a 65535-byte record spread over many chunks', () => {
    const content = Buffer.alloc(0xffff, 0x61);
    const record = Buffer.concat([Buffer.from([1, 6, 0, 9, 0xff, 0xff, 1, 0]), content, Buffer.from([0])]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < record.length; at += 1000) chunks.push(record.subarray(at, at + 1000));
    const parser = new RecordParser();
    const seen: Buffer[] = [];
    for (const chunk of chunks) parser.parse(chunk, (_type, _id, c) => seen.push(Buffer.from(c)));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.equals(content)).toBe(true);
    expect(parser.buffered).toBe(0);
  });

  it('reports the bytes it holds of an incomplete record', () => {
    const parser = new RecordParser();
    parser.parse(STREAM.subarray(0, 5), () => undefined);
    expect(parser.buffered).toBe(5);
    parser.parse(STREAM.subarray(5, 12), () => undefined);
    expect(parser.buffered).toBe(12);
    parser.parse(STREAM.subarray(12, 16), () => undefined);
    expect(parser.buffered).toBe(0);
  });

  it('rejects a record whose version is not 1', () => {
    const bad = Buffer.from([2, 1, 0, 1, 0, 0, 0, 0]);
    expect(() => parseChunks([bad])).toThrow(
      expect.objectContaining({ name: 'FcgiProtocolError', code: 'BAD_VERSION' }),
    );
  });

  it('rejects a bad version that arrives split after valid records', () => {
    const stream = Buffer.concat([STREAM, Buffer.from([0, 1, 0, 1, 0, 0, 0, 0])]);
    for (let at = STREAM.length; at < stream.length; at++) {
      expect(() => parseChunks([stream.subarray(0, at), stream.subarray(at)])).toThrow(FcgiProtocolError);
    }
  });
});
