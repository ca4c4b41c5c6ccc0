import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import {
  EscalationService,
  IncidentsService,
  OncallJobName,
  type AckTimeoutJob,
  type EscalateJob,
  type PageUserJob,
} from '@tocsin/oncall';
import { loadConfig } from '@tocsin/config';
import { QueueName, createWorker, type AlertGroupIncidentJob } from '@tocsin/queue';
import { runAsOrg } from '@tocsin/tenancy';

type OncallJob = AlertGroupIncidentJob | EscalateJob | PageUserJob | AckTimeoutJob;

/**
 * The `oncall-escalate` queue: alert groups opening and resolving incidents (enqueued by
 * alerting), escalation steps, delayed personal notification rules and acknowledgement timeouts
 * (pages themselves are delivered by libs/notify on the `notify` queue). Every job re-reads the incident; a stale one returns without paging.
 */
@Injectable()
export class OncallEscalateProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('oncall-escalate');
  private worker?: Worker<OncallJob>;

  constructor(
    private readonly incidents: IncidentsService,
    private readonly escalation: EscalationService,
  ) {}

  onApplicationBootstrap(): void {
    const concurrency = loadConfig().ONCALL_WORKER_CONCURRENCY;
    this.worker = createWorker<OncallJob>(QueueName.OncallEscalate, (job) => this.process(job), {
      concurrency,
    }).on('failed', (job, err) =>
      this.logger.warn(
        `${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`,
      ),
    );
  }

  /** On module destroy, before DbModule ends the pg pool (as the alerting processors do). */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  process(job: Job<OncallJob>): Promise<unknown> {
    const data = job.data;
    if (!data?.orgId) throw new Error(`Job ${job.name} ${job.id} has no orgId`);
    return runAsOrg(data.orgId, () => {
      if ((data as AlertGroupIncidentJob).kind === 'alert-group-incident')
        return this.incidents.handleAlertGroup(data as AlertGroupIncidentJob);
      switch (job.name) {
        case OncallJobName.Escalate:
          return this.escalation.runStep(data as EscalateJob);
        case OncallJobName.PageUser:
          return this.escalation.pageUser(data as PageUserJob);
        case OncallJobName.AckTimeout:
          return this.escalation.ackTimeout(data as AckTimeoutJob);
        default:
          throw new Error(`Unknown oncall job ${job.name}`);
      }
    });
  }
}
