import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { FcgiConnection, type ConnectionHost } from './fcgi-connection.js';
import type { FcgiHandler } from './fcgi-handler.js';
import { OpenConnections } from './open-connections.js';

export type { FcgiHandler, FcgiInput } from './fcgi-handler.js';

export interface FcgiServerOptions {
  /** Used as given: the caller makes the component's child logger. */
  log: Logger;
  /** Total PARAMS bytes one request may send; more closes the connection. */
  maxParamsBytes?: number;
  /** STDIN bytes one responder request may send; past them it is answered at once with `stdinTooLarge`. */
  maxStdinBytes?: number;
  /** A connection with no handler running that begins no request for this long is closed; 0 disables. */
  idleTimeoutMs?: number;
  /** A request's PARAMS and STDIN (and any record begun) must arrive within this of BEGIN_REQUEST; 0 disables. */
  requestTimeoutMs?: number;
  /** Connections open at once; the kernel hands over more, and they are closed at once. */
  maxConnections?: number;
  /** Unfinished input (partial records, streams of requests not yet complete) one connection may hold. */
  maxConnectionBufferBytes?: number;
  /** The same, summed over every connection: the connection that goes past it is closed. */
  maxBufferedBytes?: number;
}

export interface FcgiServer {
  listen(port: number, host: string): Promise<{ host: string; port: number }>;
  /** Stops accepting, lets in-flight requests finish and be written, closes the rest. */
  close(): Promise<void>;
  /** Requests handed to the handler whose answer is not written yet. */
  readonly inFlight: number;
}

const DEFAULTS = {
  maxParamsBytes: 64 * 1024,
  // The gate's forms are two short fields (issue 11).
  maxStdinBytes: 16 * 1024,
  // Apache gives up on a silent FastCGI peer after 30 s (FCGI_IO_TIMEOUT, NOTES §3.2).
  idleTimeoutMs: 30_000,
  requestTimeoutMs: 30_000,
  maxConnections: 1024,
  // Room for a few requests at their PARAMS limit; Apache sends one request per connection.
  maxConnectionBufferBytes: 256 * 1024,
  maxBufferedBytes: 64 * 1024 * 1024,
};
/** Past this many requests in flight new ones get OVERLOADED (§5.5) instead of queueing without bound. */
const MAX_REQUESTS = 1024;

export function createFcgiServer(handler: FcgiHandler, options: FcgiServerOptions): FcgiServer {
  return new NetFcgiServer(handler, options);
}

class NetFcgiServer implements FcgiServer, ConnectionHost {
  readonly handler: FcgiHandler;
  readonly log: Logger;
  readonly maxParamsBytes: number;
  readonly maxStdinBytes: number;
  readonly maxConnectionBufferBytes: number;
  readonly idleTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly values: Readonly<Record<string, string>>;
  readonly #maxBufferedBytes: number;
  readonly #server: Server;
  readonly #connections = new OpenConnections<FcgiConnection>();
  #inFlight = 0;
  #buffered = 0;
  #dropped = 0;
  #closing: Promise<void> | undefined;
  #serverClosed = false;
  #resolveClosed: (() => void) | undefined;
  /** Checks every open connection against its deadlines (`FcgiConnection.checkDeadlines`). */
  #sweep: NodeJS.Timeout | undefined;

  constructor(handler: FcgiHandler, options: FcgiServerOptions) {
    this.handler = handler;
    this.log = options.log;
    this.maxParamsBytes = options.maxParamsBytes ?? DEFAULTS.maxParamsBytes;
    this.maxStdinBytes = options.maxStdinBytes ?? DEFAULTS.maxStdinBytes;
    this.maxConnectionBufferBytes = options.maxConnectionBufferBytes ?? DEFAULTS.maxConnectionBufferBytes;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes;
    const maxConnections = options.maxConnections ?? DEFAULTS.maxConnections;
    this.values = {
      FCGI_MAX_CONNS: String(maxConnections),
      FCGI_MAX_REQS: String(MAX_REQUESTS),
      FCGI_MPXS_CONNS: '1',
    };
    // Half-open: a peer that sends its request and then shuts down writing still gets the answer.
    this.#server = createServer({ allowHalfOpen: true, noDelay: true }, this.#onConnection);
    // Node closes a connection over the cap as it accepts it: the peer sees a close, not a hang.
    this.#server.maxConnections = maxConnections;
    this.#server.on('drop', this.#onDrop);
    this.#server.on('error', this.#onServerError);
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  listen(port: number, host: string): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const server = this.#server;
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        this.#startSweep();
        const address = server.address() as AddressInfo;
        this.log.info(
          { event: 'fcgi-listening', host: address.address, port: address.port },
          'FastCGI listening',
        );
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  close(): Promise<void> {
    this.#closing ??= new Promise((resolve) => {
      this.#resolveClosed = resolve;
      this.#server.close(() => {
        this.#serverClosed = true;
        this.#settleClose();
      });
      for (const connection of this.#connections) connection.shutdown();
    });
    return this.#closing;
  }

  refusesRequests(): boolean {
    return this.#closing !== undefined || this.#inFlight >= MAX_REQUESTS;
  }

  requestStarted(): void {
    this.#inFlight++;
  }

  requestSettled(): void {
    this.#inFlight--;
    this.#settleClose();
  }

  holdBytes(delta: number): boolean {
    this.#buffered += delta;
    return this.#buffered <= this.#maxBufferedBytes;
  }

  connectionClosed(connection: FcgiConnection): void {
    this.#connections.remove(connection.slot);
  }

  readonly #onConnection = (socket: Socket): void => {
    const connection = this.#connections.add((slot) => new FcgiConnection(socket, this, slot));
    if (this.#closing !== undefined) connection.shutdown();
  };

  /** One warning per burst of refused connections, not one per connection. */
  readonly #onDrop = (): void => {
    if (this.#dropped++ > 0) return;
    setTimeout(() => {
      this.log.warn(
        { event: 'fcgi-connections-refused', count: this.#dropped, max: this.#server.maxConnections },
        'too many FastCGI connections: new ones closed',
      );
      this.#dropped = 0;
    }, 1000).unref();
  };

  readonly #onServerError = (err: Error): void => {
    this.log.error({ event: 'fcgi-server-error', err }, 'FastCGI server error');
  };

  #settleClose(): void {
    if (!this.#serverClosed || this.#inFlight > 0) return;
    clearInterval(this.#sweep);
    this.#resolveClosed?.();
  }

  #startSweep(): void {
    const period = sweepPeriod(this.idleTimeoutMs, this.requestTimeoutMs);
    if (period === undefined || this.#sweep !== undefined) return;
    this.#sweep = setInterval(() => {
      const now = performance.now();
      for (const connection of this.#connections) connection.checkDeadlines(now);
    }, period);
    this.#sweep.unref();
  }
}

/**
 * A tenth of the shortest timeout, within 10 ms and 1 s: with the defaults of 30 s a silent peer is
 * closed at most a second late, and the sweep walks the open connections once a second.
 */
export function sweepPeriod(...timeoutsMs: number[]): number | undefined {
  const shortest = Math.min(...timeoutsMs.filter((ms) => ms > 0));
  return shortest === Infinity ? undefined : Math.min(1000, Math.max(10, Math.floor(shortest / 10)));
}
