import type { Operation } from './operations';

/** The error codes the api puts in `extensions.code`, plus two for failures before it answers. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

const KNOWN_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
]);

/** What a person can do about each kind of failure; shown under the api's own message. */
const NEXT_STEP: Record<ApiErrorCode, string> = {
  UNAUTHENTICATED: 'Your session has ended. Log in again to continue.',
  FORBIDDEN: 'Your role in this organization does not allow this. Ask an owner or admin.',
  NOT_FOUND: 'It may have been removed or never existed. Reload the page to see the current state.',
  BAD_USER_INPUT: 'Correct the input and try again.',
  RATE_LIMITED: 'Too many attempts. Wait a few minutes, then try again.',
  UNAVAILABLE: 'The Tocsin API could not be reached. Check your connection and try again shortly.',
  INTERNAL: 'Something went wrong on our side. Try again; if it keeps happening, contact support.',
};

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: ApiErrorCode,
    /** Field-level details some BAD_USER_INPUT errors carry. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get nextStep(): string {
    return NEXT_STEP[this.code];
  }
}

/** Normalises anything a request can throw into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof Error && error.name === 'AbortError') throw error;
  return new ApiError('The Tocsin API could not be reached.', 'UNAVAILABLE');
}

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface RequestOptions {
  /** Absolute URL on the server; the same-origin '/graphql' proxy in the browser. */
  endpoint?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Sends one operation and returns its data, or throws an ApiError carrying the first error's
 * code. GraphQL answers errors with HTTP 200 as well as 4xx, so the body decides, not the status.
 */
export async function request<TData, TVariables>(
  operation: Operation<TData, TVariables>,
  variables: TVariables,
  options: RequestOptions = {},
): Promise<TData> {
  let response: Response;
  try {
    response = await fetch(options.endpoint ?? '/graphql', {
      method: 'POST',
      // application/json also satisfies Apollo's CSRF prevention (no simple-request POSTs).
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...options.headers,
      },
      body: JSON.stringify({ query: operation.toString(), variables }),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (error) {
    throw toApiError(error);
  }
  let body: GraphQLResponse<TData>;
  try {
    body = (await response.json()) as GraphQLResponse<TData>;
  } catch {
    // A proxy error page (502) or an empty body: the api is down or restarting.
    throw new ApiError(
      `The Tocsin API answered with HTTP ${response.status}.`,
      response.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL',
    );
  }
  const first = body.errors?.[0];
  if (first) {
    const raw = typeof first.extensions?.code === 'string' ? first.extensions.code : '';
    const code: ApiErrorCode = KNOWN_CODES.has(raw) ? (raw as ApiErrorCode) : 'INTERNAL';
    throw new ApiError(first.message || 'The request failed.', code, first.extensions ?? {});
  }
  if (!body.data) throw new ApiError('The Tocsin API returned no data.', 'INTERNAL');
  return body.data;
}
