import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { ActiveRequest } from './active-request.js';
import { ActiveRequests } from './active-requests.js';
import { answerGetValues } from './answer-get-values.js';
import { answerRequest } from './answer-request.js';
import { encodeEndRequest } from './encode-end-request.js';
import { encodeUnknownType } from './encode-unknown-type.js';
import type { FcgiHandler } from './fcgi-handler.js';
import { FcgiProtocolError, isFcgiProtocolError } from './fcgi-protocol-error.js';
import { NameValuePairs } from './name-value-pairs.js';
import { FCGI_KEEP_CONN, ProtocolStatus, RecordType, Role } from './protocol.js';
import { RecordParser } from './record-parser.js';

/** What a connection needs from its server. */
export interface ConnectionHost {
  readonly handler: FcgiHandler;
  readonly log: Logger;
  readonly maxParamsBytes: number;
  /** STDIN past this is not buffered: the request is answered at once, flagged `stdinTooLarge`. */
  readonly maxStdinBytes: number;
  /** Bytes one connection may hold of requests and records not yet complete. */
  readonly maxConnectionBufferBytes: number;
  /** 0 disables; see `FcgiServerOptions`. */
  readonly idleTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Answers to GET_VALUES (§4.1). */
  readonly values: Readonly<Record<string, string>>;
  /** True when no new request may start (shutting down, or too many in flight). */
  refusesRequests(): boolean;
  requestStarted(): void;
  requestSettled(): void;
  /** Adds `delta` to the bytes every connection holds; false when the total is now over the server's cap. */
  holdBytes(delta: number): boolean;
  connectionClosed(connection: FcgiConnection): void;
}

/** Bounds the memory one connection can pin with half-received multiplexed requests. */
const MAX_REQUESTS_PER_CONNECTION = 64;
const NO_BYTES = Buffer.alloc(0);

/** One accepted socket: parses records, runs complete requests through the handler, writes answers. */
export class FcgiConnection {
  readonly #socket: Socket;
  readonly #host: ConnectionHost;
  readonly #parser = new RecordParser();
  readonly #requests = new ActiveRequests();
  /** Set once a request without KEEP_CONN ended (§5.1), or the peer half-closed. */
  #closeWhenIdle = false;
  #shuttingDown = false;
  /** Bytes of this connection counted in the server's total (`holdBytes`). */
  #held = 0;
  /** When the record the parser holds a part of began to arrive; undefined when it holds none. */
  #partialSince: number | undefined;
  /** The last time a request began or an answer was written: bytes alone do not keep a connection. */
  #lastProgress = performance.now();
  /** Reading stops while answers wait in the socket's buffer for a peer that does not read them. */
  #paused = false;

  constructor(
    socket: Socket,
    host: ConnectionHost,
    /** Where the server keeps it (`OpenConnections`). */
    readonly slot: number,
  ) {
    this.#socket = socket;
    this.#host = host;
    socket.setNoDelay(true);
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
  }

  /** Server shutdown: close now when nothing is in progress, else after the last answer. */
  shutdown(): void {
    this.#shuttingDown = true;
    this.#closeIfIdle();
  }

  readonly #onData = (chunk: Buffer): void => {
    try {
      this.#parser.parse(chunk, this.#onRecord);
      if (this.#parser.buffered > 0) this.#partialSince ??= performance.now();
      this.#hold();
    } catch (err) {
      this.#fail(err);
    }
  };

  readonly #onRecord = (type: number, requestId: number, content: Buffer): void => {
    this.#partialSince = undefined;
    // After our FIN (a request without KEEP_CONN was answered) the peer has nothing left to ask.
    if (!this.#socket.writable) return;
    switch (type) {
      case RecordType.BeginRequest:
        return this.#begin(requestId, content);
      case RecordType.Params:
        return this.#params(requestId, content);
      case RecordType.Stdin:
        return this.#stdin(requestId, content);
      case RecordType.AbortRequest:
        return this.#abort(requestId);
      case RecordType.Data:
        return; // only FILTER reads DATA, and FILTER is refused
      case RecordType.GetValues:
        return this.#write(answerGetValues(content, this.#host.values));
      default:
        return this.#write(encodeUnknownType(type));
    }
  };

  #begin(id: number, content: Buffer): void {
    if (id === 0 || content.length < 8) {
      throw new FcgiProtocolError('BAD_RECORD', 'malformed BEGIN_REQUEST');
    }
    if (this.#requests.get(id) !== undefined) {
      throw new FcgiProtocolError('UNEXPECTED_RECORD', `request id ${id} is already active`);
    }
    const role = content.readUInt16BE(0);
    const keepConn = (content[2]! & FCGI_KEEP_CONN) !== 0;
    if (role !== Role.Authorizer && role !== Role.Responder) {
      return this.#send(encodeEndRequest(id, ProtocolStatus.UnknownRole), keepConn);
    }
    if (this.#requests.size >= MAX_REQUESTS_PER_CONNECTION || this.#host.refusesRequests()) {
      return this.#send(encodeEndRequest(id, ProtocolStatus.Overloaded), keepConn);
    }
    const request = new ActiveRequest(
      id,
      role === Role.Authorizer ? 'authorizer' : 'responder',
      keepConn,
      performance.now(),
    );
    this.#requests.add(request);
    this.#lastProgress = request.startedAt;
  }

  #params(id: number, content: Buffer): void {
    const request = this.#requests.get(id);
    if (request === undefined) return; // §3.3: records for inactive ids are ignored
    if (request.phase !== 'params') {
      throw new FcgiProtocolError('UNEXPECTED_RECORD', 'PARAMS after the stream ended');
    }
    if (content.length > 0) {
      return this.#append(request, content, this.#host.maxParamsBytes, 'PARAMS_TOO_LARGE');
    }
    request.params = new NameValuePairs(request.take());
    // An authorizer is complete here: Apache sends no STDIN at all (NOTES §3.4).
    if (request.role === 'authorizer') return this.#dispatch(request, NO_BYTES);
    request.phase = 'stdin';
  }

  #stdin(id: number, content: Buffer): void {
    const request = this.#requests.get(id);
    if (request === undefined || request.phase === 'handling') return;
    if (request.phase === 'params') {
      throw new FcgiProtocolError('UNEXPECTED_RECORD', 'STDIN before PARAMS ended');
    }
    if (content.length === 0) return this.#dispatch(request, request.take());
    if (request.bytes + content.length <= this.#host.maxStdinBytes) return request.append(content);
    // A body over the limit gets its page now, not after the rest has trickled in: the rest of
    // this request's STDIN is ignored (§3.3: records for a request that is not active).
    request.take();
    request.stdinTooLarge = true;
    this.#dispatch(request, NO_BYTES);
  }

  #append(request: ActiveRequest, content: Buffer, limit: number, code: 'PARAMS_TOO_LARGE'): void {
    if (request.bytes + content.length > limit) {
      throw new FcgiProtocolError(code, `request stream exceeds ${limit} bytes`);
    }
    request.append(content);
  }

  #abort(id: number): void {
    const request = this.#requests.get(id);
    if (request === undefined) return;
    this.#requests.delete(id);
    this.#send(encodeEndRequest(id, ProtocolStatus.RequestComplete), request.keepConn);
  }

  #dispatch(request: ActiveRequest, stdin: Buffer): void {
    request.phase = 'handling';
    this.#host.requestStarted();
    const answer = answerRequest(this.#host.handler, this.#host.log, request, stdin);
    if (answer instanceof Promise) void answer.then((bytes) => this.#answered(request, bytes));
    else this.#answered(request, answer);
  }

  #answered(request: ActiveRequest, answer: Buffer): void {
    try {
      // An aborted request, or one whose connection died, is no longer in the map: drop its answer.
      if (this.#requests.get(request.id) === request) {
        this.#requests.delete(request.id);
        this.#send(answer, request.keepConn);
      }
    } catch (err) {
      this.#fail(err);
    } finally {
      this.#host.requestSettled();
    }
  }

  /** A request's final bytes go out in one write (NOTES G5), then the close its flags ask for (§5.1). */
  #send(bytes: Buffer, keepConn: boolean): void {
    if (!keepConn) this.#closeWhenIdle = true;
    if (!this.#socket.writable) return;
    this.#write(bytes);
    this.#lastProgress = performance.now();
    this.#closeIfIdle();
  }

  /**
   * Backpressure: once the socket's buffer is past its high-water mark, stop reading until it drains.
   * A peer that sends requests and never reads the answers then fills its own buffers, not ours.
   */
  #write(bytes: Buffer): void {
    if (this.#socket.write(bytes) || this.#paused) return;
    this.#paused = true;
    this.#socket.pause();
    // Listened for only now: a listener more on every connection was garbage on every check.
    this.#socket.once('drain', this.#onDrain);
  }

  readonly #onDrain = (): void => {
    this.#paused = false;
    this.#socket.resume();
  };

  /** Counts what this connection holds, here and in the server's total; over either cap it is closed. */
  #hold(): void {
    const held = this.#parser.reserved + this.#requests.bytes();
    const delta = held - this.#held;
    this.#held = held;
    const totalOk = delta === 0 || this.#host.holdBytes(delta);
    if (held > this.#host.maxConnectionBufferBytes) {
      throw new FcgiProtocolError('CONNECTION_BUFFER_FULL', 'connection holds too much unfinished input');
    }
    if (!totalOk) throw new FcgiProtocolError('SERVER_BUFFER_FULL', 'all connections hold too much input');
  }

  /**
   * The peer owes input by two deadlines: a request begun must be complete (and a record begun must
   * arrive) within `requestTimeoutMs`, however it trickles; a connection with no handler running must
   * start a request within `idleTimeoutMs` of its last one. A slow handler is not the peer's fault.
   */
  #deadlines(): { input: number; idle: number } {
    const { requestTimeoutMs, idleTimeoutMs } = this.#host;
    let started = this.#partialSince ?? Infinity;
    let handling = false;
    for (const request of this.#requests.list()) {
      if (request.phase === 'handling') handling = true;
      else if (request.startedAt < started) started = request.startedAt;
    }
    return {
      input: requestTimeoutMs > 0 ? started + requestTimeoutMs : Infinity,
      idle: idleTimeoutMs > 0 && !handling ? this.#lastProgress + idleTimeoutMs : Infinity,
    };
  }

  /**
   * The server's sweep calls this for every open connection: one timer for all of them, not one
   * per connection, which with Apache's connection per check was an eighth of what a check
   * allocated (issue 18). A deadline is enforced up to one sweep period late.
   */
  checkDeadlines(now: number): void {
    if (this.#socket.destroyed) return;
    const { input, idle } = this.#deadlines();
    if (input <= now) {
      this.#fail(new FcgiProtocolError('REQUEST_TIMEOUT', 'request input not complete in time'));
    } else if (idle <= now) {
      this.#host.log.debug({ event: 'fcgi-idle-timeout' }, 'closing idle connection');
      this.#socket.destroy();
    }
  }

  /**
   * Normally a FIN after the answer, and the peer closes (NOTES G11). At shutdown the socket is destroyed
   * once flushed, because a pooled mod_proxy_fcgi connection would never close its side.
   */
  #closeIfIdle(): void {
    if (this.#requests.size > 0) return;
    if (this.#shuttingDown) this.#socket.destroySoon();
    else if (this.#closeWhenIdle && this.#socket.writable) this.#socket.end();
  }

  #fail(err: unknown): void {
    if (isFcgiProtocolError(err)) {
      // The code and a fixed message only: params can hold cookies.
      this.#host.log.warn(
        { event: 'fcgi-protocol-error', code: err.code, reason: err.message },
        'closing connection',
      );
    } else {
      this.#host.log.error({ event: 'fcgi-connection-failed', err }, 'closing connection');
    }
    this.#requests.clear();
    this.#socket.destroy();
  }

  /** The peer half-closed: requests still receiving input can never complete; the others are answered. */
  readonly #onEnd = (): void => {
    if (this.#parser.buffered > 0) {
      this.#host.log.warn(
        { event: 'fcgi-protocol-error', code: 'TRUNCATED' },
        'stream ended inside a record',
      );
    }
    for (const request of this.#requests.list()) {
      if (request.phase !== 'handling') this.#requests.delete(request.id);
    }
    this.#partialSince = undefined;
    this.#closeWhenIdle = true;
    this.#closeIfIdle();
  };

  readonly #onError = (err: NodeJS.ErrnoException): void => {
    this.#host.log.debug({ event: 'fcgi-socket-error', code: err.code }, 'socket error');
  };

  readonly #onClose = (): void => {
    this.#requests.clear();
    if (this.#held !== 0) this.#host.holdBytes(-this.#held);
    this.#held = 0;
    this.#host.connectionClosed(this);
  };
}
