import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Queue, Worker } from 'bullmq';
import { loadConfig } from '@tocsin/config';
import {
  DELIVERY_RETENTION_EVERY_MS,
  DELIVERY_RETENTION_JOB,
  DeliveryRetention,
  DeliveryRunner,
  type AnyNotifyJob,
} from '@tocsin/notify';
import { QueueName, createQueue, createWorker } from '@tocsin/queue';

/**
 * The `notify` queue. A worker killed mid-send stops renewing its job lock; after
 * NOTIFY_LOCK_DURATION_MS another worker's stalled check puts the job back and it is sent again
 * with the same idempotency key (at-least-once: the receiver may see that one duplicate).
 */
@Injectable()
export class NotifyProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('notify');
  private worker?: Worker<AnyNotifyJob>;
  private queue?: Queue;

  constructor(
    private readonly runner: DeliveryRunner,
    private readonly retention: DeliveryRetention,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const lockDuration = loadConfig().NOTIFY_LOCK_DURATION_MS;
    this.worker = createWorker<AnyNotifyJob>(
      QueueName.Notify,
      (job, token) =>
        job.name === DELIVERY_RETENTION_JOB ? this.retention.sweep() : this.runner.run(job, token),
      {
        concurrency: 8,
        lockDuration,
        stalledInterval: Math.min(30_000, lockDuration),
        maxStalledCount: 2,
      },
    );
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      if (/stalled more than allowable limit/i.test(err.message)) {
        this.runner
          .abandon(job.data, `Gave up: ${err.message}`)
          .catch((e: Error) => this.logger.error(`recording ${job.id}: ${e.message}`));
      }
      if (job.attemptsMade >= (job.opts.attempts ?? 1))
        this.logger.warn(`delivery ${job.id} failed: ${err.message}`);
    });
    this.worker.on('error', (err) => this.logger.error(`notify worker: ${err.message}`));
    // Old finished deliveries (per-organization retention): one scheduler for all workers.
    this.queue = createQueue(QueueName.Notify);
    await this.queue.upsertJobScheduler(
      DELIVERY_RETENTION_JOB,
      { every: DELIVERY_RETENTION_EVERY_MS },
      {
        name: DELIVERY_RETENTION_JOB,
        data: {},
        opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 10 }, attempts: 1 },
      },
    );
  }

  /**
   * On module destroy, not application shutdown: Nest destroys the app's modules before the ones
   * they import, so jobs in flight finish (and no new one starts) before DbModule ends the pg
   * pool and the Redis clients close. At onApplicationShutdown they were already gone.
   */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }
}
