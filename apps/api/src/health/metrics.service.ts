import { Inject, Injectable, Optional } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUERY_RESULTS_CACHE, type QueryResultsCache } from '@tocsin/promql';
import { QUEUE_NAMES, bullConnection, bullPrefix } from '@tocsin/queue';

/** Tocsin's own metrics on /metrics: request latencies, BullMQ queue depths, the query results cache. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'tocsin_http_request_duration_seconds',
    help: 'HTTP request latency by route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly graphqlDuration = new Histogram({
    name: 'tocsin_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation type and name.',
    labelNames: ['type', 'operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private queues: Queue[] | undefined;

  constructor(@Optional() @Inject(QUERY_RESULTS_CACHE) cache?: QueryResultsCache) {
    collectDefaultMetrics({ register: this.registry, prefix: 'tocsin_api_' });
    const self = this;
    if (cache) {
      new Counter({
        name: 'tocsin_query_cache_requests_total',
        help: 'query_range requests by results-cache outcome (hit, partial, miss, bypass, uncacheable).',
        labelNames: ['status'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const [status, n] of Object.entries(cache.counters.requests)) this.inc({ status }, n);
        },
      });
      new Counter({
        name: 'tocsin_query_cache_steps_total',
        help: 'query_range steps served from the results cache (source="cache") or evaluated (source="engine").',
        labelNames: ['source'],
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc({ source: 'cache' }, cache.counters.cachedSteps);
          this.inc({ source: 'engine' }, cache.counters.evaluatedSteps);
        },
      });
      new Gauge({
        name: 'tocsin_query_cache_bytes',
        help: 'Estimated bytes of query_range results held by this process.',
        registers: [this.registry],
        collect() {
          this.set(cache.bytes());
        },
      });
    }
    new Gauge({
      name: 'tocsin_queue_jobs',
      help: 'BullMQ jobs per queue and state.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      // Every api process reads the same queues: merged /metrics (API_PROCESSES > 1) keeps one.
      aggregator: 'max',
      async collect() {
        self.queues ??= QUEUE_NAMES.map((name) => new Queue(name, { connection: bullConnection(), prefix: bullPrefix() }));
        await Promise.all(
          self.queues.map(async (q) => {
            const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
            for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
          }),
        );
      },
    });
  }

  async close(): Promise<void> {
    await Promise.all((this.queues ?? []).map((q) => q.close()));
  }
}
