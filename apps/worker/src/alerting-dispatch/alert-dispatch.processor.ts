import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { AlertingHousekeeping, DispatchService, type AlertDispatchJob } from '@tocsin/alerting';
import { QueueName, createWorker } from '@tocsin/queue';
import { runAsOrg } from '@tocsin/tenancy';

/**
 * The `alert-dispatch` queue: group flushes at their group_wait/group_interval/repeat_interval
 * slots (a stale slot does nothing), dispatches that failed inline in the evaluator, and the
 * hourly housekeeping (old dispatch decisions, aggregation groups left without a flush).
 */
@Injectable()
export class AlertDispatchProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('alert-dispatch');
  private worker?: Worker<AlertDispatchJob>;

  constructor(
    private readonly dispatcher: DispatchService,
    private readonly housekeeping: AlertingHousekeeping,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.worker = createWorker<AlertDispatchJob>(
      QueueName.AlertDispatch,
      (job) => this.process(job),
      { concurrency: 8 },
    );
    this.worker.on('failed', (job, err) =>
      this.logger.warn(`${job?.name} ${job?.id} failed: ${err.message}`),
    );
    this.worker.on('error', (err) => this.logger.error(`alert-dispatch worker: ${err.message}`));
    await this.housekeeping.schedule();
  }

  /**
   * On module destroy, not application shutdown: Nest destroys the app's modules before the ones
   * they import, so jobs in flight finish (and no new one starts) before DbModule ends the pg
   * pool and the Redis clients close. At onApplicationShutdown they were already gone.
   */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  private process(job: Job<AlertDispatchJob>): Promise<unknown> {
    const data = job.data;
    if (data?.kind === 'housekeeping') return this.housekeeping.sweep();
    if (!data?.orgId) throw new Error(`job ${job.id} has no orgId`);
    return runAsOrg(data.orgId, () =>
      data.kind === 'flush'
        ? this.dispatcher.flush(data.orgId, data.groupHash, data.slot)
        : this.dispatcher.dispatch(data.orgId, data.alerts),
    );
  }
}
