import { createServer, type Socket } from 'node:net';

export interface FakeCall {
  readonly role: 'authorizer' | 'responder';
  readonly params: ReadonlyMap<string, string>;
  readonly stdin: string;
}

export interface FakeFastcgi {
  readonly port: number;
  /** Every request Apache made, in order. */
  readonly calls: readonly FakeCall[];
  close(): Promise<void>;
}

/**
 * A stand-in for the daemon, just enough FastCGI 1.0 to answer Apache: one request per
 * connection, the whole CGI response (`Status: ...\r\n...\r\n\r\nbody`) in one STDOUT record
 * (G5), then END_REQUEST and close. Independent of src/fastcgi so these tests judge Apache only.
 */
export async function fakeFastcgi(answer: (call: FakeCall) => string): Promise<FakeFastcgi> {
  const calls: FakeCall[] = [];
  const server = createServer((socket) => serve(socket, answer, calls));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('fake FastCGI has no port');
  return {
    port: address.port,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function serve(socket: Socket, answer: (call: FakeCall) => string, calls: FakeCall[]): void {
  let buffer = Buffer.alloc(0);
  let role = 0;
  let requestId = 1;
  let params = Buffer.alloc(0);
  let stdin = Buffer.alloc(0);
  let paramsDone = false;
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    // FastCGI 1.0 §3.3: version, type, requestId u16, contentLength u16, paddingLength, reserved.
    while (buffer.length >= 8) {
      const type = buffer[1]!;
      const length = buffer.readUInt16BE(4);
      const total = 8 + length + buffer[6]!;
      if (buffer.length < total) return;
      const content = buffer.subarray(8, 8 + length);
      requestId = buffer.readUInt16BE(2);
      buffer = buffer.subarray(total);
      if (type === 1) role = content.readUInt16BE(0);
      if (type === 4 && length > 0) params = Buffer.concat([params, content]);
      if (type === 5 && length > 0) stdin = Buffer.concat([stdin, content]);
      if (type === 4 && length === 0) paramsDone = true;
      // An authorizer gets no STDIN at all (NOTES §3.4); a responder's ends with an empty one.
      const ready =
        (role === 2 && type === 4 && length === 0) ||
        (role === 1 && paramsDone && type === 5 && length === 0);
      if (!ready) continue;
      const call: FakeCall = {
        role: role === 2 ? 'authorizer' : 'responder',
        params: decodeParams(params),
        stdin: stdin.toString('utf8'),
      };
      calls.push(call);
      const end = Buffer.alloc(8); // appStatus 0, FCGI_REQUEST_COMPLETE
      socket.end(
        Buffer.concat([
          record(6, requestId, Buffer.from(answer(call))),
          record(6, requestId),
          record(3, requestId, end),
        ]),
      );
      return;
    }
  });
}

function record(type: number, requestId: number, content = Buffer.alloc(0)): Buffer {
  const header = Buffer.from([1, type, 0, 0, 0, 0, 0, 0]);
  header.writeUInt16BE(requestId, 2);
  header.writeUInt16BE(content.length, 4);
  return Buffer.concat([header, content]);
}

/** FastCGI 1.0 §3.4: lengths below 128 take one byte, others four with the top bit set. */
function decodeParams(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  const length = (): number => {
    const first = data[at]!;
    if (first < 128) {
      at += 1;
      return first;
    }
    const n = data.readUInt32BE(at) & 0x7fffffff;
    at += 4;
    return n;
  };
  while (at < data.length) {
    const nameLength = length();
    const valueLength = length();
    const name = data.toString('latin1', at, at + nameLength);
    out.set(name, data.toString('latin1', at + nameLength, at + nameLength + valueLength));
    at += nameLength + valueLength;
  }
  return out;
}
