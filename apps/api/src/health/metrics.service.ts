import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUEUE_NAMES, bullConnection, bullPrefix } from '@tocsin/queue';

/** Tocsin's own metrics on /metrics: request latencies and BullMQ queue depths. */
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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tocsin_api_' });
    const self = this;
    new Gauge({
      name: 'tocsin_queue_jobs',
      help: 'BullMQ jobs per queue and state.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
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
