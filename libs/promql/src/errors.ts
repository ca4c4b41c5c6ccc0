/** Prometheus' API error types, with the HTTP status the Prometheus API answers them with. */
export type PromErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal';

const HTTP_STATUS: Record<PromErrorType, number> = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  canceled: 503,
  internal: 500,
};

/** Any failure of parsing or evaluating a query; `errorType` decides the HTTP status. */
export class PromQLError extends Error {
  constructor(
    readonly errorType: PromErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'PromQLError';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.errorType];
  }
}

/** A parse error carrying Prometheus' `line:col: parse error: …` text. */
export class PromQLParseError extends PromQLError {
  constructor(
    readonly position: { line: number; column: number; offset: number },
    readonly detail: string,
  ) {
    super('bad_data', `${position.line}:${position.column}: parse error: ${detail}`);
    this.name = 'PromQLParseError';
  }
}

export function executionError(message: string): PromQLError {
  return new PromQLError('execution', message);
}

export const TOO_MANY_SAMPLES_MESSAGE =
  'query processing would load too many samples into memory in query execution';
export const TIMEOUT_MESSAGE = 'query timed out in query execution';
