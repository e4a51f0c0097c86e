import { Socket } from 'node:net';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { FcgiInput } from '../../src/fastcgi/fcgi-handler.js';
import { encodeRecord } from '../../src/fastcgi/encode-record.js';
import { RecordType } from '../../src/fastcgi/protocol.js';
import { RecordParser } from '../../src/fastcgi/record-parser.js';
import { encodeRequest, fcgiRequest, RawFcgiConnection, sendRaw } from '../support/fcgi-client.js';
import { startServer } from './start-server.js';

const XHTML = Buffer.from(
  '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"/>',
);

function recordTypes(bytes: Buffer): number[] {
  const types: number[] = [];
  new RecordParser().parse(bytes, (type) => types.push(type));
  return types;
}

describe('FastCGI server, authorizer role', () => {
  it('answers once the empty PARAMS record arrives, with no STDIN sent', async () => {
    const inputs: FcgiInput[] = [];
    const { port } = await startServer((input) => {
      inputs.push(input);
      return Promise.resolve({
        status: 200,
        headers: [['Variable-FCGI_USER', 'bob@example.com']],
        body: Buffer.alloc(0),
      });
    });
    const answer = await fcgiRequest({
      port,
      role: 'authorizer',
      params: { REQUEST_URI: '/protected/page.html?q=1' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual([['Variable-FCGI_USER', 'bob@example.com']]);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]!.role).toBe('authorizer');
    expect(inputs[0]!.params.get('REQUEST_URI')).toBe('/protected/page.html?q=1');
    expect(inputs[0]!.stdin.length).toBe(0);
  });

  it('puts Status, the headers and the body in one STDOUT record, adding no header of its own', async () => {
    const { port } = await startServer(() =>
      Promise.resolve({
        status: 401,
        headers: [['Variable-FCGI_CONTENT_TYPE', 'application/xhtml+xml; charset=utf-8']],
        body: XHTML,
      }),
    );
    const answer = await fcgiRequest({ port, role: 'authorizer', params: {} });
    expect(answer.stdoutRecords).toBe(1);
    expect(answer.status).toBe(401);
    expect(answer.headers).toEqual([['Variable-FCGI_CONTENT_TYPE', 'application/xhtml+xml; charset=utf-8']]);
    expect(answer.body.equals(XHTML)).toBe(true);
    const raw = answer.raw.toString('latin1');
    expect(raw).toContain('Status: 401\r\n');
    expect(raw).not.toMatch(/connection:|date:|content-type:/i);
  });

  it('writes the STDOUT record, the empty STDOUT and END_REQUEST in one socket write', async () => {
    const { port } = await startServer(() => Promise.resolve({ status: 401, headers: [], body: XHTML }));
    const write = vi.spyOn(Socket.prototype, 'write');
    onTestFinished(() => write.mockRestore());
    await fcgiRequest({ port, role: 'authorizer', params: {} });
    const serverWrites = write.mock.calls.filter(
      (_call, i) => (write.mock.contexts[i] as Socket).localPort === port,
    );
    expect(serverWrites).toHaveLength(1);
    expect(recordTypes(serverWrites[0]![0] as Buffer)).toEqual([
      RecordType.Stdout,
      RecordType.Stdout,
      RecordType.EndRequest,
    ]);
  });

  it('closes the connection right after END_REQUEST when KEEP_CONN is not set', async () => {
    const { port } = await startServer(() =>
      Promise.resolve({ status: 200, headers: [], body: Buffer.alloc(0) }),
    );
    const received = await sendRaw(port, encodeRequest({ role: 'authorizer', params: {} }));
    expect(recordTypes(received)).toEqual([RecordType.Stdout, RecordType.Stdout, RecordType.EndRequest]);
  });

  it('keeps the connection for another request when KEEP_CONN is set', async () => {
    const { port } = await startServer(({ params }) =>
      Promise.resolve({
        status: 200,
        headers: [],
        body: Buffer.from(params.get('N') ?? ''),
      }),
    );
    const connection = await RawFcgiConnection.open(port);
    onTestFinished(() => connection.destroy());
    connection.send(
      encodeRequest({ role: 'authorizer', params: { N: 'one' }, keepConn: true, requestId: 1 }),
    );
    await connection.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 1);
    connection.send(
      encodeRequest({ role: 'authorizer', params: { N: 'two' }, keepConn: true, requestId: 2 }),
    );
    await connection.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 2);
    const second = connection.records.find((r) => r.type === RecordType.Stdout && r.requestId === 2)!;
    expect(second.content.toString()).toBe('Status: 200\r\n\r\ntwo');
    expect(connection.isClosed).toBe(false);
  });

  it('decodes param bytes as latin1', async () => {
    const inputs: FcgiInput[] = [];
    const { port } = await startServer((input) => {
      inputs.push(input);
      return Promise.resolve({ status: 200, headers: [], body: Buffer.alloc(0) });
    });
    // "é" sent as its two UTF-8 bytes, as Apache passes a raw header through.
    const params = encodeRecord(
      RecordType.Params,
      1,
      Buffer.from([6, 2, ...Buffer.from('HTTP_X'), 0xc3, 0xa9]),
    );
    const request = encodeRequest({ role: 'authorizer', params: {} });
    // Insert the hand-made PARAMS record right after BEGIN_REQUEST (16 bytes).
    await sendRaw(port, Buffer.concat([request.subarray(0, 16), params, request.subarray(16)]));
    expect(inputs[0]!.params.get('HTTP_X')).toBe('\u00c3\u00a9');
  });

  it('keeps a header injected through a handler value out of the answer', async () => {
    const { port } = await startServer(() =>
      Promise.resolve({
        status: 200,
        headers: [
          ['X-A', '1\r\nSet-Cookie: evil=1'],
          ['Set-Cookie\r\nX-B', 'evil=2'],
        ],
        body: Buffer.alloc(0),
      }),
    );
    const answer = await fcgiRequest({ port, role: 'authorizer', params: {} });
    expect(answer.headers).toEqual([['X-A', '1  Set-Cookie: evil=1']]);
    expect(answer.raw.toString('latin1')).not.toMatch(/\nSet-Cookie/);
  });
});
