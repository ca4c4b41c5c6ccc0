/** Stable error codes every API surface speaks; clients branch on these, never on messages. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR';

const httpStatus: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  INTERNAL_SERVER_ERROR: 500,
};

/**
 * An error meant for the caller: its message is safe to show and its code is stable. Anything
 * else that escapes a resolver is reported as INTERNAL_SERVER_ERROR without its message.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return httpStatus[this.code];
  }

  static unauthenticated(message = 'Sign in first, or send a valid API key'): AppError {
    return new AppError('UNAUTHENTICATED', message);
  }
  static forbidden(message = 'Your role does not allow this'): AppError {
    return new AppError('FORBIDDEN', message);
  }
  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }
  static badInput(message: string, details?: Record<string, unknown>): AppError {
    return new AppError('BAD_USER_INPUT', message, details);
  }
  static rateLimited(message: string, retryAfterSeconds: number): AppError {
    return new AppError('RATE_LIMITED', message, { retryAfterSeconds });
  }
}
