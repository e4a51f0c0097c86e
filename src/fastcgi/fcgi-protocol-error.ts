/**
 * A peer broke the FastCGI framing or exceeded a limit. The connection that produced it is closed;
 * the message never carries param values (they can hold cookies).
 */
export type FcgiProtocolErrorCode =
  | 'BAD_VERSION'
  | 'BAD_RECORD'
  | 'BAD_NAME_VALUE'
  | 'UNEXPECTED_RECORD'
  | 'PARAMS_TOO_LARGE'
  | 'CONNECTION_BUFFER_FULL'
  | 'SERVER_BUFFER_FULL'
  | 'REQUEST_TIMEOUT';

export class FcgiProtocolError extends Error {
  readonly code: FcgiProtocolErrorCode;

  constructor(code: FcgiProtocolErrorCode, message: string) {
    super(message);
    this.name = 'FcgiProtocolError';
    this.code = code;
  }
}

export function isFcgiProtocolError(e: unknown): e is FcgiProtocolError {
  return e instanceof FcgiProtocolError;
}
