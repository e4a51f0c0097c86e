import { pino, type Logger, type DestinationStream } from 'pino';
import type { LogLevel } from '../config/config.js';

/**
 * JSON logs with stable `event` names. Secrets never reach a log line: call sites
 * log paths, never URIs with queries, cookies or Authorization headers; the
 * redaction below is a second fence for objects logged whole by mistake.
 */
const REDACT = [
  'cookie',
  'authorization',
  'password',
  'pass',
  'token',
  'secret',
  'query',
  '*.cookie',
  '*.authorization',
  '*.password',
  '*.pass',
  '*.token',
  '*.secret',
  '*.query',
  'params.HTTP_COOKIE',
  'params.HTTP_AUTHORIZATION',
  'params.QUERY_STRING',
  'params.REQUEST_URI',
];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { name: 'forgetpw' },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
