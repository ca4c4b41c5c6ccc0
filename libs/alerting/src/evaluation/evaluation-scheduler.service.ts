import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { PG_POOL } from '@tocsin/db';
import { QueueName, createQueue, type OrgJob } from '@tocsin/queue';
import {
  OUTBOX_SCHEDULER_ID,
  OUTBOX_SWEEP_EVERY_MS,
  SWEEP_OUTBOX_JOB,
} from './transition-outbox.service';

export interface EvaluateGroupJob extends OrgJob {
  groupId: string;
  /** Evaluation instant (ms). Absent on scheduler ticks: the processor aligns `now` to the interval. */
  ts?: number;
  reason: 'tick' | 'trigger';
}

export const EVALUATE_GROUP_JOB = 'evaluate-group';

export function schedulerId(groupId: string): string {
  return `group-${groupId}`;
}

/**
 * A group's evaluation instants are `phase + k × interval` (as Prometheus offsets each group by a
 * hash of its name): every tick of a group is the same distance apart, and the groups of a
 * worker spread over the interval instead of all starting at the same second. Never 0: BullMQ
 * aligns an `every` scheduler only when it has a positive offset (at 0 it starts "now").
 */
export function evaluationPhase(groupId: string, intervalMs: number): number {
  const h = createHash('sha256').update(groupId).digest().readUInt32BE(0);
  return 1 + (h % Math.max(1, intervalMs - 1));
}

/** The evaluation instant of a group's tick at `now`: the latest `phase + k × interval` ≤ now. */
export function alignedInstant(groupId: string, intervalMs: number, now: number): number {
  const phase = evaluationPhase(groupId, intervalMs);
  return Math.floor((now - phase) / intervalMs) * intervalMs + phase;
}

/**
 * The instant a scheduler tick was due (its job id is `repeat:<scheduler>:<ms>`), so a tick
 * picked up a little late still evaluates its own instant; null for other jobs.
 */
export function tickDueAt(jobId: string | undefined): number | null {
  const m = /^repeat:group-[0-9a-f-]+:(\d+)$/i.exec(jobId ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * One BullMQ job scheduler per rule group on `alert-evaluate`: BullMQ makes one job per tick
 * however many workers run. Immediate evaluations (fresh samples) are plain jobs whose id names
 * the group and the instant, so a duplicate enqueue is a no-op.
 */
@Injectable()
export class EvaluationScheduler implements OnModuleDestroy {
  private readonly logger = new Logger('alert-scheduler');
  private queueInstance: Queue<EvaluateGroupJob> | null = null;

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  get queue(): Queue<EvaluateGroupJob> {
    this.queueInstance ??= createQueue<EvaluateGroupJob>(QueueName.AlertEvaluate);
    return this.queueInstance;
  }

  async schedule(orgId: string, groupId: string, intervalMs: number): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerId(groupId),
      { every: intervalMs, offset: evaluationPhase(groupId, intervalMs) },
      {
        name: EVALUATE_GROUP_JOB,
        data: { orgId, groupId, reason: 'tick' },
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 1 },
      },
    );
  }

  /**
   * One scheduler for the whole queue (not per organization): the sweep lists the organizations
   * with undispatched transitions itself. A job scheduler makes one job per tick for any number
   * of workers.
   */
  async scheduleOutboxSweep(): Promise<void> {
    await this.queue.upsertJobScheduler(
      OUTBOX_SCHEDULER_ID,
      { every: OUTBOX_SWEEP_EVERY_MS },
      {
        name: SWEEP_OUTBOX_JOB,
        data: { orgId: '', groupId: '', reason: 'tick' },
        opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 }, attempts: 1 },
      },
    );
  }

  async unschedule(groupId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(groupId));
  }

  async enqueueNow(orgId: string, groupId: string, ts: number): Promise<void> {
    await this.queue.add(
      EVALUATE_GROUP_JOB,
      { orgId, groupId, ts, reason: 'trigger' },
      {
        jobId: `trigger-${groupId}-${ts}`,
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
        attempts: 1,
      },
    );
  }

  /**
   * Makes the schedulers match the rule groups in PostgreSQL (at worker start): a change whose
   * scheduler update was lost, or a group deleted while Redis was down, is repaired here.
   */
  async reconcile(): Promise<{ scheduled: number; removed: number }> {
    const { rows } = await this.pool.query<{ id: string; org_id: string; interval_ms: number }>(
      'select id, org_id, interval_ms from list_rule_group_schedules()',
    );
    const wanted = new Map(rows.map((r) => [schedulerId(r.id), r]));
    let removed = 0;
    for (let start = 0; ; start += 500) {
      const page = await this.queue.getJobSchedulers(start, start + 499);
      for (const s of page) {
        if (!s.key.startsWith('group-')) continue;
        const r = wanted.get(s.key);
        // A scheduler made before evaluation phases (or with another interval) keeps its old
        // rhythm through an upsert: BullMQ only moves `next` when `every` changes. Re-create it.
        const misaligned =
          r &&
          s.next !== undefined &&
          (s.every !== r.interval_ms || alignedInstant(r.id, r.interval_ms, s.next) !== s.next);
        if (!r || misaligned) {
          await this.queue.removeJobScheduler(s.key);
          if (!r) removed++;
        }
      }
      if (page.length < 500) break;
    }
    for (const r of rows) await this.schedule(r.org_id, r.id, r.interval_ms);
    await this.scheduleOutboxSweep();
    this.logger.log(`rule group schedulers: ${rows.length} scheduled, ${removed} removed`);
    return { scheduled: rows.length, removed };
  }

  async onModuleDestroy(): Promise<void> {
    await this.queueInstance?.close();
  }
}
