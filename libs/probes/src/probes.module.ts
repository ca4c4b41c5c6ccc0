import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@tocsin/db';
import { cacheInvalidation, type CacheGenerationsRedis } from '@tocsin/promql';
import { REDIS } from '@tocsin/queue';
import { TsdbWriter } from '@tocsin/tsdb';
import { PROBES_GUARD, PROBES_WRITER } from './probes.tokens';
import { ProbeScheduler } from './schedule/probe-scheduler.service';
import { ScrapeRunner } from './scrape/scrape-runner.service';
import { ScrapeTargetsResolver } from './scrape/scrape-targets.resolver';
import { ScrapeTargetsService } from './scrape/scrape-targets.service';
import { ssrfGuardFromConfig } from './ssrf/ssrf-from-config';
import { AlertingCoreModule } from '@tocsin/alerting';
import { CheckRunner } from './checks/check-runner.service';
import { ChecksResolver } from './checks/checks.resolver';
import { ChecksService } from './checks/checks.service';
import { HeartbeatsResolver } from './heartbeats/heartbeats.resolver';
import { HeartbeatsService } from './heartbeats/heartbeats.service';
import { StatusIncidentsResolver } from './status/status-incidents.resolver';
import { StatusIncidentsService } from './status/status-incidents.service';
import { StatusPageService } from './status/status-page.service';

const core = [
  {
    provide: PROBES_WRITER,
    inject: [PG_POOL, REDIS],
    useFactory: (pool: Pool, redis: CacheGenerationsRedis) =>
      new TsdbWriter(pool, { lateWrites: cacheInvalidation(redis).lateWrites }),
  },
  { provide: PROBES_GUARD, useFactory: () => ssrfGuardFromConfig() },
  ProbeScheduler,
  ScrapeRunner,
  ScrapeTargetsService,
  CheckRunner,
  ChecksService,
  HeartbeatsService,
  StatusIncidentsService,
  StatusPageService,
];

/** Probes without GraphQL: for the worker's processors. Needs DbModule, RedisModule, TenancyModule. */
@Module({ imports: [AlertingCoreModule], providers: core, exports: core })
export class ProbesCoreModule {}

/** The api's probes surface: the core plus resolvers. */
@Module({ imports: [ProbesCoreModule], providers: [ScrapeTargetsResolver, ChecksResolver, HeartbeatsResolver, StatusIncidentsResolver], exports: [ProbesCoreModule] })
export class ProbesModule {}
