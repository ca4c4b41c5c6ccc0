import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from './app-error';

const passThroughCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Maps errors to what a client may see, once for the whole API: AppErrors keep their code and
 * message; Apollo's own request errors keep theirs; anything else is an internal error whose
 * message stays in the server log.
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: (err: unknown) => void = () => undefined,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof AppError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: original.code, ...(original.details ?? {}) },
    };
  }
  const code = formatted.extensions?.code;
  if (formatted.extensions?.limit) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT', limit: formatted.extensions.limit } };
  }
  if (typeof code === 'string' && passThroughCodes.has(code)) {
    // Nest's ValidationPipe-like errors and argument coercion land here; they are the caller's fault.
    return { ...formatted, extensions: { code: code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED' ? code : 'BAD_USER_INPUT' } };
  }
  if (original instanceof GraphQLError && !original.originalError) {
    // Errors raised by graphql-js itself (coercion of variables, unknown fields…).
    return { ...formatted, extensions: { code: typeof code === 'string' ? code : 'BAD_USER_INPUT' } };
  }
  log(original);
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
