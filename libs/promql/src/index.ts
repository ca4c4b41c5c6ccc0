export * from './errors';
export type * from './parser/ast';
export { isComparison, isSetOp } from './parser/ast';
export { FUNCTIONS, type FunctionSignature } from './parser/functions';
export { compileAnchoredRegex, parseGoNumber, parsePromDuration, unquoteString } from './parser/literals';
export { parsePromQL, parseSeriesSelector, typeName, typeOf } from './parser/parser';
export {
  createEngine,
  collectSelectors,
  toPromData,
  DEFAULT_LOOKBACK_DELTA_MS,
  DEFAULT_MAX_POINTS,
  DEFAULT_MAX_SAMPLES,
  DEFAULT_SUBQUERY_STEP_MS,
  DEFAULT_TIMEOUT_MS,
  type EngineOptions,
  type PromQLEngine,
  type PromQueryData,
  type QueryOptions,
  type QueryResult,
  type QueryTimings,
} from './engine/engine';
export { formatFloatPlain, formatSampleValue, formatTimestamp } from './engine/format';
export { compareLabels, labelsKey } from './engine/labels';
export * from './http/prom-api';
export { QUERY_RESULTS_CACHE, cacheInvalidation } from './cache/cache.providers';
export {
  QueryResultsCache,
  isSplittable,
  type CacheStats,
  type CachedRangeOptions,
  type ResultsCacheOptions,
} from './cache/results-cache';
export {
  MemoryCacheGenerations,
  RedisCacheGenerations,
  cacheInvalidatingListener,
  CLOCK_SKEW_ALLOWANCE_MS,
  type CacheGenerations,
  type GenerationsRedis as CacheGenerationsRedis,
} from './cache/generations';
export { MemorySeriesReader, matchesLabel, type MemorySample } from './testing/memory-series-reader';
export { samplesEvery } from './testing/series-fixtures';
export { PROMQL_ENGINE, PromqlModule, SERIES_READER } from './promql.module';
export { DashboardsModule } from './dashboards/dashboards.module';
export { DashboardsRepository, type DashboardRow } from './dashboards/dashboards.repository';
export { fromGrafana, parseDefinition, type DashboardDefinition } from './dashboards/dashboard-definition';
