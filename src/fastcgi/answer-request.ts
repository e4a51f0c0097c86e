import type { Logger } from 'pino';
import type { ActiveRequest } from './active-request.js';
import { encodeAnswer } from './encode-answer.js';
import type { FcgiHandler } from './fcgi-handler.js';
import type { GateResponse } from '../http/gate-response.js';
import { serializeCgiHead } from './serialize-cgi-head.js';

const NO_BYTES = Buffer.alloc(0);
const INTERNAL_ERROR_HEAD = 'Status: 500\r\n\r\n';

/**
 * Runs the handler for a complete request and encodes its answer; never rejects or throws. A handler
 * that throws, rejects or returns something unusable gets a bare `Status: 500`: the application has
 * its own error boundary, this one only keeps the daemon answering. An answer the handler returns at
 * once is encoded at once (no promise).
 */
export function answerRequest(
  handler: FcgiHandler,
  log: Logger,
  request: ActiveRequest,
  stdin: Buffer,
): Buffer | Promise<Buffer> {
  let response: GateResponse | Promise<GateResponse>;
  try {
    response = handler({
      role: request.role,
      params: request.params,
      stdin,
      stdinTooLarge: request.stdinTooLarge,
    });
  } catch (err) {
    return failed(log, request, err);
  }
  if (response instanceof Promise) {
    return response.then(
      (answer) => encoded(log, request, answer),
      (err: unknown) => failed(log, request, err),
    );
  }
  return encoded(log, request, response);
}

function encoded(log: Logger, request: ActiveRequest, response: GateResponse): Buffer {
  try {
    const head = serializeCgiHead(response);
    if (head.dropped > 0) {
      log.warn({ event: 'fcgi-header-dropped', count: head.dropped }, 'unsafe response header dropped');
    }
    return encodeAnswer(request.id, head.text, response.body);
  } catch (err) {
    return failed(log, request, err);
  }
}

function failed(log: Logger, request: ActiveRequest, err: unknown): Buffer {
  log.error({ event: 'fcgi-handler-failed', err }, 'FastCGI handler failed');
  return encodeAnswer(request.id, INTERNAL_ERROR_HEAD, NO_BYTES);
}
