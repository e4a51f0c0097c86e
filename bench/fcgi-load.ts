/**
 * FastCGI load as mod_authnz_fcgi makes it (NOTES §3.2): a new TCP connection per check,
 * request id 1, no KEEP_CONN, close after END_REQUEST. `concurrency` loops run at once,
 * each sending the next prepared request as soon as the last one was answered.
 */
import { connect } from 'node:net';
import { RecordType } from '../src/fastcgi/protocol.js';
import { RecordParser } from '../src/fastcgi/record-parser.js';
import { encodeRequest } from '../test/support/fcgi-client.js';
import type { Measurement } from './measurement.js';
import { percentile } from './percentile.js';

export interface FcgiLoadOptions {
  readonly port: number;
  /** Encoded requests, used in turn (see `authorizerRequest`). */
  readonly requests: readonly Buffer[];
  readonly concurrency: number;
  readonly seconds: number;
}

/** An authorizer request for GET `path`, encoded as Apache sends it (see `authorizerParams`). */
export function authorizerRequest(host: string, path: string, headers: Record<string, string>): Buffer {
  return encodeRequest({ role: 'authorizer', params: authorizerParams(host, path, headers) });
}

/** The params Apache sends an authorizer for GET `path` (NOTES §3.3), with `headers` as HTTP_*. */
export function authorizerParams(
  host: string,
  path: string,
  headers: Record<string, string>,
): Record<string, string> {
  const params: Record<string, string> = {
    FCGI_ROLE: 'AUTHORIZER',
    FCGI_APACHE_ROLE: 'AUTHENTICATOR',
    HTTP_HOST: host,
    HTTP_USER_AGENT: 'fcgi-load',
    HTTP_ACCEPT: '*/*',
    HTTP_CONNECTION: 'close',
    PATH: '/usr/bin:/bin',
    SERVER_SIGNATURE: '',
    SERVER_SOFTWARE: 'Apache/2.4',
    SERVER_NAME: host,
    SERVER_ADDR: '127.0.0.1',
    SERVER_PORT: '80',
    REMOTE_ADDR: '127.0.0.1',
    DOCUMENT_ROOT: '/var/www/html',
    REQUEST_SCHEME: 'http',
    CONTEXT_PREFIX: '',
    CONTEXT_DOCUMENT_ROOT: '/var/www/html',
    SERVER_ADMIN: 'webmaster@localhost',
    SCRIPT_FILENAME: `/var/www/html${path}`,
    REMOTE_PORT: '40000',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: 'GET',
    QUERY_STRING: '',
    REQUEST_URI: path,
    SCRIPT_NAME: path,
  };
  for (const [name, value] of Object.entries(headers)) {
    params[`HTTP_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  }
  return params;
}

export async function fcgiLoad(o: FcgiLoadOptions): Promise<Measurement> {
  const latencies: number[] = [];
  let nonSuccess = 0;
  let socketErrors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const request = o.requests[next++ % o.requests.length]!;
      const sent = performance.now();
      try {
        const status = await exchange(o.port, request);
        latencies.push(performance.now() - sent);
        // Counted as wrk does: anything but 2xx or 3xx.
        if (status >= 400) nonSuccess++;
      } catch {
        socketErrors++;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    nonSuccess,
    socketErrors,
  };
}

/** One connection, one request; resolves with the answer's status. */
function exchange(port: number, request: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    const parser = new RecordParser();
    let head = '';
    let ended = false;
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) =>
      parser.parse(chunk, (type, _id, content) => {
        if (type === RecordType.Stdout && head.length < 64) head += content.toString('latin1', 0, 64);
        if (type !== RecordType.EndRequest) return;
        ended = true;
        socket.destroy();
        resolve(Number(/^Status: (\d+)/i.exec(head)?.[1] ?? 200));
      }),
    );
    socket.once('error', reject);
    socket.once('close', () => {
      if (!ended) reject(new Error('closed before END_REQUEST'));
    });
  });
}
