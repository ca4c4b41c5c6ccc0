import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName, createQueue } from '@tocsin/queue';

export const OncallJobName = {
  Escalate: 'escalate',
  PageUser: 'page-user',
  AckTimeout: 'ack-timeout',
} as const;

export interface EscalateJob {
  orgId: string;
  incidentId: string;
  runId: string;
  step: number;
}

/** One delayed notification rule of one person (SMS now, voice after five minutes). */
export interface PageUserJob {
  orgId: string;
  incidentId: string;
  runId: string;
  step: number;
  userId: string;
  ruleId: string;
  contactMethodId: string;
  scheduleId: string | null;
}

export interface AckTimeoutJob {
  orgId: string;
  incidentId: string;
  runId: string;
}

/**
 * The `oncall-escalate` queue, with the deterministic job ids that make every enqueue
 * idempotent: the same step of the same escalation run is one job, however often it is asked for.
 * Enqueue only after the transaction that decided it has committed.
 */
@Injectable()
export class OncallQueue implements OnModuleDestroy {
  private queue?: Queue;

  private get q(): Queue {
    this.queue ??= createQueue(QueueName.OncallEscalate);
    return this.queue;
  }

  async escalate(job: EscalateJob, delayMs = 0): Promise<void> {
    await this.q.add(OncallJobName.Escalate, job, {
      jobId: `esc-${job.incidentId}-${job.runId}-${job.step}`,
      delay: Math.max(0, delayMs),
    });
  }

  async pageUser(job: PageUserJob, delayMs: number): Promise<void> {
    await this.q.add(OncallJobName.PageUser, job, {
      jobId: `pgu-${job.incidentId}-${job.runId}-${job.step}-${job.userId}-${job.ruleId}`,
      delay: Math.max(0, delayMs),
    });
  }

  async ackTimeout(job: AckTimeoutJob, delayMs: number): Promise<void> {
    await this.q.add(OncallJobName.AckTimeout, job, {
      jobId: `ackto-${job.incidentId}-${job.runId}`,
      delay: Math.max(0, delayMs),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
  }
}
