export const SERIES_READER = Symbol('SERIES_READER');
export const PROMQL_ENGINE = Symbol('PROMQL_ENGINE');
export const QUERY_RESULTS_CACHE = Symbol('QUERY_RESULTS_CACHE');
