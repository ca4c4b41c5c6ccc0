import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@tocsin/db';
import { cacheInvalidation, createEngine, type CacheGenerationsRedis } from '@tocsin/promql';
import { REDIS } from '@tocsin/queue';
import { PgSeriesReader, TsdbWriter, type SeriesReader } from '@tocsin/tsdb';
import { AlertTransitionSink, PublishingTransitionSink } from './alerts/alert-transition';
import { AlertsRepository } from './alerts/alerts.repository';
import { AlertsResolver } from './alerts/alerts.resolver';
import { AlertsService } from './alerts/alerts.service';
import { BacktestResolver } from './backtest/backtest.resolver';
import { BacktestService } from './backtest/backtest.service';
import { AlertingTrigger } from './evaluation/alerting-trigger.service';
import { EvaluationScheduler } from './evaluation/evaluation-scheduler.service';
import { ALERTING_ENGINE, ALERTING_READER, RECORDING_WRITER } from './evaluation/evaluation.tokens';
import { RuleEvaluator } from './evaluation/rule-evaluator.service';
import { TransitionOutbox } from './evaluation/transition-outbox.service';
import { RulesRepository } from './rules/rules.repository';
import { RulesResolver } from './rules/rules.resolver';
import { RulesService } from './rules/rules.service';
import { dispatchExports, dispatchProviders, dispatchResolvers } from './dispatch/dispatch.providers';

const core = [
  { provide: ALERTING_READER, inject: [PG_POOL], useFactory: (pool: Pool) => new PgSeriesReader(pool) },
  { provide: ALERTING_ENGINE, inject: [ALERTING_READER], useFactory: (reader: SeriesReader) => createEngine({ reader }) },
  // Recording rules catching up after downtime write behind the query cache's horizon.
  {
    provide: RECORDING_WRITER,
    inject: [PG_POOL, REDIS],
    useFactory: (pool: Pool, redis: CacheGenerationsRedis) =>
      new TsdbWriter(pool, { lateWrites: cacheInvalidation(redis).lateWrites }),
  },
  PublishingTransitionSink,
  // Dispatch (part 2) replaces this binding with a sink that routes and notifies, delegating to
  // PublishingTransitionSink for the pub/sub part.
  { provide: AlertTransitionSink, useExisting: PublishingTransitionSink },
  EvaluationScheduler,
  AlertingTrigger,
  RuleEvaluator,
  TransitionOutbox,
  RulesRepository,
  RulesService,
  AlertsRepository,
  AlertsService,
  BacktestService,
  // Part 2 (dispatch): silences, maintenance, policy, grouping; rebinds AlertTransitionSink last.
  ...dispatchProviders,
];
const exported = [ALERTING_READER, ALERTING_ENGINE, RECORDING_WRITER, PublishingTransitionSink, AlertTransitionSink, EvaluationScheduler, AlertingTrigger, RuleEvaluator, TransitionOutbox, RulesService, AlertsService, BacktestService];
(exported as unknown[]).push(...dispatchExports);

/**
 * Rules, evaluation and alert state without any GraphQL: for the worker, and for the ingest path
 * (AlertingTrigger). Needs DbModule, RedisModule and TenancyModule in the app.
 */
@Module({ providers: core, exports: exported })
export class AlertingCoreModule {}

/** The api's alerting surface: the core plus its resolvers and subscriptions. */
@Module({
  imports: [AlertingCoreModule],
  providers: [RulesResolver, AlertsResolver, BacktestResolver,
    ...dispatchResolvers,
  ],
  exports: [AlertingCoreModule],
})
export class AlertingModule {}
