import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { EscalationService, IncidentsService, OncallJobName, type AckTimeoutJob, type DirectPage, type EscalateJob, type PageUserJob } from '@tocsin/oncall';
import { QueueName, createWorker, type AlertGroupIncidentJob } from '@tocsin/queue';
import { runAsOrg } from '@tocsin/tenancy';

type OncallJob = AlertGroupIncidentJob | EscalateJob | PageUserJob | AckTimeoutJob | DirectPage;

/**
 * The `oncall-escalate` queue: alert groups opening and resolving incidents (enqueued by
 * alerting), escalation steps, delayed personal notification rules, acknowledgement timeouts and
 * page deliveries. Every job re-reads the incident; a stale one returns without paging.
 */
@Injectable()
export class OncallEscalateProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('oncall-escalate');
  private worker?: Worker<OncallJob>;

  constructor(
    private readonly incidents: IncidentsService,
    private readonly escalation: EscalationService,
  ) {}

  onApplicationBootstrap(): void {
    const concurrency = Number(process.env.ONCALL_WORKER_CONCURRENCY) || 8;
    this.worker = createWorker<OncallJob>(QueueName.OncallEscalate, (job) => this.process(job), { concurrency }).on('failed', (job, err) =>
      this.logger.warn(`${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  process(job: Job<OncallJob>): Promise<unknown> {
    const data = job.data;
    if (!data?.orgId) throw new Error(`Job ${job.name} ${job.id} has no orgId`);
    return runAsOrg(data.orgId, () => {
      if ((data as AlertGroupIncidentJob).kind === 'alert-group-incident') return this.incidents.handleAlertGroup(data as AlertGroupIncidentJob);
      switch (job.name) {
        case OncallJobName.Escalate:
          return this.escalation.runStep(data as EscalateJob);
        case OncallJobName.PageUser:
          return this.escalation.pageUser(data as PageUserJob);
        case OncallJobName.AckTimeout:
          return this.escalation.ackTimeout(data as AckTimeoutJob);
        case OncallJobName.DeliverPage: {
          const attempts = job.opts.attempts ?? 1;
          return this.escalation.deliver(data as DirectPage, job.attemptsMade + 1 >= attempts);
        }
        default:
          throw new Error(`Unknown oncall job ${job.name}`);
      }
    });
  }
}
