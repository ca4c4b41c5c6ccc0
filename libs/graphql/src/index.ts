export { AppError } from './app-error';
export type { ErrorCode } from './app-error';
export { formatGraphQLError } from './format-error';
export { GraphQLJSON } from './json.scalar';
export { PageInfo } from './page-info.object';
export { queryLimitsRule } from './query-limits';
export type { QueryLimits } from './query-limits';
