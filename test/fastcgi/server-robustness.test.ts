import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { FcgiHandler } from '../../src/fastcgi/fcgi-handler.js';
import { encodeRecord } from '../../src/fastcgi/encode-record.js';
import { RecordType, Role } from '../../src/fastcgi/protocol.js';
import type { GateResponse } from '../../src/http/gate-response.js';
import {
  beginRequest,
  encodeRequest,
  fcgiRequest,
  RawFcgiConnection,
  sendRaw,
} from '../support/fcgi-client.js';
import { captureLog } from './capture-log.js';
import { startServer } from './start-server.js';
import { holdingServer } from './holding-server.js';

const OK: GateResponse = { status: 200, headers: [], body: Buffer.from('ok') };

const SECRET = 'fp_session=SECRET-VALUE';
const secretParams = Buffer.from([11, SECRET.length, ...Buffer.from('HTTP_COOKIE'), ...Buffer.from(SECRET)]);

const MALFORMED: Array<{ name: string; bytes: Buffer; end?: boolean }> = [
  { name: 'a record with version 2', bytes: Buffer.from([2, 1, 0, 1, 0, 8, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0]) },
  { name: 'a header cut short, then close', bytes: Buffer.from([1, 1, 0]), end: true },
  {
    name: 'a name-value length near 2^31',
    bytes: Buffer.concat([
      beginRequest(1, Role.Authorizer),
      encodeRecord(
        RecordType.Params,
        1,
        Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xf0, 1]), secretParams]),
      ),
      encodeRecord(RecordType.Params, 1),
    ]),
  },
  {
    name: 'params over the limit',
    bytes: Buffer.concat([
      beginRequest(1, Role.Authorizer),
      encodeRecord(RecordType.Params, 1, Buffer.alloc(2000, 0x41)),
    ]),
  },
  { name: 'a BEGIN_REQUEST with request id 0', bytes: beginRequest(0, Role.Authorizer) },
  {
    name: 'STDIN before PARAMS ended',
    bytes: Buffer.concat([
      beginRequest(1, Role.Responder),
      encodeRecord(RecordType.Stdin, 1, Buffer.from('x')),
    ]),
  },
];

describe('FastCGI server, robustness', () => {
  it.each(MALFORMED)('closes the connection that sent $name, and only that one', async ({ bytes, end }) => {
    const { port, entered, release } = await holdingServer((params) => params.get('NAME') ?? '', {
      maxParamsBytes: 1024,
      maxStdinBytes: 1024,
    });
    const other = fcgiRequest({ port, role: 'authorizer', params: { HOLD: '1', NAME: 'other' } });
    await entered;
    const received = await sendRaw(port, bytes, end === true ? { end } : {});
    expect(received.length).toBe(0);
    release();
    expect((await other).body.toString()).toBe('other');
    expect((await fcgiRequest({ port, role: 'authorizer', params: { NAME: 'next' } })).body.toString()).toBe(
      'next',
    );
  });

  it('logs a warning that names the problem and no param value', async () => {
    const { log, lines, text } = captureLog();
    const { port } = await startServer(() => Promise.resolve(OK), { log });
    await sendRaw(port, MALFORMED[2]!.bytes);
    expect(lines()).toContainEqual(
      expect.objectContaining({ level: 40, event: 'fcgi-protocol-error', code: 'BAD_NAME_VALUE' }),
    );
    expect(text()).not.toContain('SECRET');
  });

  it.each<[string, FcgiHandler]>([
    [
      'throws',
      () => {
        throw new Error('boom');
      },
    ],
    ['rejects', () => Promise.reject(new Error('boom'))],
    [
      'returns a status that is not HTTP',
      () => Promise.resolve({ status: 0, headers: [], body: Buffer.alloc(0) }),
    ],
    ['returns nothing', () => Promise.resolve(undefined as unknown as GateResponse)],
  ])('answers Status 500 when the handler %s, then serves the next request', async (_what, failing) => {
    let calls = 0;
    const { port } = await startServer((input) => (++calls === 1 ? failing(input) : Promise.resolve(OK)));
    const failed = await fcgiRequest({ port, role: 'authorizer', params: {} });
    expect(failed.status).toBe(500);
    expect(failed.headers).toEqual([]);
    expect(failed.body.length).toBe(0);
    expect((await fcgiRequest({ port, role: 'authorizer', params: {} })).status).toBe(200);
  });

  it('keeps serving after a client resets its connection before the answer', async () => {
    const { port, server, entered, release } = await holdingServer((params) => params.get('NAME') ?? '');
    const connection = await RawFcgiConnection.open(port);
    connection.send(encodeRequest({ role: 'authorizer', params: { HOLD: '1' } }));
    await entered;
    connection.socket.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 50));
    release();
    await vi.waitUntil(() => server.inFlight === 0);
    expect((await fcgiRequest({ port, role: 'authorizer', params: { NAME: 'after' } })).body.toString()).toBe(
      'after',
    );
  });

  it('answers a client that half-closes right after sending its request', async () => {
    const { port } = await startServer(() => Promise.resolve(OK));
    const received = await sendRaw(port, encodeRequest({ role: 'authorizer', params: {} }), { end: true });
    expect(received.toString('latin1')).toContain('Status: 200\r\n\r\nok');
  });

  it('closes a connection that stays silent past the idle timeout', async () => {
    const { port } = await startServer(() => Promise.resolve(OK), { idleTimeoutMs: 100 });
    const connection = await RawFcgiConnection.open(port);
    onTestFinished(() => connection.destroy());
    await connection.waitClosed(2000);
    expect(connection.received().length).toBe(0);
  });

  it('keeps a connection whose handler takes longer than the idle timeout', async () => {
    const { port } = await startServer(
      async () => {
        await new Promise((r) => setTimeout(r, 300));
        return OK;
      },
      { idleTimeoutMs: 50 },
    );
    expect((await fcgiRequest({ port, role: 'authorizer', params: {} })).status).toBe(200);
  });
});
