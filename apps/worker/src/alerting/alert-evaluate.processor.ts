import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import {
  EVALUATE_GROUP_JOB,
  EvaluationScheduler,
  RuleEvaluator,
  SWEEP_OUTBOX_JOB,
  tickDueAt,
  TransitionOutbox,
  type EvaluateGroupJob,
  type GroupEvaluation,
  type SweepOutcome,
} from '@tocsin/alerting';
import { loadConfig } from '@tocsin/config';
import { QueueName, createWorker } from '@tocsin/queue';
import { runAsOrg } from '@tocsin/tenancy';

/**
 * Runs rule-group evaluations from `alert-evaluate`: scheduler ticks (instant aligned to the
 * group's interval) and immediate evaluations after fresh samples (instant given in the job).
 */
@Injectable()
export class AlertEvaluateProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('alert-evaluate');
  private worker: Worker<EvaluateGroupJob> | null = null;

  constructor(
    private readonly evaluator: RuleEvaluator,
    private readonly scheduler: EvaluationScheduler,
    private readonly outbox: TransitionOutbox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.worker = createWorker<EvaluateGroupJob>(
      QueueName.AlertEvaluate,
      (job) => this.process(job),
      // An evaluation holds one pooled connection and may take a second meanwhile (regex selects,
      // recording rules' writes): at least two stay free, or the pool could deadlock.
      // One group is never evaluated twice at once (row lock), whatever the concurrency.
      {
        concurrency: Math.max(
          1,
          Math.min(loadConfig().ALERT_EVALUATE_CONCURRENCY, loadConfig().DATABASE_POOL_SIZE - 2),
        ),
      },
    );
    this.worker.on('failed', (job, err) =>
      this.logger.warn(`${job?.name} ${job?.id} failed: ${err.message}`),
    );
    // Without a listener BullMQ prints worker errors (a lost job lock, Redis trouble) bare on
    // stderr, with no hint of which queue they came from.
    this.worker.on('error', (err) => this.logger.error(`alert-evaluate worker: ${err.message}`));
    await this.scheduler.reconcile();
  }

  /**
   * On module destroy, not application shutdown: Nest destroys the app's modules before the ones
   * they import, so jobs in flight finish (and no new one starts) before DbModule ends the pg
   * pool and the Redis clients close. At onApplicationShutdown they were already gone.
   */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  async process(job: Job<EvaluateGroupJob>): Promise<GroupEvaluation | SweepOutcome> {
    // Transitions a crashed worker committed but never handed to dispatch (all organizations).
    if (job.name === SWEEP_OUTBOX_JOB) return this.outbox.sweep();
    if (job.name !== EVALUATE_GROUP_JOB) throw new Error(`Unknown job ${job.name}`);
    const { orgId, groupId, ts } = job.data;
    // A tick evaluates the instant it was due at, even if picked up a moment early or late.
    const due = tickDueAt(job.id);
    const now = Math.max(Date.now(), due ?? 0);
    const result = await runAsOrg(orgId, () =>
      this.evaluator.evaluateGroup(orgId, groupId, ts, now),
    );
    // A group deleted while its scheduler survived (lost update): stop ticking it.
    if (result.status === 'missing' && job.data.reason === 'tick')
      await this.scheduler.unschedule(groupId);
    return result;
  }
}
