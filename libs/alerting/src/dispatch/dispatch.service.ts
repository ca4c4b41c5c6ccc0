import { Injectable, Logger } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import type { Prisma, Tx } from '@tocsin/db';
import type { AlertGroupIncidentJob, AlertGroupNotification, AlertPayload, NotifyJob } from '@tocsin/queue';
import { TenantDb } from '@tocsin/tenancy';
import { NotificationPolicyService } from '../routing/notification-policy.service';
import { findRoute, groupKeyOf, groupLabelsFor, hashKey, matchRoutes, type Route } from '../routing/route-tree';
import { DispatchQueues } from './dispatch-queue';
import type { DispatchAlert, FlushJob } from './dispatch.types';
import { firstFlushAt, needsUpdate, nextFlushAt } from './group-timers';
import { MuteEvaluator, type MuteReason } from './mute-evaluator';

const FIRING_ENDS_AT = '0001-01-01T00:00:00Z';
/** Alerts per notification; the rest are counted in truncatedAlerts. */
const MAX_ALERTS_PER_NOTIFICATION = 500;

interface GroupRow {
  group_key: string;
  route_id: string;
  group_labels: Record<string, string>;
  next_flush_at: Date | null;
  last_flush_at: Date | null;
}

interface MemberRow {
  fingerprint: string;
  alert_id: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: 'firing' | 'resolved';
  starts_at: Date;
  ends_at: Date | null;
  generator_url: string;
  value: number | null;
}

export interface FlushOutcome {
  status: 'stale' | 'closed' | 'flushed';
  notified?: boolean;
  notifyJobs?: number;
  nextFlushAt?: number | null;
}

/** The job id of a group's flush at one slot: the same for every worker that asks. */
export function flushJobId(orgId: string, groupHash: string, slot: number): string {
  return `flush-${orgId}-${groupHash}-${slot}`;
}

/**
 * Alertmanager's dispatcher on PostgreSQL and BullMQ. `dispatch` puts alerts into aggregation
 * groups (route × group_by values) and schedules each group's next flush; `flush` decides, per
 * receiver and against the notification log, whether to notify, and enqueues the NotifyJobs.
 * Every group change happens under the group row's lock and every timer is a delayed job whose
 * id is derived from the group and the slot stored on the row, so any number of workers, retries
 * and restarts notify once per (group, slot, channel).
 */
@Injectable()
export class DispatchService {
  private readonly logger = new Logger('alert-dispatch');

  constructor(
    private readonly db: TenantDb,
    private readonly policies: NotificationPolicyService,
    private readonly muter: MuteEvaluator,
    private readonly queues: DispatchQueues,
  ) {}

  /** Routes alerts into their groups and schedules flushes; flushes the groups due now inline. */
  async dispatch(orgId: string, alerts: readonly DispatchAlert[], options: { inlineFlush?: boolean } = {}): Promise<{ groups: number }> {
    if (!alerts.length) return { groups: 0 };
    const now = Date.now();
    const due = new Map<string, number>();
    await this.db.forOrg(orgId, async (tx) => {
      const policy = await this.policies.compiled(tx, orgId);
      const placements: { alert: DispatchAlert; route: Route; groupKey: string; groupHash: string; groupLabels: Record<string, string> }[] = [];
      for (const alert of alerts) {
        for (const route of matchRoutes(policy.root, alert.labels)) {
          const groupLabels = groupLabelsFor(route, alert.labels);
          const groupKey = groupKeyOf(route, groupLabels);
          placements.push({ alert, route, groupKey, groupLabels, groupHash: hashKey(orgId, route.id, groupKey) });
        }
      }
      // One lock order for every transaction, so two dispatches of overlapping groups cannot deadlock.
      placements.sort((a, b) => (a.groupHash < b.groupHash ? -1 : a.groupHash > b.groupHash ? 1 : 0));
      const decisions: Prisma.DispatchDecisionCreateManyInput[] = [];
      for (const p of placements) {
        const slot = await this.place(tx, orgId, p, now);
        if (slot !== null) due.set(p.groupHash, slot);
        decisions.push({
          orgId,
          alertId: p.alert.alertId,
          fingerprint: p.alert.fingerprint,
          kind: 'routed',
          detail: {
            status: p.alert.status,
            source: p.alert.source,
            routeId: p.route.id,
            routeKey: p.route.key,
            receiver: p.route.receiver.name,
            groupKey: p.groupKey,
            groupHash: p.groupHash,
            groupWaitMs: p.route.groupWaitMs,
            groupIntervalMs: p.route.groupIntervalMs,
            repeatIntervalMs: p.route.repeatIntervalMs,
            nextFlushAt: slot === null ? null : new Date(slot).toISOString(),
          },
        });
      }
      if (decisions.length) await tx.dispatchDecision.createMany({ data: decisions });
    });
    // After the commit: the jobs name slots that are now stored on the group rows.
    await this.queues.dispatch.addBulk(
      [...due].map(([groupHash, slot]) => ({
        name: 'flush',
        data: { kind: 'flush' as const, orgId, groupHash, slot } satisfies FlushJob,
        opts: { jobId: flushJobId(orgId, groupHash, slot), delay: Math.max(0, slot - Date.now()) },
      })),
    );
    if (options.inlineFlush !== false) {
      // A group due now is flushed here rather than after a queue hop: the ingest-to-webhook
      // latency target. The queued job for the same slot then finds it stale and does nothing.
      for (const [groupHash, slot] of due) {
        if (slot <= Date.now()) {
          await this.flush(orgId, groupHash, slot).catch((err: Error) => this.logger.warn(`inline flush failed (the queued job retries): ${err.message}`));
        }
      }
    }
    return { groups: due.size };
  }

  /** Adds or updates one alert in one group; returns the group's scheduled flush slot. */
  private async place(
    tx: Tx,
    orgId: string,
    p: { alert: DispatchAlert; route: Route; groupKey: string; groupHash: string; groupLabels: Record<string, string> },
    now: number,
  ): Promise<number | null> {
    const { alert, route } = p;
    await tx.$executeRaw`
      INSERT INTO alert_groups (org_id, group_hash, group_key, route_id, group_labels)
      VALUES (${orgId}::uuid, ${p.groupHash}, ${p.groupKey}, ${route.id}, ${JSON.stringify(p.groupLabels)}::jsonb)
      ON CONFLICT (org_id, group_hash) DO NOTHING`;
    const [group] = await tx.$queryRaw<GroupRow[]>`
      SELECT group_key, route_id, group_labels, next_flush_at, last_flush_at FROM alert_groups
      WHERE org_id = ${orgId}::uuid AND group_hash = ${p.groupHash} FOR UPDATE`;
    let changed: number;
    if (alert.status === 'firing') {
      changed = await tx.$executeRaw`
        INSERT INTO alert_group_members (org_id, group_hash, fingerprint, alert_id, labels, annotations, status, starts_at, ends_at, generator_url, value, updated_at)
        VALUES (${orgId}::uuid, ${p.groupHash}, ${alert.fingerprint}, ${alert.alertId}::uuid, ${JSON.stringify(alert.labels)}::jsonb,
                ${JSON.stringify(alert.annotations)}::jsonb, 'firing', ${new Date(alert.startsAt)}, ${alert.endsAt ? new Date(alert.endsAt) : null},
                ${alert.generatorURL}, ${alert.value}, now())
        ON CONFLICT (org_id, group_hash, fingerprint) DO UPDATE SET
          alert_id = excluded.alert_id, labels = excluded.labels, annotations = excluded.annotations, status = 'firing',
          starts_at = excluded.starts_at, ends_at = excluded.ends_at, generator_url = excluded.generator_url, value = excluded.value, updated_at = now()`;
    } else {
      // An alert the group never held (it fired and resolved unseen) has nothing to resolve.
      changed = await tx.$executeRaw`
        UPDATE alert_group_members SET status = 'resolved', ends_at = ${new Date(alert.endsAt ?? now)}, updated_at = now()
        WHERE org_id = ${orgId}::uuid AND group_hash = ${p.groupHash} AND fingerprint = ${alert.fingerprint} AND status = 'firing'`;
    }
    let slot = group.next_flush_at?.getTime() ?? null;
    if (slot === null && changed > 0) {
      slot = firstFlushAt(now, route.groupWaitMs, group.last_flush_at?.getTime() ?? null, route.groupIntervalMs);
      await tx.$executeRaw`UPDATE alert_groups SET next_flush_at = ${new Date(slot)} WHERE org_id = ${orgId}::uuid AND group_hash = ${p.groupHash}`;
    }
    return slot;
  }

  /** One flush of one group at one slot; a slot that is no longer the group's next is stale. */
  async flush(orgId: string, groupHash: string, slot: number): Promise<FlushOutcome> {
    const now = Date.now();
    return this.db.forOrg(orgId, async (tx) => {
      const [group] = await tx.$queryRaw<GroupRow[]>`
        SELECT group_key, route_id, group_labels, next_flush_at, last_flush_at FROM alert_groups
        WHERE org_id = ${orgId}::uuid AND group_hash = ${groupHash} FOR UPDATE`;
      if (!group || group.next_flush_at?.getTime() !== slot) return { status: 'stale' as const };
      const policy = await this.policies.compiled(tx, orgId);
      const route = findRoute(policy.root, group.route_id);
      const members = await tx.$queryRaw<MemberRow[]>`
        SELECT fingerprint, alert_id, labels, annotations, status, starts_at, ends_at, generator_url, value
        FROM alert_group_members WHERE org_id = ${orgId}::uuid AND group_hash = ${groupHash} ORDER BY starts_at, fingerprint`;
      if (!route || groupKeyOf(route, group.group_labels) !== group.group_key) {
        // The policy changed and this group's route is gone: its alerts are routed anew on their next transition.
        await tx.$executeRaw`DELETE FROM alert_group_members WHERE org_id = ${orgId}::uuid AND group_hash = ${groupHash}`;
        await tx.$executeRaw`UPDATE alert_groups SET next_flush_at = NULL, last_flush_at = ${new Date(now)} WHERE org_id = ${orgId}::uuid AND group_hash = ${groupHash}`;
        if (members.length) {
          await tx.dispatchDecision.createMany({
            data: members.map((m) => ({ orgId, alertId: m.alert_id, fingerprint: m.fingerprint, kind: 'group_closed', detail: { groupKey: group.group_key, reason: 'the route no longer exists in the notification policy' } })),
          });
        }
        return { status: 'closed' as const };
      }
      const mute = await this.muter.load(tx, orgId, policy, now);
      const firing: MemberRow[] = [];
      const resolved: MemberRow[] = [];
      const muted = new Map<string, MuteReason[]>();
      const muteEnds: number[] = [];
      const dropped: string[] = [];
      let stillFiring = false;
      for (const m of members) {
        // External alerts carry endsAt: not refreshed by then, they count as resolved.
        const status = m.status === 'firing' && m.ends_at && m.ends_at.getTime() <= now ? 'resolved' : m.status;
        if (status === 'resolved') dropped.push(m.fingerprint);
        else stillFiring = true;
        const reasons = mute({ fingerprint: m.fingerprint, labels: m.labels }, route);
        if (reasons.length) {
          muted.set(m.fingerprint, reasons);
          for (const r of reasons) if (r.until !== null) muteEnds.push(r.until);
          continue;
        }
        (status === 'firing' ? firing : resolved).push({ ...m, status });
      }
      const receiver = route.receiver;
      const [entry] = await tx.$queryRaw<{ firing: string[]; resolved: string[]; sent_at: Date }[]>`
        SELECT firing, resolved, sent_at FROM notification_log
        WHERE org_id = ${orgId}::uuid AND group_hash = ${groupHash} AND receiver = ${receiver.name}`;
      const firingSet = new Set(firing.map((m) => m.fingerprint));
      const resolvedSet = new Set(resolved.map((m) => m.fingerprint));
      const update = needsUpdate(
        entry ? { firing: entry.firing, resolved: entry.resolved, sentAt: entry.sent_at.getTime() } : null,
        firingSet,
        resolvedSet,
        now,
        route.repeatIntervalMs,
        receiver.sendResolved ?? true,
      );
      const notifyJobs: NotifyJob[] = [];
      let incidentJob: AlertGroupIncidentJob | null = null;
      const deliver = update && (firing.length > 0 || (receiver.sendResolved ?? true));
      if (deliver) {
        const notification = this.notification(group, receiver.name, firing, resolved);
        for (const channelId of receiver.channelIds ?? []) {
          notifyJobs.push({
            orgId,
            channelId,
            idempotencyKey: `ag-${hashKey(orgId, group.group_key, String(slot), receiver.name, channelId)}`,
            notification,
            source: { alertFingerprint: firing[0]?.fingerprint ?? resolved[0]?.fingerprint, policyId: route.id },
          });
        }
        if (receiver.escalationPolicyId) {
          incidentJob = {
            kind: 'alert-group-incident',
            orgId,
            escalationPolicyId: receiver.escalationPolicyId,
            groupKey: group.group_key,
            status: notification.status,
            title: this.title(notification),
            urgency: receiver.urgency ?? 'high',
            alerts: notification.alerts,
            idempotencyKey: `agi-${hashKey(orgId, group.group_key, String(slot), receiver.name)}`,
          };
        }
      }
      if (update) {
        await tx.$executeRaw`
          INSERT INTO notification_log (org_id, group_hash, receiver, firing, resolved, sent_at, slot)
          VALUES (${orgId}::uuid, ${groupHash}, ${receiver.name}, ${[...firingSet]}::text[], ${[...resolvedSet]}::text[], ${new Date(now)}, ${slot})
          ON CONFLICT (org_id, group_hash, receiver) DO UPDATE SET
            firing = excluded.firing, resolved = excluded.resolved, sent_at = excluded.sent_at, slot = excluded.slot`;
      }
      // Resolved alerts leave the group once a flush has seen them, as in Alertmanager.
      if (dropped.length) {
        await tx.$executeRaw`DELETE FROM alert_group_members WHERE org_id = ${orgId}::uuid AND group_hash = ${groupHash} AND fingerprint = ANY(${dropped}::text[])`;
      }
      const next = stillFiring ? nextFlushAt(now, route.groupIntervalMs, muteEnds) : null;
      await tx.$executeRaw`
        UPDATE alert_groups SET next_flush_at = ${next === null ? null : new Date(next)}, last_flush_at = ${new Date(now)}
        WHERE org_id = ${orgId}::uuid AND group_hash = ${groupHash}`;
      const keys = notifyJobs.map((j) => ({ channelId: j.channelId, idempotencyKey: j.idempotencyKey }));
      if (members.length) {
        await tx.dispatchDecision.createMany({
          data: members.map((m) => {
            const reasons = muted.get(m.fingerprint) ?? [];
            const included = !reasons.length && (firingSet.has(m.fingerprint) || resolvedSet.has(m.fingerprint));
            return {
              orgId,
              alertId: m.alert_id,
              fingerprint: m.fingerprint,
              kind: reasons.length ? 'muted' : included && deliver ? 'notified' : 'not_notified',
              detail: {
                groupKey: group.group_key,
                groupHash,
                slot: new Date(slot).toISOString(),
                receiver: receiver.name,
                status: dropped.includes(m.fingerprint) ? 'resolved' : 'firing',
                muted: reasons as unknown as Prisma.InputJsonValue,
                why: reasons.length
                  ? 'muted'
                  : deliver
                    ? 'sent'
                    : update
                      ? 'receiver does not want resolved notifications'
                      : entry
                        ? 'already notified; repeat_interval not reached'
                        : 'nothing firing to notify',
                deliveries: included && deliver ? keys : [],
                incidentKey: included && incidentJob ? incidentJob.idempotencyKey : null,
                nextFlushAt: next === null ? null : new Date(next).toISOString(),
              } as Prisma.InputJsonValue,
            };
          }),
        });
      }
      // Enqueued before the commit on purpose: were the commit to fail, the retried flush (same
      // slot) makes the same job ids and idempotency keys, so notify still delivers once; enqueued
      // after a commit that then lost its enqueue, the slot would be stale and the news lost.
      if (notifyJobs.length) {
        await this.queues.notify.addBulk(notifyJobs.map((j) => ({ name: 'notify', data: j, opts: { jobId: j.idempotencyKey } })));
      }
      if (incidentJob) await this.queues.oncall.add('alert-group-incident', incidentJob, { jobId: incidentJob.idempotencyKey });
      if (next !== null) {
        await this.queues.dispatch.add('flush', { kind: 'flush', orgId, groupHash, slot: next }, { jobId: flushJobId(orgId, groupHash, next), delay: Math.max(0, next - Date.now()) });
      }
      return { status: 'flushed' as const, notified: deliver, notifyJobs: notifyJobs.length, nextFlushAt: next };
    });
  }

  private notification(group: GroupRow, receiver: string, firing: MemberRow[], resolved: MemberRow[]): AlertGroupNotification {
    const all = [...firing, ...resolved];
    const alerts: AlertPayload[] = all.slice(0, MAX_ALERTS_PER_NOTIFICATION).map((m) => ({
      fingerprint: m.fingerprint,
      status: firing.includes(m) ? 'firing' : 'resolved',
      labels: m.labels,
      annotations: m.annotations,
      startsAt: m.starts_at.toISOString(),
      endsAt: firing.includes(m) ? FIRING_ENDS_AT : (m.ends_at ?? new Date()).toISOString(),
      generatorURL: m.generator_url,
      ...(m.value !== null && Number.isFinite(m.value) ? { value: m.value } : {}),
    }));
    return {
      kind: 'alert-group',
      groupKey: group.group_key,
      status: firing.length ? 'firing' : 'resolved',
      receiver,
      groupLabels: group.group_labels,
      commonLabels: common(all.map((m) => m.labels)),
      commonAnnotations: common(all.map((m) => m.annotations)),
      externalURL: loadConfig().PUBLIC_WEB_URL,
      alerts,
      truncatedAlerts: Math.max(0, all.length - alerts.length),
    };
  }

  private title(n: AlertGroupNotification): string {
    const name = n.commonLabels.alertname ?? n.groupLabels.alertname ?? n.alerts[0]?.labels.alertname ?? 'Alert';
    const firing = n.alerts.filter((a) => a.status === 'firing').length;
    return `[${n.status.toUpperCase()}${firing ? `:${firing}` : ''}] ${name}`.slice(0, 300);
  }
}

/** The label pairs every set shares (Alertmanager's commonLabels). */
function common(sets: Record<string, string>[]): Record<string, string> {
  if (!sets.length) return {};
  const out: Record<string, string> = { ...sets[0] };
  for (const s of sets.slice(1)) for (const k of Object.keys(out)) if (s[k] !== out[k]) delete out[k];
  return out;
}
