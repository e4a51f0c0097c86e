import { describe, expect, it } from 'vitest';
import { encodeAnswer } from '../../src/fastcgi/encode-answer.js';
import { RecordParser } from '../../src/fastcgi/record-parser.js';

function records(bytes: Buffer): Array<{ type: number; requestId: number; content: Buffer }> {
  const out: Array<{ type: number; requestId: number; content: Buffer }> = [];
  new RecordParser().parse(bytes, (type, requestId, content) => out.push({ type, requestId, content }));
  return out;
}

describe('encodeAnswer', () => {
  it('puts head and body in one STDOUT record, then the empty STDOUT and END_REQUEST', () => {
    const head = 'Status: 401\r\n\r\n';
    const bytes = encodeAnswer(7, head, Buffer.from('<?xml version="1.0"?><html/>'));
    expect(records(bytes)).toEqual([
      { type: 6, requestId: 7, content: Buffer.from(head + '<?xml version="1.0"?><html/>') },
      { type: 6, requestId: 7, content: Buffer.alloc(0) },
      { type: 3, requestId: 7, content: Buffer.alloc(8) },
    ]);
  });

  it('zero-fills the padding', () => {
    const bytes = encodeAnswer(1, 'Status: 200\r\n\r\n', Buffer.from('xy'));
    // 17 bytes of content need 7 bytes of padding before the next header.
    expect(bytes[6]).toBe(7);
    expect([...bytes.subarray(8 + 17, 8 + 17 + 7)]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(bytes.length).toBe(8 + 24 + 8 + 16);
  });

  it('fits exactly 65535 bytes in one record', () => {
    const head = 'Status: 200\r\n\r\n';
    const parsed = records(encodeAnswer(1, head, Buffer.alloc(65535 - head.length, 0x62)));
    expect(parsed.map((r) => [r.type, r.content.length])).toEqual([
      [6, 65535],
      [6, 0],
      [3, 8],
    ]);
  });

  it('splits an answer larger than 65535 bytes over STDOUT records', () => {
    const head = 'Status: 200\r\nContent-Type: text/plain\r\n\r\n';
    const body = Buffer.alloc(150_000);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    const parsed = records(encodeAnswer(2, head, body));
    const stdout = parsed.filter((r) => r.type === 6);
    expect(stdout.map((r) => r.content.length)).toEqual([65535, 65535, 150_000 + head.length - 2 * 65535, 0]);
    expect(Buffer.concat(stdout.map((r) => r.content)).equals(Buffer.concat([Buffer.from(head), body]))).toBe(
      true,
    );
    expect(parsed.at(-1)!.type).toBe(3);
  });

  it('writes header text beyond latin1 as UTF-8, so no char can become a CR or LF byte', () => {
    // U+010D and U+010A would be 0x0D and 0x0A if written as latin1.
    const bytes = encodeAnswer(1, 'Status: 200\r\nVariable-FCGI_USER: \u010d\u010a\r\n\r\n', Buffer.alloc(0));
    const content = records(bytes)[0]!.content;
    expect(content.toString('latin1')).toBe(
      'Status: 200\r\nVariable-FCGI_USER: \u00c4\u008d\u00c4\u008a\r\n\r\n',
    );
  });
});
