import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { FcgiInput } from '../../src/fastcgi/fcgi-handler.js';
import { encodeRecord } from '../../src/fastcgi/encode-record.js';
import { encodeNameValuePairs } from '../../src/fastcgi/name-value-pairs.js';
import { ProtocolStatus, RecordType, Role } from '../../src/fastcgi/protocol.js';
import { RecordParser } from '../../src/fastcgi/record-parser.js';
import {
  beginRequest,
  encodeRequest,
  fcgiRequest,
  parseCgiAnswer,
  RawFcgiConnection,
  sendRaw,
  streamRecords,
} from '../support/fcgi-client.js';
import { deferred } from './deferred.js';
import { startServer } from './start-server.js';
import { holdingServer } from './holding-server.js';

function stdoutOf(connection: RawFcgiConnection, requestId: number): Buffer {
  return Buffer.concat(
    connection.records
      .filter((r) => r.type === RecordType.Stdout && r.requestId === requestId)
      .map((r) => r.content),
  );
}

describe('FastCGI server, responder role', () => {
  it('waits for the empty STDIN record and hands the whole body to the handler', async () => {
    const inputs: FcgiInput[] = [];
    const { port } = await startServer((input) => {
      inputs.push(input);
      return Promise.resolve({
        status: 200,
        headers: [['Content-Type', 'text/plain']],
        body: Buffer.from('ok'),
      });
    });
    const connection = await RawFcgiConnection.open(port);
    onTestFinished(() => connection.destroy());
    connection.send(
      Buffer.concat([
        beginRequest(1, Role.Responder),
        streamRecords(RecordType.Params, 1, encodeNameValuePairs({ REQUEST_METHOD: 'POST' })),
        encodeRecord(RecordType.Stdin, 1, Buffer.from('email=a%40')),
        encodeRecord(RecordType.Stdin, 1, Buffer.from('example.com')),
      ]),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(inputs).toHaveLength(0);
    connection.send(encodeRecord(RecordType.Stdin, 1));
    await connection.waitFor((r) => r.type === RecordType.EndRequest);
    expect(inputs[0]!.role).toBe('responder');
    expect(inputs[0]!.stdin.toString()).toBe('email=a%40example.com');
    expect(parseCgiAnswer(stdoutOf(connection, 1)).headers).toEqual([['Content-Type', 'text/plain']]);
  });

  it('receives a body larger than one record', async () => {
    const body = Buffer.alloc(150_000, 0x61);
    const { port } = await startServer(
      ({ stdin }) =>
        Promise.resolve({
          status: 200,
          headers: [],
          body: Buffer.from(String(stdin.length)),
        }),
      { maxStdinBytes: 200_000 },
    );
    const answer = await fcgiRequest({ port, role: 'responder', params: {}, stdin: body });
    expect(answer.body.toString()).toBe('150000');
  });

  it('splits an answer larger than 65535 bytes over STDOUT records', async () => {
    const body = Buffer.alloc(200_000);
    for (let i = 0; i < body.length; i++) body[i] = i % 253;
    const { port } = await startServer(() => Promise.resolve({ status: 200, headers: [], body }));
    const answer = await fcgiRequest({ port, role: 'responder', params: {} });
    expect(answer.stdoutRecords).toBe(4);
    expect(answer.body.equals(body)).toBe(true);
  });

  it('serves interleaved multiplexed requests on one connection, answering each under its id', async () => {
    const slow = deferred();
    const { port } = await startServer(async ({ params, stdin }) => {
      if (params.get('SLOW') === '1') await slow.promise;
      return { status: 200, headers: [], body: Buffer.from(`${params.get('NAME')}:${stdin.toString()}`) };
    });
    const connection = await RawFcgiConnection.open(port);
    onTestFinished(() => connection.destroy());
    const params1 = encodeNameValuePairs({ NAME: 'first', SLOW: '1' });
    const params2 = encodeNameValuePairs({ NAME: 'second' });
    connection.send(
      Buffer.concat([
        beginRequest(1, Role.Responder, true),
        beginRequest(2, Role.Responder, true),
        encodeRecord(RecordType.Params, 2, params2.subarray(0, 3)),
        encodeRecord(RecordType.Params, 1, params1),
        encodeRecord(RecordType.Params, 2, params2.subarray(3)),
        encodeRecord(RecordType.Params, 1),
        encodeRecord(RecordType.Stdin, 1, Buffer.from('a')),
        encodeRecord(RecordType.Params, 2),
        encodeRecord(RecordType.Stdin, 2, Buffer.from('b')),
        encodeRecord(RecordType.Stdin, 1),
        encodeRecord(RecordType.Stdin, 2),
      ]),
    );
    await connection.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 2);
    expect(parseCgiAnswer(stdoutOf(connection, 2)).body.toString()).toBe('second:b');
    slow.resolve();
    await connection.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 1);
    expect(parseCgiAnswer(stdoutOf(connection, 1)).body.toString()).toBe('first:a');
  });

  it('refuses the FILTER role with UNKNOWN_ROLE without calling the handler', async () => {
    let calls = 0;
    const { port } = await startServer(() => {
      calls++;
      return Promise.resolve({ status: 200, headers: [], body: Buffer.alloc(0) });
    });
    const received = await sendRaw(
      port,
      Buffer.concat([beginRequest(1, Role.Filter), streamRecords(RecordType.Params, 1, Buffer.alloc(0))]),
    );
    const records: Array<[number, number, Buffer]> = [];
    new RecordParser().parse(received, (type, id, content) => records.push([type, id, Buffer.from(content)]));
    expect(records).toEqual([
      [RecordType.EndRequest, 1, Buffer.from([0, 0, 0, 0, ProtocolStatus.UnknownRole, 0, 0, 0])],
    ]);
    expect(calls).toBe(0);
  });

  it('ends an aborted request and never sends its late answer', async () => {
    const { port, server, entered, release } = await holdingServer(() => 'late');
    const connection = await RawFcgiConnection.open(port);
    onTestFinished(() => connection.destroy());
    connection.send(
      encodeRequest({ role: 'responder', params: { HOLD: '1' }, keepConn: true, requestId: 1 }),
    );
    await entered;
    connection.send(encodeRecord(RecordType.AbortRequest, 1));
    const end = await connection.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 1);
    expect(end.content[4]).toBe(ProtocolStatus.RequestComplete);
    release();
    await vi.waitUntil(() => server.inFlight === 0);
    connection.send(encodeRequest({ role: 'responder', params: {}, keepConn: true, requestId: 2 }));
    await connection.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 2);
    expect(stdoutOf(connection, 1).length).toBe(0);
  });
});
