import { connect, type Socket } from 'node:net';
import { encodeRecord } from '../../src/fastcgi/encode-record.js';
import { encodeNameValuePairs } from '../../src/fastcgi/name-value-pairs.js';
import { FCGI_KEEP_CONN, MAX_CONTENT_LENGTH, RecordType, Role } from '../../src/fastcgi/protocol.js';
import { RecordParser } from '../../src/fastcgi/record-parser.js';

/** A small FastCGI client for tests and the benchmark: one connection per request, as Apache does (NOTES §3.2). */

export interface FcgiRecord {
  readonly type: number;
  readonly requestId: number;
  readonly content: Buffer;
}

export interface FcgiRequestOptions {
  host?: string;
  port: number;
  role: 'authorizer' | 'responder';
  params: Record<string, string>;
  stdin?: Buffer;
  requestId?: number;
  timeoutMs?: number;
}

export interface FcgiAnswer {
  status: number;
  /** Every CGI header line except `Status`, names as sent, in order. */
  headers: Array<[string, string]>;
  body: Buffer;
  /** STDOUT records with content (the empty one that ends the stream is not counted). */
  stdoutRecords: number;
  /** Every byte received up to and including END_REQUEST. */
  raw: Buffer;
  protocolStatus: number;
}

export function beginRequest(requestId: number, role: number, keepConn = false): Buffer {
  return encodeRecord(
    RecordType.BeginRequest,
    requestId,
    Buffer.from([role >> 8, role & 0xff, keepConn ? FCGI_KEEP_CONN : 0, 0, 0, 0, 0, 0]),
  );
}

/** A whole stream (PARAMS or STDIN): content cut into records, then the empty record that ends it. */
export function streamRecords(type: number, requestId: number, content: Buffer): Buffer {
  const records: Buffer[] = [];
  for (let start = 0; start < content.length; start += MAX_CONTENT_LENGTH) {
    records.push(encodeRecord(type, requestId, content.subarray(start, start + MAX_CONTENT_LENGTH)));
  }
  records.push(encodeRecord(type, requestId));
  return Buffer.concat(records);
}

/** The bytes mod_authnz_fcgi (authorizer: no STDIN at all) or mod_proxy_fcgi (responder) would send. */
export function encodeRequest(
  options: Omit<FcgiRequestOptions, 'port' | 'host'> & { keepConn?: boolean },
): Buffer {
  const id = options.requestId ?? 1;
  const parts = [
    beginRequest(id, options.role === 'authorizer' ? Role.Authorizer : Role.Responder, options.keepConn),
    streamRecords(RecordType.Params, id, encodeNameValuePairs(options.params)),
  ];
  if (options.role === 'responder')
    parts.push(streamRecords(RecordType.Stdin, id, options.stdin ?? Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** Splits CGI output at the blank line (NOTES §3.5); a missing Status means 200, as in CGI. */
export function parseCgiAnswer(stdout: Buffer): {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
} {
  const end = stdout.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('CGI answer has no blank line after its headers');
  let status = 200;
  const headers: Array<[string, string]> = [];
  for (const line of stdout.toString('utf8', 0, end).split('\r\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trimStart();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else headers.push([name, value]);
  }
  return { status, headers, body: stdout.subarray(end + 4) };
}

export async function fcgiRequest(options: FcgiRequestOptions): Promise<FcgiAnswer> {
  const id = options.requestId ?? 1;
  const connection = await RawFcgiConnection.open(options.port, options.host);
  try {
    connection.send(encodeRequest(options));
    const end = await connection.waitFor(
      (r) => r.type === RecordType.EndRequest && r.requestId === id,
      options.timeoutMs,
    );
    const stdout = connection.records.filter((r) => r.type === RecordType.Stdout && r.requestId === id);
    return {
      ...parseCgiAnswer(Buffer.concat(stdout.map((r) => r.content))),
      stdoutRecords: stdout.filter((r) => r.content.length > 0).length,
      raw: connection.received(),
      protocolStatus: end.content[4]!,
    };
  } finally {
    connection.destroy();
  }
}

/** Sends bytes (optionally half-closing), resolves with everything received until the server closes. */
export async function sendRaw(
  port: number,
  bytes: Buffer,
  options: { host?: string; end?: boolean; timeoutMs?: number } = {},
): Promise<Buffer> {
  const connection = await RawFcgiConnection.open(port, options.host);
  connection.send(bytes);
  if (options.end === true) connection.end();
  await connection.waitClosed(options.timeoutMs);
  return connection.received();
}

/** A client socket that keeps every byte and record it receives, for tests that need the wire itself. */
export class RawFcgiConnection {
  readonly records: FcgiRecord[] = [];
  readonly #socket: Socket;
  readonly #chunks: Buffer[] = [];
  readonly #parser = new RecordParser();
  #isClosed = false;
  #notify: () => void = () => undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#parser.parse(chunk, (type, requestId, content) =>
        this.records.push({ type, requestId, content: Buffer.from(content) }),
      );
      this.#notify();
    });
    socket.once('close', () => {
      this.#isClosed = true;
      this.#notify();
    });
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawFcgiConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawFcgiConnection(socket));
      });
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  get socket(): Socket {
    return this.#socket;
  }

  send(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  end(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  received(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /** The first record received (now or later) that matches. */
  waitFor(match: (record: FcgiRecord) => boolean, timeoutMs = 5000): Promise<FcgiRecord> {
    return this.#until(() => this.records.find(match), timeoutMs, 'record');
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    await this.#until(() => (this.#isClosed ? true : undefined), timeoutMs, 'close');
  }

  #until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const previous = this.#notify;
      this.#notify = () => {
        previous();
        const found = check();
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else if (this.#isClosed) {
          clearTimeout(timer);
          reject(new Error(`connection closed while waiting for ${what}`));
        }
      };
      this.#notify();
    });
  }
}
