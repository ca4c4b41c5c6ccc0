import type { Provider } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import { REDIS } from '@tocsin/queue';
import type { LateWriteListener } from '@tocsin/tsdb';
import type { PromQLEngine } from '../engine/engine';
import { PROMQL_ENGINE, QUERY_RESULTS_CACHE } from '../promql.tokens';
import { cacheInvalidatingListener, RedisCacheGenerations, type GenerationsRedis } from './generations';
import { QueryResultsCache } from './results-cache';

export { QUERY_RESULTS_CACHE };

function generationsOf(redis: GenerationsRedis): RedisCacheGenerations {
  return new RedisCacheGenerations(redis, loadConfig().REDIS_PREFIX);
}

/**
 * For every TsdbWriter and RetentionService of a process (api ingest, recording rules, probes,
 * the worker's retention): without it their late writes and deletions would leave stale
 * answers in the api's caches.
 */
export function cacheInvalidation(redis: GenerationsRedis): {
  lateWrites: LateWriteListener;
  onDeleted: (orgId: string) => Promise<void>;
} {
  const generations = generationsOf(redis);
  return {
    lateWrites: cacheInvalidatingListener(generations, loadConfig().QUERY_CACHE_FRESHNESS_SECONDS * 1000),
    onDeleted: (orgId) => generations.bump(orgId),
  };
}

/** One results cache per api process, in front of the process's engine. */
export const queryResultsCacheProvider: Provider = {
  provide: QUERY_RESULTS_CACHE,
  inject: [PROMQL_ENGINE, REDIS],
  useFactory: (engine: PromQLEngine, redis: GenerationsRedis) => {
    const config = loadConfig();
    return new QueryResultsCache({
      engine,
      generations: generationsOf(redis),
      maxBytes: config.QUERY_CACHE_MAX_BYTES,
      maxBytesPerOrg: config.QUERY_CACHE_MAX_BYTES_PER_ORG,
      freshnessMs: config.QUERY_CACHE_FRESHNESS_SECONDS * 1000,
      splitIntervalMs: config.QUERY_CACHE_SPLIT_SECONDS * 1000,
    });
  },
};
