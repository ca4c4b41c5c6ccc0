import {
  Logger,
  Module,
  RequestMethod,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { AlertingCoreModule, AlertingTrigger } from '@tocsin/alerting';
import { loadConfig } from '@tocsin/config';
import { PG_POOL } from '@tocsin/db';
import {
  createIngestHandler,
  IngestUsage,
  LeasedIngestionRateLimiter,
  UsageResolver,
  withUsageCounting,
  RedisIngestionRateLimiter,
  sampleSinkFromTsdb,
  seriesLimiterFromTsdb,
  type IngestFn,
} from '@tocsin/ingest';
import { cacheInvalidation } from '@tocsin/promql';
import { REDIS } from '@tocsin/queue';
import { AuthModule } from '@tocsin/auth';
import { MetricMetadataStore, SeriesIndex, SeriesLimitsService, TsdbWriter } from '@tocsin/tsdb';
import { withAlertingTrigger } from './alerting-trigger.sink';
import { FlushTrigger, withFlushTrigger } from './flush-trigger.sink';
import { IngestController } from './ingest.controller';
import { INGEST_HANDLER } from './ingest.tokens';
import { OrgLimitsService } from './org-limits.service';
import { rawBodyMiddleware } from './raw-body.middleware';

/** Largest ingest body the api reads at all, as sent: organizations may only set less. */
export function ingestMaxBodyBytes(): number {
  return loadConfig().INGEST_MAX_BODY_BYTES;
}

const logger = new Logger('ingest');

@Module({
  imports: [AuthModule, AlertingCoreModule],
  controllers: [IngestController],
  providers: [
    OrgLimitsService,
    { provide: SeriesIndex, useFactory: () => new SeriesIndex() },
    {
      provide: TsdbWriter,
      inject: [PG_POOL, SeriesIndex, REDIS],
      useFactory: (pool: Pool, index: SeriesIndex, redis: Redis) =>
        new TsdbWriter(pool, { index, lateWrites: cacheInvalidation(redis).lateWrites }),
    },
    {
      provide: SeriesLimitsService,
      inject: [PG_POOL, SeriesIndex],
      useFactory: (pool: Pool, index: SeriesIndex) => new SeriesLimitsService(pool, index),
    },
    {
      provide: IngestUsage,
      inject: [REDIS],
      useFactory: (redis: Redis) =>
        new IngestUsage(redis, loadConfig().REDIS_PREFIX, Date.now, (err) =>
          logger.warn(`usage counter: ${(err as Error).message}`),
        ),
    },
    UsageResolver,
    FlushTrigger,
    {
      provide: INGEST_HANDLER,
      inject: [
        TsdbWriter,
        SeriesLimitsService,
        REDIS,
        AlertingTrigger,
        IngestUsage,
        FlushTrigger,
        // PromqlModule's (global; absent where only ingest runs: metadata is then dropped).
        { token: MetricMetadataStore, optional: true },
      ],
      useFactory: (
        writer: TsdbWriter,
        seriesLimits: SeriesLimitsService,
        redis: Redis,
        trigger: AlertingTrigger,
        usage: IngestUsage,
        flush: FlushTrigger,
        metadata: MetricMetadataStore | undefined,
      ): IngestFn =>
        createIngestHandler({
          sink: withAlertingTrigger(
            withFlushTrigger(withUsageCounting(sampleSinkFromTsdb(writer), usage), flush),
            trigger,
          ),
          // Metric names with metadata kept: at most the organization's active-series limit.
          metadata: metadata && {
            write: async (orgId, entries, limits) => {
              await metadata.write(orgId, entries, limits.maxActiveSeries);
            },
          },
          seriesLimiter: seriesLimiterFromTsdb(seriesLimits),
          rateLimiter: new LeasedIngestionRateLimiter(
            new RedisIngestionRateLimiter(redis, loadConfig().REDIS_PREFIX),
          ),
          maxBodyBytes: ingestMaxBodyBytes(),
          maxDecompressedBytes: loadConfig().INGEST_MAX_DECOMPRESSED_BYTES,
          onLimiterError: (err) =>
            logger.warn(
              `ingestion rate limiter unavailable, letting requests through: ${(err as Error).message}`,
            ),
        }),
    },
  ],
  exports: [INGEST_HANDLER],
})
export class IngestModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(rawBodyMiddleware(ingestMaxBodyBytes()))
      .forRoutes(
        { path: 'api/v1/write', method: RequestMethod.POST },
        { path: 'api/v1/push', method: RequestMethod.POST },
        { path: 'api/v2/write', method: RequestMethod.POST },
      );
  }
}
