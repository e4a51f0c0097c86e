import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createFcgiServer } from '../../src/fastcgi/server.js';
import { encodeNameValuePairs } from '../../src/fastcgi/name-value-pairs.js';
import { ProtocolStatus, RecordType, Role } from '../../src/fastcgi/protocol.js';
import {
  beginRequest,
  encodeRequest,
  fcgiRequest,
  RawFcgiConnection,
  streamRecords,
} from '../support/fcgi-client.js';
import { holdingServer } from './holding-server.js';

const slowServer = () => holdingServer(() => 'done');

describe('FastCGI server close()', () => {
  it('waits for an in-flight slow handler, whose answer still arrives', async () => {
    const { port, server, entered, release } = await slowServer();
    const answer = fcgiRequest({ port, role: 'authorizer', params: { HOLD: '1' } });
    await entered;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    expect(server.inFlight).toBe(1);
    release();
    expect((await answer).body.toString()).toBe('done');
    await closing;
    expect(server.inFlight).toBe(0);
  });

  it('stops accepting connections at once', async () => {
    const { port, server, entered, release } = await slowServer();
    const answer = fcgiRequest({ port, role: 'authorizer', params: { HOLD: '1' } });
    await entered;
    const closing = server.close();
    await expect(RawFcgiConnection.open(port)).rejects.toThrow(/ECONNREFUSED/);
    release();
    await answer;
    await closing;
  });

  it('closes idle kept connections and resolves', async () => {
    const { port, server } = await slowServer();
    const connection = await RawFcgiConnection.open(port);
    onTestFinished(() => connection.destroy());
    connection.send(encodeRequest({ role: 'authorizer', params: {}, keepConn: true }));
    await connection.waitFor((r) => r.type === RecordType.EndRequest);
    await server.close();
    await connection.waitClosed(1000);
  });

  it('answers OVERLOADED to a new request on a kept connection, then closes it after the last answer', async () => {
    const { port, server, entered, release } = await slowServer();
    const connection = await RawFcgiConnection.open(port);
    onTestFinished(() => connection.destroy());
    connection.send(
      encodeRequest({ role: 'authorizer', params: { HOLD: '1' }, keepConn: true, requestId: 1 }),
    );
    await entered;
    const closing = server.close();
    connection.send(
      Buffer.concat([
        beginRequest(2, Role.Authorizer, true),
        streamRecords(RecordType.Params, 2, encodeNameValuePairs({})),
      ]),
    );
    const refused = await connection.waitFor((r) => r.type === RecordType.EndRequest && r.requestId === 2);
    expect(refused.content[4]).toBe(ProtocolStatus.Overloaded);
    release();
    const stdout = await connection.waitFor((r) => r.type === RecordType.Stdout && r.requestId === 1);
    expect(stdout.content.toString()).toBe('Status: 200\r\n\r\ndone');
    await connection.waitClosed(1000);
    await closing;
  });

  it('resolves when it was never listening, and again when called twice', async () => {
    const server = createFcgiServer(
      () => Promise.resolve({ status: 200, headers: [], body: Buffer.alloc(0) }),
      {
        log: pino({ level: 'silent' }),
      },
    );
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });
});
