import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName, createQueue, type OrgJob } from '@tocsin/queue';

export type ProbeKind = 'scrape' | 'check' | 'heartbeat';

/** Payload of every `probe` job: which organization and which target/check/heartbeat. */
export interface ProbeJob extends OrgJob {
  kind: ProbeKind;
  id: string;
}

export function probeSchedulerId(kind: ProbeKind, id: string): string {
  return `${kind}:${id}`;
}

/**
 * One BullMQ job scheduler per target, check or heartbeat: BullMQ gives each run a job id made
 * of the scheduler id and the slot time, so however many workers or api replicas upsert the same
 * scheduler, each (target, slot) runs once, on whichever worker is free.
 */
@Injectable()
export class ProbeScheduler implements OnModuleDestroy {
  private queue: Queue<ProbeJob> | undefined;

  private q(): Queue<ProbeJob> {
    this.queue ??= createQueue<ProbeJob>(QueueName.Probe);
    return this.queue;
  }

  async schedule(orgId: string, kind: ProbeKind, id: string, everyMs: number): Promise<void> {
    await this.q().upsertJobScheduler(
      probeSchedulerId(kind, id),
      { every: everyMs },
      { name: kind, data: { orgId, kind, id }, opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
    );
  }

  async unschedule(kind: ProbeKind, id: string): Promise<void> {
    await this.q().removeJobScheduler(probeSchedulerId(kind, id));
  }

  /** Runs one now (a test or "check now" button), deduplicated per second. */
  async runNow(orgId: string, kind: ProbeKind, id: string): Promise<void> {
    await this.q().add(kind, { orgId, kind, id }, { jobId: `${kind}-now-${id}-${Math.floor(Date.now() / 1000)}`, attempts: 1 });
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
  }
}
