import { describe, expect, it } from 'vitest';
import type { GateResponse } from '../../src/http/gate-response.js';
import { serializeCgiHead } from '../../src/fastcgi/serialize-cgi-head.js';

function response(status: number, headers: Array<[string, string]> = []): GateResponse {
  return { status, headers, body: Buffer.alloc(0) };
}

describe('serializeCgiHead', () => {
  it('writes Status even for a 200 without headers', () => {
    expect(serializeCgiHead(response(200)).text).toBe('Status: 200\r\n\r\n');
  });

  it('keeps headers in order, repeated names included', () => {
    const head = serializeCgiHead(
      response(307, [
        ['Set-Cookie', 'a=1'],
        ['Variable-FCGI_USER', 'bob@example.com'],
        ['Set-Cookie', 'b=2'],
      ]),
    );
    expect(head.text).toBe(
      'Status: 307\r\nSet-Cookie: a=1\r\nVariable-FCGI_USER: bob@example.com\r\nSet-Cookie: b=2\r\n\r\n',
    );
  });

  it('adds no Date, Connection or Content-Type of its own', () => {
    expect(serializeCgiHead(response(401, [['X-A', '1']])).text).not.toMatch(/date|connection|content-type/i);
  });

  it('turns CR, LF and NUL in a value into spaces so no header line can be injected', () => {
    const head = serializeCgiHead(response(200, [['X-A', 'a\r\nSet-Cookie: evil=1\0']]));
    expect(head.text).toBe('Status: 200\r\nX-A: a  Set-Cookie: evil=1 \r\n\r\n');
  });

  it('drops headers whose name is not a token', () => {
    const head = serializeCgiHead(
      response(200, [
        ['X-Bad\r\nSet-Cookie', 'evil=1'],
        ['Bad Name', 'x'],
        ['Colon:', 'x'],
        ['', 'x'],
        ['X-Ok', 'y'],
      ]),
    );
    expect(head).toEqual({ text: 'Status: 200\r\nX-Ok: y\r\n\r\n', dropped: 4 });
  });

  it('drops a Status header set by the handler, whatever its case', () => {
    const head = serializeCgiHead(response(403, [['status', '200']]));
    expect(head).toEqual({ text: 'Status: 403\r\n\r\n', dropped: 1 });
  });

  it('rejects a status that is not an HTTP status', () => {
    for (const status of [99, 600, 200.5, Number.NaN]) {
      expect(() => serializeCgiHead(response(status))).toThrow(TypeError);
    }
  });
});
