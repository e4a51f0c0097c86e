import { describe, expect, it, onTestFinished } from 'vitest';
import { encodeRecord } from '../../src/fastcgi/encode-record.js';
import { decodeNameValuePairs, encodeNameValuePairs } from '../../src/fastcgi/name-value-pairs.js';
import { RecordType } from '../../src/fastcgi/protocol.js';
import { encodeRequest, RawFcgiConnection } from '../support/fcgi-client.js';
import { startServer } from './start-server.js';

async function openConnection(): Promise<RawFcgiConnection> {
  const { port } = await startServer(() =>
    Promise.resolve({ status: 200, headers: [], body: Buffer.from('served') }),
  );
  const connection = await RawFcgiConnection.open(port);
  onTestFinished(() => connection.destroy());
  return connection;
}

describe('FastCGI server, management records', () => {
  it('answers GET_VALUES with the variables it knows and leaves out the others', async () => {
    const connection = await openConnection();
    const query = encodeNameValuePairs({
      FCGI_MAX_CONNS: '',
      FCGI_MAX_REQS: '',
      FCGI_MPXS_CONNS: '',
      X_UNKNOWN: '',
    });
    connection.send(encodeRecord(RecordType.GetValues, 0, query));
    const result = await connection.waitFor((r) => r.type === RecordType.GetValuesResult);
    expect(result.requestId).toBe(0);
    const values = decodeNameValuePairs(result.content);
    expect(Object.keys(values).sort()).toEqual(['FCGI_MAX_CONNS', 'FCGI_MAX_REQS', 'FCGI_MPXS_CONNS']);
    expect(values['FCGI_MAX_CONNS']).toMatch(/^[1-9][0-9]*$/);
    expect(values['FCGI_MAX_REQS']).toMatch(/^[1-9][0-9]*$/);
    expect(values['FCGI_MPXS_CONNS']).toBe('1');
  });

  it('answers a record type it does not know with UNKNOWN_TYPE naming it, and keeps serving', async () => {
    const connection = await openConnection();
    connection.send(encodeRecord(42, 0, Buffer.from('whatever')));
    const unknown = await connection.waitFor((r) => r.type === RecordType.UnknownType);
    expect([...unknown.content]).toEqual([42, 0, 0, 0, 0, 0, 0, 0]);
    connection.send(encodeRequest({ role: 'authorizer', params: {} }));
    const stdout = await connection.waitFor((r) => r.type === RecordType.Stdout && r.content.length > 0);
    expect(stdout.content.toString()).toBe('Status: 200\r\n\r\nserved');
  });
});
