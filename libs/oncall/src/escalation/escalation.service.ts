import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@tocsin/config';
import type { Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { DeliveryService } from '@tocsin/notify';
import type { NotifyJob } from '@tocsin/queue';
import { TenantDb } from '@tocsin/tenancy';
import { IncidentPublisher } from '../incidents/incident-publisher';
import { lockIncident, type IncidentRow } from '../incidents/incident-lock';
import {
  OncallQueue,
  type AckTimeoutJob,
  type EscalateJob,
  type PageUserJob,
} from '../oncall-queue';
import { json } from '../oncall.util';
import { pageMessage } from '../paging/page-content';
import { PAGE_SENDER, type DirectPage, type PageSender } from '../paging/page-sender';
import {
  PeopleService,
  quietDelayMs,
  type PagePlanItem,
  type Urgency,
} from '../people/people.service';
import { SchedulesService } from '../schedules/schedules.service';
import { levelForStep, type PolicySnapshot } from './policy.types';

/** Pages to responders are not part of an escalation run: they survive an acknowledgement. */
export const RESPONDER_STEP = -2;

/** Work decided inside a transaction, done only after it commits. */
export interface AfterCommit {
  pages: DirectPage[];
  delayed: Array<{ job: PageUserJob; delayMs: number }>;
  notify: NotifyJob[];
  escalate: Array<{ job: EscalateJob; delayMs: number }>;
  ackTimeouts: Array<{ job: AckTimeoutJob; delayMs: number }>;
  publish: IncidentRow[];
}

export const emptyAfterCommit = (): AfterCommit => ({
  pages: [],
  delayed: [],
  notify: [],
  escalate: [],
  ackTimeouts: [],
  publish: [],
});

/**
 * The escalation engine: each step re-reads the incident under its row lock and pages only if
 * the incident is still triggered and the step belongs to its current escalation run. An
 * acknowledgement takes the same lock and changes the run, so no page is recorded after it commits.
 */
@Injectable()
export class EscalationService {
  private readonly logger = new Logger('oncall-escalation');

  constructor(
    private readonly db: TenantDb,
    private readonly people: PeopleService,
    private readonly schedules: SchedulesService,
    private readonly queue: OncallQueue,
    private readonly publisher: IncidentPublisher,
    @Inject(PAGE_SENDER) private readonly sender: PageSender,
    private readonly delivery: DeliveryService,
  ) {}

  async runStep(job: EscalateJob): Promise<{ paged: number; stale?: boolean }> {
    const { orgId, incidentId, runId, step } = job;
    const after = emptyAfterCommit();
    const stale = await this.db.forOrg(orgId, async (tx) => {
      const inc = await lockIncident(tx, orgId, incidentId);
      if (!inc || inc.status !== 'TRIGGERED' || inc.escalationRunId !== runId) return true;
      const snapshot = inc.policySnapshot as PolicySnapshot | null;
      const at = snapshot ? levelForStep(snapshot, step) : null;
      if (!at) {
        if (inc.escalationStep < step) {
          await tx.oncallIncident.update({ where: { id: inc.id }, data: { escalationStep: step } });
          await event(tx, inc, 'escalation-exhausted', null, { step });
        }
        return false;
      }
      const now = new Date();
      const users = new Map<string, string | null>();
      const channels: string[] = [];
      const unstaffed: string[] = [];
      for (const t of at.level.targets) {
        if (t.type === 'user') {
          if (!users.has(t.id)) users.set(t.id, null);
        } else if (t.type === 'schedule') {
          const who = await this.schedules.onCallAtTx(tx, orgId, t.id, now).catch(() => null);
          if (who) {
            if (!users.has(who)) users.set(who, t.id);
          } else unstaffed.push(t.id);
        } else channels.push(t.id);
      }
      // Users removed from the organization since the policy was saved are not paged.
      const members = new Set(
        (
          await tx.membership.findMany({
            where: { orgId, userId: { in: [...users.keys()] } },
            select: { userId: true },
          })
        ).map((m) => m.userId),
      );
      const paged: string[] = [];
      for (const [userId, scheduleId] of users) {
        if (!members.has(userId)) continue;
        paged.push(userId);
        await this.pageUserTx(tx, inc, userId, scheduleId, step, after);
      }
      for (const channelId of channels)
        after.notify.push(this.notifyJob(inc, snapshot!, channelId, step));
      await tx.oncallIncident.update({
        where: { id: inc.id },
        data: { escalationStep: Math.max(step, inc.escalationStep), assignedUserIds: paged },
      });
      // A retried job (the step already ran, its hand-off failed) re-hands its queued pages; the
      // timeline says it once.
      if (inc.escalationStep < step)
        await event(tx, inc, 'escalate', null, {
          step,
          level: at.index + 1,
          pass: at.pass + 1,
          users: paged,
          channels,
          ...(unstaffed.length ? { schedulesWithNobodyOnCall: unstaffed } : {}),
        });
      after.escalate.push({
        job: { orgId, incidentId, runId, step: step + 1 },
        delayMs: at.level.delaySeconds * 1000,
      });
      after.publish.push((await tx.oncallIncident.findFirst({ where: { id: inc.id, orgId } }))!);
      return false;
    });
    await this.afterCommit(after);
    return { paged: after.pages.length, ...(stale ? { stale } : {}) };
  }

  /**
   * Records one person's pages for one step inside the caller's locked transaction: the
   * immediate ones as page rows (delivered after commit), the delayed ones as delayed jobs.
   */
  async pageUserTx(
    tx: Tx,
    inc: IncidentRow,
    userId: string,
    scheduleId: string | null,
    step: number,
    after: AfterCommit,
  ): Promise<void> {
    const urgency = inc.urgency as Urgency;
    const plan = await this.people.planFor(tx, inc.orgId, userId, urgency);
    if (!plan.length) {
      await event(tx, inc, 'page-skipped', null, { userId, reason: 'no verified contact method' });
      return;
    }
    let quietMs = 0;
    if (urgency === 'low') {
      const q = await this.people.quietHours(tx, inc.orgId, userId);
      quietMs = quietDelayMs(q.start, q.end, q.timeZone, new Date());
    }
    for (const item of plan) {
      const delayMs = item.delaySeconds * 1000 + quietMs;
      if (delayMs > 0) {
        after.delayed.push({
          job: {
            orgId: inc.orgId,
            incidentId: inc.id,
            runId: inc.escalationRunId,
            step,
            userId,
            ruleId: item.ruleId,
            contactMethodId: item.contactMethodId,
            scheduleId,
          },
          delayMs,
        });
      } else {
        const page = await this.recordPage(tx, inc, userId, scheduleId, step, item);
        if (page) after.pages.push(page);
      }
    }
  }

  /** A delayed notification rule comes due: re-checked under the lock like a step. */
  async pageUser(job: PageUserJob): Promise<{ paged: number; stale?: boolean }> {
    const after = emptyAfterCommit();
    const stale = await this.db.forOrg(job.orgId, async (tx) => {
      const inc = await lockIncident(tx, job.orgId, job.incidentId);
      if (!inc || !stillPageable(inc, job.runId, job.step)) return true;
      const m = await tx.oncallContactMethod.findFirst({
        where: {
          id: job.contactMethodId,
          orgId: job.orgId,
          userId: job.userId,
          verifiedAt: { not: null },
        },
      });
      if (!m) return true;
      const page = await this.recordPage(tx, inc, job.userId, job.scheduleId, job.step, {
        ruleId: job.ruleId,
        contactMethodId: m.id,
        kind: m.kind as PagePlanItem['kind'],
        address: m.address,
        delaySeconds: 0,
      });
      if (page) after.pages.push(page);
      return false;
    });
    await this.afterCommit(after);
    return { paged: after.pages.length, ...(stale ? { stale } : {}) };
  }

  /** Acknowledged but not resolved in time: trigger again and escalate from the first level. */
  async ackTimeout(job: AckTimeoutJob): Promise<{ retriggered: boolean }> {
    const after = emptyAfterCommit();
    const retriggered = await this.db.forOrg(job.orgId, async (tx) => {
      const inc = await lockIncident(tx, job.orgId, job.incidentId);
      if (!inc || inc.status !== 'ACKNOWLEDGED' || inc.escalationRunId !== job.runId) return false;
      const runId = randomUUID();
      const updated = await tx.oncallIncident.update({
        where: { id: inc.id },
        data: {
          status: 'TRIGGERED',
          escalationRunId: runId,
          escalationStep: -1,
          acknowledgedById: null,
          acknowledgedAt: null,
        },
      });
      await event(tx, inc, 'retrigger', null, {
        reason: 'ack-timeout',
        ackTimeoutSeconds: inc.ackTimeoutSeconds,
      });
      after.escalate.push({
        job: { orgId: job.orgId, incidentId: inc.id, runId, step: 0 },
        delayMs: 0,
      });
      after.publish.push(updated);
      return true;
    });
    await this.afterCommit(after);
    return { retriggered };
  }

  /** Runs what a transaction decided, once it has committed. Every enqueue here is idempotent by job id. */
  async afterCommit(after: AfterCommit): Promise<void> {
    for (const p of after.pages) await this.handOff(p);
    for (const d of after.delayed) await this.queue.pageUser(d.job, d.delayMs);
    for (const n of after.notify) await this.notifyChannel(n);
    for (const e of after.escalate) await this.queue.escalate(e.job, e.delayMs);
    for (const a of after.ackTimeouts) await this.queue.ackTimeout(a.job, a.delayMs);
    for (const i of after.publish) await this.publisher.updated(i);
  }

  /**
   * Gives a recorded page to notify and notes its delivery id. A failure here throws, so the job
   * retries: the retried step finds the page still queued and hands it on, unless an
   * acknowledgement has ended the run in between, in which case it never leaves.
   */
  private async handOff(page: DirectPage): Promise<void> {
    const r = await this.sender.enqueue(page);
    const { pageId, incidentId } = page.source;
    if (!pageId || !incidentId) return;
    await this.db.forOrg(page.orgId, async (tx) => {
      await tx.oncallPage.updateMany({
        where: { id: pageId, orgId: page.orgId, status: 'queued' },
        data: { status: 'handed', deliveryId: r.deliveryId },
      });
      await event(tx, { id: incidentId, orgId: page.orgId }, 'delivery', null, {
        pageId,
        deliveryId: r.deliveryId,
        kind: page.target.kind,
        status: r.status,
      });
    });
  }

  /** A channel target: notify delivers it once per key. A channel deleted since the policy was saved is noted, not retried. */
  private async notifyChannel(job: NotifyJob): Promise<void> {
    let details: Record<string, unknown>;
    try {
      const r = await this.delivery.enqueue(job);
      details = { channelId: job.channelId, deliveryId: r.deliveryId, status: r.status };
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'NOT_FOUND' && err.code !== 'BAD_USER_INPUT'))
        throw err;
      details = { channelId: job.channelId, error: err.message };
    }
    const incidentId = job.source?.incidentId;
    if (incidentId)
      await this.db.forOrg(job.orgId, (tx) =>
        event(tx, { id: incidentId, orgId: job.orgId }, 'channel', null, details),
      );
  }

  private async recordPage(
    tx: Tx,
    inc: IncidentRow,
    userId: string,
    scheduleId: string | null,
    step: number,
    item: PagePlanItem,
  ): Promise<DirectPage | null> {
    const idempotencyKey = `page-${inc.id}-${step === RESPONDER_STEP ? 'responder' : inc.escalationRunId}-${step}-${userId}-${item.ruleId}`;
    // The incident lock serialises every page of this incident, so look-then-insert cannot race;
    // a retried job finds its own earlier page and hands it on only if it is still undelivered.
    const existing = await tx.oncallPage.findFirst({ where: { orgId: inc.orgId, idempotencyKey } });
    if (existing) {
      if (existing.status !== 'queued') return null;
      return this.directPage(inc, userId, item, idempotencyKey, existing.id);
    }
    const row = await tx.oncallPage.create({
      data: {
        orgId: inc.orgId,
        incidentId: inc.id,
        userId,
        scheduleId,
        contactMethodId: item.contactMethodId,
        kind: item.kind,
        address: item.address,
        step,
        runId: inc.escalationRunId,
        idempotencyKey,
        // The insert's own time (not the transaction's start, which now() would give): it is
        // what tests compare with acknowledged_at to show no page was recorded after an ack.
        createdAt: new Date(),
      },
    });
    await event(tx, inc, 'page', null, {
      pageId: row.id,
      userId,
      kind: item.kind,
      step,
      ...(scheduleId ? { scheduleId } : {}),
    });
    return this.directPage(inc, userId, item, idempotencyKey, row.id);
  }

  private directPage(
    inc: IncidentRow,
    userId: string,
    item: PagePlanItem,
    idempotencyKey: string,
    pageId: string,
  ): DirectPage {
    const message = pageMessage({ orgId: inc.orgId, userId, incident: inc });
    return {
      orgId: inc.orgId,
      idempotencyKey,
      target: { kind: item.kind, address: item.address },
      // An SMS is short: its text already names the incident, so no subject line in front.
      message: item.kind === 'sms' ? { ...message, subject: '' } : message,
      source: {
        incidentId: inc.id,
        pageId,
        contactMethodId: item.contactMethodId,
        purpose: 'page',
      },
    };
  }

  private notifyJob(
    inc: IncidentRow,
    snapshot: PolicySnapshot,
    channelId: string,
    step: number,
  ): NotifyJob {
    const config = loadConfig();
    return {
      orgId: inc.orgId,
      channelId,
      idempotencyKey: `incident-${inc.id}-${inc.escalationRunId}-${step}-${channelId}`,
      notification: {
        kind: 'alert-group',
        groupKey: inc.groupKey ?? `incident:${inc.id}`,
        status: 'firing',
        receiver: snapshot.name,
        groupLabels: {},
        commonLabels: { incident: String(inc.number), urgency: inc.urgency },
        commonAnnotations: { summary: inc.title },
        externalURL: config.PUBLIC_WEB_URL,
        alerts: Array.isArray(inc.alerts) ? (inc.alerts as never) : [],
        truncatedAlerts: 0,
      },
      source: { incidentId: inc.id, policyId: snapshot.policyId },
    };
  }
}

/** A page may still leave: responder pages until resolution, escalation pages only within their run while triggered. */
export function stillPageable(inc: IncidentRow, runId: string, step: number): boolean {
  if (step === RESPONDER_STEP) return inc.status !== 'RESOLVED';
  return inc.status === 'TRIGGERED' && inc.escalationRunId === runId;
}

export async function event(
  tx: Tx,
  inc: { id: string; orgId: string },
  kind: string,
  actorUserId: string | null,
  details: Record<string, unknown>,
): Promise<void> {
  await tx.oncallIncidentEvent.create({
    data: { orgId: inc.orgId, incidentId: inc.id, kind, actorUserId, details: json(details) },
  });
}
