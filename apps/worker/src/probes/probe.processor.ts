import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import type { Pool } from 'pg';
import { loadConfig } from '@tocsin/config';
import { PG_POOL } from '@tocsin/db';
import { CheckRunner, HeartbeatsService, ProbeScheduler, ScrapeRunner, type ProbeJob } from '@tocsin/probes';
import { QueueName, createWorker } from '@tocsin/queue';
import { runAsOrg } from '@tocsin/tenancy';

/**
 * The `probe` queue: scrapes, checks and heartbeat evaluations. Each job re-reads its target,
 * so a job of a deleted or disabled target does nothing. On start-up every enabled target's
 * scheduler is upserted again (idempotent), so a Redis that lost its schedulers heals.
 */
@Injectable()
export class ProbeProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('probe');
  private worker: Worker<ProbeJob> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly scheduler: ProbeScheduler,
    private readonly scrapes: ScrapeRunner,
    private readonly checks: CheckRunner,
    private readonly heartbeats: HeartbeatsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const concurrency = loadConfig().PROBE_WORKER_CONCURRENCY;
    this.worker = createWorker<ProbeJob>(QueueName.Probe, (job) => this.process(job), { concurrency }).on('failed', (job, err) =>
      this.logger.warn(`${job?.name} ${job?.data.id} failed: ${err.message}`),
    );
    await this.reconcile().catch((err: Error) => this.logger.warn(`reconcile failed: ${err.message}`));
  }

  /** On module destroy, before DbModule ends the pg pool (as the alerting processors do). */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  private async process(job: Job<ProbeJob>): Promise<unknown> {
    const { orgId, kind, id } = job.data;
    return runAsOrg(orgId, async () => {
      switch (kind) {
        case 'scrape': {
          const r = await this.scrapes.run(orgId, id);
          return r && { up: r.up, samples: r.samplesScraped, error: r.error };
        }
        case 'check': {
          const r = await this.checks.run(orgId, id);
          return r && { success: r.success, consecutiveFailures: r.consecutiveFailures, error: r.error };
        }
        case 'heartbeat':
          return this.heartbeats.evaluate(orgId, id);
        default:
          throw new Error(`Unknown probe kind ${kind as string}`);
      }
    });
  }

  private async reconcile(): Promise<void> {
    const { rows } = await this.pool.query<{ id: string }>('select list_org_ids() as id');
    for (const { id: orgId } of rows) {
      for (const t of await this.scrapes.enabledTargets(orgId)) await this.scheduler.schedule(orgId, 'scrape', t.id, t.intervalMs);
      for (const c of await this.checks.enabledChecks(orgId)) await this.scheduler.schedule(orgId, 'check', c.id, c.intervalMs);
      for (const h of await this.heartbeats.all(orgId)) await this.scheduler.schedule(orgId, 'heartbeat', h.id, h.everyMs);
    }
  }
}
