/**
 * Faults (not expected outcomes) carry a stable code, as jose's errors do.
 * Expected outcomes of a request are values returned by the flows, never thrown.
 */
export type AppErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_EXISTS'
  | 'DSN_INVALID'
  | 'DB_UNAVAILABLE'
  | 'DB_NOT_MIGRATED'
  | 'TEMPLATE_MISSING'
  | 'TEMPLATE_INVALID'
  | 'MAIL_FAILED'
  | 'ADDRESS_INVALID'
  | 'DOMAIN_INVALID'
  | 'USAGE'
  | 'INTERNAL';

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Extra lines shown to an operator (e.g. every config problem). Never secrets. */
  readonly details: readonly string[];

  constructor(
    code: AppErrorCode,
    message: string,
    options: { cause?: unknown; details?: readonly string[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details ?? [];
  }
}

export function isAppError(e: unknown, code?: AppErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
