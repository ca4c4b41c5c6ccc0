import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job, Queue, Worker } from 'bullmq';
import type { Pool } from 'pg';
import { PG_POOL } from '@tocsin/db';
import { cacheInvalidation, type CacheGenerationsRedis } from '@tocsin/promql';
import { QueueName, REDIS, createQueue, createWorker, type OrgJob } from '@tocsin/queue';
import { runAsOrg } from '@tocsin/tenancy';
import { Compactor, LogFlusher, PartitionManager, RetentionService, RollupService } from '@tocsin/tsdb';

const MINUTE = 60_000;
const FLUSH_SWEEP_MS = 5_000;

/** Sweeps run on job schedulers (one per queue, whatever the number of workers) and fan out per organization. */
const schedules = [
  { queue: QueueName.Maintenance, name: 'partitions', every: 60 * MINUTE },
  { queue: QueueName.Maintenance, name: 'retention-sweep', every: 60 * MINUTE },
  { queue: QueueName.Rollup, name: 'rollup-sweep', every: 30_000 },
  { queue: QueueName.Rollup, name: 'compact-sweep', every: 5 * MINUTE },
  // Ingest enqueues a flush after its commits (debounced per second); the sweep catches what a
  // trigger missed (a flush already running, the api's Redis call failing).
  { queue: QueueName.TsdbFlush, name: 'flush-sweep', every: FLUSH_SWEEP_MS },
] as const;

/**
 * The time-series upkeep: partitions ahead, folding the head log into chunks, rollups of dirty
 * buckets, compaction of old head
 * blocks into chunks, retention. Every per-organization job has a deterministic id per time
 * bucket, so a sweep that runs twice enqueues nothing twice; the services are idempotent too.
 */
@Injectable()
export class TsdbJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('tsdb-jobs');
  private readonly queues = new Map<QueueName, Queue<Partial<OrgJob>>>();
  private readonly workers: Worker[] = [];
  private readonly partitions: PartitionManager;
  private readonly rollups: RollupService;
  private readonly compactor: Compactor;
  private readonly flusher: LogFlusher;
  private readonly retention: RetentionService;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) redis: CacheGenerationsRedis,
  ) {
    this.partitions = new PartitionManager(pool);
    this.rollups = new RollupService(pool);
    this.compactor = new Compactor(pool);
    this.flusher = new LogFlusher(pool);
    // Deleted data changes answers the api's query caches hold.
    this.retention = new RetentionService(pool, { onDeleted: cacheInvalidation(redis).onDeleted });
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const name of [QueueName.Maintenance, QueueName.Rollup, QueueName.TsdbFlush]) {
      this.queues.set(name, createQueue<Partial<OrgJob>>(name));
      this.workers.push(
        createWorker<Partial<OrgJob>>(name, (job) => this.process(job), { concurrency: 2 }).on('failed', (job, err) =>
          this.logger.warn(`${job?.name} ${job?.id} failed: ${err.message}`),
        ),
      );
    }
    for (const s of schedules) {
      await this.queues.get(s.queue)!.upsertJobScheduler(s.name, { every: s.every }, { name: s.name, data: {} });
    }
    // Writes need today's partition before the first scheduled run.
    await this.partitions.ensureAhead(7);
  }

  /** On module destroy, before DbModule ends the pg pool (as the alerting processors do). */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private async process(job: Job<Partial<OrgJob>>): Promise<unknown> {
    const orgId = job.data.orgId;
    switch (job.name) {
      case 'partitions':
        return { created: await this.partitions.ensureAhead(7) };
      case 'retention-sweep':
        return this.fanOut(QueueName.Maintenance, 'retention', await this.allOrgIds(), 60 * MINUTE);
      case 'rollup-sweep':
        return this.fanOut(QueueName.Rollup, 'rollup', await this.rollups.pendingOrgs(), 30_000);
      case 'compact-sweep':
        return this.fanOut(QueueName.Rollup, 'compact', await this.compactor.pendingOrgs(), 5 * MINUTE);
      case 'retention':
        // Minutes on their last day of raw retention go into rollup_1m first (rollup sweeps do
        // this too, but only for organizations still writing).
        return runAsOrg(orgId!, async () => {
          await this.rollups.archiveMinutes(orgId!);
          return this.retention.apply(orgId!);
        });
      case 'rollup':
        return runAsOrg(orgId!, () => this.rollups.rollupDirty(orgId!));
      case 'flush-sweep':
        return this.fanOut(QueueName.TsdbFlush, 'flush', await this.flusher.pendingOrgs(), FLUSH_SWEEP_MS);
      case 'flush':
        return runAsOrg(orgId!, () => this.flusher.flushDue(orgId!));
      case 'compact':
        return runAsOrg(orgId!, () => this.compactor.compactDue(orgId!));
      default:
        throw new Error(`Unknown job ${job.name}`);
    }
  }

  private async fanOut(queue: QueueName, name: string, orgIds: string[], bucketMs: number): Promise<{ enqueued: number }> {
    const bucket = Math.floor(Date.now() / bucketMs);
    await this.queues.get(queue)!.addBulk(
      orgIds.map((orgId) => ({ name, data: { orgId }, opts: { jobId: `${name}-${orgId}-${bucket}` } })),
    );
    return { enqueued: orgIds.length };
  }

  private async allOrgIds(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>('select list_org_ids() as id');
    return rows.map((r) => r.id);
  }
}
