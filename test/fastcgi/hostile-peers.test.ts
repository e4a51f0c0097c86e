import { connect, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { encodeRecord } from '../../src/fastcgi/encode-record.js';
import type { FcgiInput } from '../../src/fastcgi/fcgi-handler.js';
import type { FcgiServerOptions } from '../../src/fastcgi/server.js';
import { encodeNameValuePairs } from '../../src/fastcgi/name-value-pairs.js';
import { RecordType, Role } from '../../src/fastcgi/protocol.js';
import type { GateResponse } from '../../src/http/gate-response.js';
import { beginRequest, encodeRequest, fcgiRequest, RawFcgiConnection } from '../support/fcgi-client.js';
import { captureLog } from './capture-log.js';
import { startServer } from './start-server.js';

const PAGE = Buffer.alloc(16 * 1024, 0x61);
const answer = (): Promise<GateResponse> => Promise.resolve({ status: 200, headers: [], body: PAGE });

/** A normal request on a fresh connection is still answered, and quickly. */
async function stillAnswers(port: number): Promise<void> {
  const started = performance.now();
  const normal = await fcgiRequest({ port, role: 'authorizer', params: {}, timeoutMs: 1000 });
  expect(normal.status).toBe(200);
  expect(performance.now() - started).toBeLessThan(1000);
}

async function open(port: number): Promise<RawFcgiConnection> {
  const connection = await RawFcgiConnection.open(port);
  onTestFinished(() => connection.destroy());
  return connection;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('FastCGI server, hostile peers', () => {
  it('stops reading from a peer that sends requests and never reads the answers', async () => {
    let handled = 0;
    const { port } = await startServer(() => {
      handled++;
      return answer();
    });
    // A client that never reads: its receive buffer, then the daemon's send buffer, fill up.
    const socket: Socket = connect({ port, host: '127.0.0.1' });
    onTestFinished(() => {
      socket.destroy();
    });
    socket.on('error', () => undefined);
    await new Promise((r) => socket.once('connect', r));
    socket.pause();
    // One request at a time, each once the previous one was handled: without backpressure the
    // daemon would read and answer every one (10,000 x 16 KiB queued in its memory).
    let stalled = false;
    for (let id = 1; id <= 10_000 && !stalled; id++) {
      socket.write(encodeRequest({ role: 'authorizer', params: {}, requestId: id, keepConn: true }));
      const deadline = performance.now() + 500;
      while (handled < id && performance.now() < deadline) await sleep(handled < id - 1 ? 5 : 0);
      stalled = handled < id;
    }
    expect(stalled).toBe(true);
    // What the daemon answered fits in the kernel's socket buffers (tens of MB at most), not more.
    expect(handled * PAGE.length).toBeLessThan(64 * 1024 * 1024);
    await stillAnswers(port);
  });

  it('resumes reading once the peer reads again', async () => {
    const { port } = await startServer(answer);
    const connection = await open(port);
    connection.socket.pause();
    const requests = Array.from({ length: 60 }, (_, i) =>
      encodeRequest({ role: 'authorizer', params: {}, requestId: i + 1, keepConn: true }),
    );
    connection.send(Buffer.concat(requests));
    await sleep(200);
    connection.socket.resume();
    for (let id = 1; id <= 60; id++) {
      await connection.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === id, 2000);
    }
  });

  it.each<[string, Buffer[]]>([
    [
      'PARAMS one byte at a time',
      [beginRequest(1, Role.Authorizer), encodeRecord(RecordType.Params, 1, Buffer.alloc(64, 0x41))],
    ],
    [
      'a record one byte at a time, never a request',
      [encodeRecord(RecordType.GetValues, 0, Buffer.alloc(64))],
    ],
  ])('closes a peer that trickles %s, by the request deadline', async (_what, parts) => {
    const { log, lines } = captureLog();
    const { port } = await startServer(answer, { log, requestTimeoutMs: 400, idleTimeoutMs: 60_000 });
    const connection = await open(port);
    const bytes = Buffer.concat(parts);
    const started = performance.now();
    // The first byte of the header of the trickled record starts its clock; each next byte comes
    // well inside any idle timer.
    const head = parts.length > 1 ? parts[0]!.length : 0;
    connection.send(bytes.subarray(0, head));
    for (let i = head; i < bytes.length && !connection.isClosed; i++) {
      connection.send(bytes.subarray(i, i + 1));
      await sleep(50);
    }
    await connection.waitClosed(2000);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(lines()).toContainEqual(
      expect.objectContaining({ event: 'fcgi-protocol-error', code: 'REQUEST_TIMEOUT' }),
    );
    await stillAnswers(port);
  });

  it('closes a connection that keeps sending management records but starts no request', async () => {
    const { port } = await startServer(answer, { idleTimeoutMs: 300 });
    const connection = await open(port);
    const ask = encodeRecord(RecordType.GetValues, 0, encodeNameValuePairs({ FCGI_MAX_CONNS: '' }));
    const started = performance.now();
    while (!connection.isClosed && performance.now() - started < 3000) {
      connection.send(ask);
      await sleep(50);
    }
    expect(connection.isClosed).toBe(true);
    expect(performance.now() - started).toBeLessThan(1500);
    await stillAnswers(port);
  });

  it('closes connections over the cap at once, and serves again when the holders time out', async () => {
    const { port } = await startServer(answer, { maxConnections: 4, idleTimeoutMs: 2000 });
    const holders = await Promise.all([1, 2, 3, 4].map(() => open(port)));
    await sleep(50);
    const started = performance.now();
    const over = await open(port);
    await over.waitClosed(1000);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(over.received().length).toBe(0);
    for (const holder of holders) await holder.waitClosed(4000);
    await sleep(20);
    await stillAnswers(port);
  });

  it('answers a body over the limit at once, without waiting for the rest of it', async () => {
    const inputs: FcgiInput[] = [];
    const { port } = await startServer(
      (input) => {
        inputs.push(input);
        return answer();
      },
      { maxStdinBytes: 1024 },
    );
    const connection = await open(port);
    connection.send(
      Buffer.concat([
        beginRequest(1, Role.Responder, true),
        encodeRecord(RecordType.Params, 1, encodeNameValuePairs({ REQUEST_METHOD: 'POST' })),
        encodeRecord(RecordType.Params, 1),
        encodeRecord(RecordType.Stdin, 1, Buffer.alloc(2000, 0x62)),
      ]),
    );
    await connection.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 1, 1000);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({ role: 'responder', stdinTooLarge: true });
    expect(inputs[0]!.stdin.length).toBe(0);
    // The rest of that body is ignored; the connection serves its next request.
    connection.send(encodeRecord(RecordType.Stdin, 1, Buffer.alloc(2000, 0x62)));
    connection.send(encodeRecord(RecordType.Stdin, 1));
    connection.send(
      encodeRequest({ role: 'responder', params: {}, stdin: Buffer.from('a=b'), requestId: 2 }),
    );
    await connection.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 2, 1000);
    expect(inputs.map((i) => [i.stdin.toString(), i.stdinTooLarge])).toEqual([
      ['', true],
      ['a=b', false],
    ]);
  });

  it('closes a connection that holds more unfinished input than its cap', async () => {
    const { log, lines } = captureLog();
    const options: Partial<FcgiServerOptions> = { log, maxConnectionBufferBytes: 4096 };
    const { port } = await startServer(answer, options);
    const connection = await open(port);
    for (const id of [1, 2, 3]) {
      connection.send(
        Buffer.concat([
          beginRequest(id, Role.Authorizer),
          encodeRecord(RecordType.Params, id, Buffer.alloc(2000, 0x41)),
        ]),
      );
    }
    await connection.waitClosed(1000);
    expect(lines()).toContainEqual(expect.objectContaining({ code: 'CONNECTION_BUFFER_FULL' }));
    await stillAnswers(port);
  });

  it('closes the connection that takes the total of unfinished input over the cap, and only that one', async () => {
    const { log, lines } = captureLog();
    const { port } = await startServer(answer, { log, maxBufferedBytes: 5000 });
    const first = await open(port);
    const second = await open(port);
    const part = (id: number): Buffer =>
      Buffer.concat([
        beginRequest(id, Role.Authorizer),
        encodeRecord(RecordType.Params, id, encodeNameValuePairs({ PAD: 'x'.repeat(3000) })),
      ]);
    first.send(part(1));
    await sleep(50);
    second.send(part(1));
    await second.waitClosed(1000);
    expect(lines()).toContainEqual(expect.objectContaining({ code: 'SERVER_BUFFER_FULL' }));
    // The first connection's request completes and is answered; what the second held was released.
    first.send(encodeRecord(RecordType.Params, 1));
    await first.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 1, 1000);
    const third = await open(port);
    third.send(Buffer.concat([part(1), encodeRecord(RecordType.Params, 1)]));
    await third.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 1, 1000);
  });
});
