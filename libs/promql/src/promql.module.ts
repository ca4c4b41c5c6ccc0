import { Global, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@tocsin/db';
import { OrganizationLimitsCache, type OrganizationLimitsRow } from '@tocsin/tenancy';
import { MetricMetadataStore, PgSeriesReader, type SeriesReader } from '@tocsin/tsdb';
import { queryResultsCacheProvider, QUERY_RESULTS_CACHE } from './cache/cache.providers';
import { DashboardsModule } from './dashboards/dashboards.module';
import { createEngine, type QueryLimits } from './engine/engine';
import { ExploreResolver } from './explore/explore.resolver';
import { PROMQL_ENGINE, SERIES_READER } from './promql.tokens';

export { PROMQL_ENGINE, SERIES_READER };

/**
 * One series reader, one engine, one query_range results cache and one metric metadata store
 * per process, over the app role's pool (RLS applies). Needs RedisModule (the cache's shared invalidation).
 */
@Global()
@Module({
  imports: [DashboardsModule],
  providers: [
    {
      provide: SERIES_READER,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new PgSeriesReader(pool),
    },
    {
      provide: PROMQL_ENGINE,
      inject: [SERIES_READER, OrganizationLimitsCache],
      useFactory: (reader: SeriesReader, orgs: OrganizationLimitsCache) =>
        createEngine({ reader, limitsFor: (orgId) => queryLimitsOf(orgs.get(orgId)) }),
    },
    queryResultsCacheProvider,
    // Written by ingest (remote_write metadata), read by /api/v1/metadata.
    {
      provide: MetricMetadataStore,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new MetricMetadataStore(pool),
    },
    ExploreResolver,
  ],
  exports: [SERIES_READER, PROMQL_ENGINE, QUERY_RESULTS_CACHE, MetricMetadataStore],
})
export class PromqlModule {}

/** The organization's query limits from its row (at once when the row is cached). */
function queryLimitsOf(
  row: OrganizationLimitsRow | Promise<OrganizationLimitsRow>,
): QueryLimits | Promise<QueryLimits> {
  const limits = (r: OrganizationLimitsRow) => ({
    timeoutMs: r.queryTimeoutSeconds * 1000,
    maxSamples: r.queryMaxSamples,
  });
  return row instanceof Promise ? row.then(limits) : limits(row);
}
