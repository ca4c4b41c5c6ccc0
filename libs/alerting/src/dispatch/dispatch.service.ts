import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { loadConfig } from '@tocsin/config';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import type {
  AlertGroupIncidentJob,
  AlertGroupNotification,
  AlertPayload,
  NotifyJob,
} from '@tocsin/queue';
import { NotificationPolicyService } from '../routing/notification-policy.service';
import {
  findRoute,
  groupKeyOf,
  groupLabelsFor,
  hashKey,
  matchRoutes,
  type CompiledPolicy,
  type Route,
} from '../routing/route-tree';
import { DispatchQueues } from './dispatch-queue';
import { DispatchStore, type DecisionInput, type GroupRow, type MemberRow } from './dispatch.store';
import type { DispatchAlert, FlushJob } from './dispatch.types';
import { firstFlushAt, needsUpdate, nextFlushAt } from './group-timers';
import { MuteEvaluator, type MuteReason, type Muter } from './mute-evaluator';

const FIRING_ENDS_AT = '0001-01-01T00:00:00Z';
/** Alerts per notification; the rest are counted in truncatedAlerts. */
const MAX_ALERTS_PER_NOTIFICATION = 500;

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

interface Placement {
  alert: DispatchAlert;
  route: Route;
  groupKey: string;
  groupHash: string;
  groupLabels: Record<string, string>;
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
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: DispatchStore,
    private readonly policies: NotificationPolicyService,
    private readonly muter: MuteEvaluator,
    private readonly queues: DispatchQueues,
  ) {}

  /** Routes alerts into their groups, flushes the groups due now, schedules the others. */
  async dispatch(
    orgId: string,
    alerts: readonly DispatchAlert[],
    options: { inlineFlush?: boolean } = {},
  ): Promise<{ groups: number }> {
    if (!alerts.length) return { groups: 0 };
    const { groups, afterCommit } = await withOrgClient(this.pool, orgId, (c) =>
      this.dispatchIn(c, orgId, alerts, options),
    );
    await afterCommit();
    return { groups };
  }

  /**
   * The same inside the caller's transaction (intake stores its alerts in it). Groups due now are
   * flushed in this transaction, saving a queue hop and a transaction on the latency path; the
   * caller must run `afterCommit` to schedule the later flushes.
   */
  async dispatchIn(
    c: PoolClient,
    orgId: string,
    alerts: readonly DispatchAlert[],
    options: { inlineFlush?: boolean } = {},
  ): Promise<{ groups: number; afterCommit: () => Promise<void> }> {
    const now = Date.now();
    const ctx = await this.store.context(c, orgId, new Date(now));
    const policy = this.policies.compile(orgId, ctx.policy);
    const placements: Placement[] = [];
    for (const alert of alerts) {
      for (const route of matchRoutes(policy.root, alert.labels)) {
        const groupLabels = groupLabelsFor(route, alert.labels);
        const groupKey = groupKeyOf(route, groupLabels);
        placements.push({
          alert,
          route,
          groupKey,
          groupLabels,
          groupHash: hashKey(orgId, route.id, groupKey),
        });
      }
    }
    // One lock order for every transaction, so two dispatches of overlapping groups cannot deadlock.
    placements.sort((a, b) => (a.groupHash < b.groupHash ? -1 : a.groupHash > b.groupHash ? 1 : 0));
    const due = new Map<string, number>();
    const decisions: DecisionInput[] = [];
    const slots = new Map<Placement, number | null>();
    // Placements of one group are adjacent (sorted by hash): a batch is placed in a few
    // statements, not a few per alert. A fingerprint twice in a group (say firing, then
    // resolved) keeps the one-by-one path, which applies them in order.
    for (let i = 0; i < placements.length;) {
      let j = i;
      while (j < placements.length && placements[j].groupHash === placements[i].groupHash) j++;
      const batch = placements.slice(i, j);
      i = j;
      const fps = new Set(batch.map((p) => p.alert.fingerprint));
      if (batch.length > 1 && fps.size === batch.length) {
        const slot = await this.placeMany(c, orgId, batch, now);
        for (const p of batch) slots.set(p, slot);
      } else for (const p of batch) slots.set(p, await this.place(c, orgId, p, now));
    }
    for (const p of placements) {
      const slot = slots.get(p) ?? null;
      if (slot !== null) due.set(p.groupHash, slot);
      // A re-posted, still-firing external alert only refreshes its endsAt: nothing to explain.
      if (p.alert.refresh) continue;
      decisions.push({
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
    await this.store.decisions(c, orgId, decisions);
    const later: [string, number][] = [];
    let muter: Muter | undefined;
    for (const [groupHash, slot] of due) {
      if (options.inlineFlush !== false && slot <= now) {
        muter ??= this.muter.build(ctx, policy, now);
        await this.flushIn(c, orgId, groupHash, slot, policy, () => muter!, now);
      } else later.push([groupHash, slot]);
    }
    const afterCommit = async () => {
      // After the commit: the jobs name slots that are now stored on the group rows.
      if (!later.length) return;
      await this.queues.dispatch.addBulk(
        later.map(([groupHash, slot]) => ({
          name: 'flush',
          data: { kind: 'flush' as const, orgId, groupHash, slot } satisfies FlushJob,
          opts: {
            jobId: flushJobId(orgId, groupHash, slot),
            delay: Math.max(0, slot - Date.now()),
          },
        })),
      );
    };
    return { groups: due.size, afterCommit };
  }

  /** Adds or updates one alert in one group; returns the group's scheduled flush slot. */
  private async place(
    c: PoolClient,
    orgId: string,
    p: Placement,
    now: number,
  ): Promise<number | null> {
    const { alert, route } = p;
    const group = (await this.store.lockGroup(c, orgId, {
      hash: p.groupHash,
      key: p.groupKey,
      routeId: route.id,
      labels: p.groupLabels,
    }))!;
    const changed =
      alert.status === 'firing'
        ? await this.store.upsertFiring(c, orgId, p.groupHash, {
            alertId: alert.alertId,
            fingerprint: alert.fingerprint,
            labels: alert.labels,
            annotations: alert.annotations,
            startsAt: new Date(alert.startsAt),
            endsAt: alert.endsAt ? new Date(alert.endsAt) : null,
            generatorURL: alert.generatorURL,
            value: alert.value,
          })
        : await this.store.markResolved(
            c,
            orgId,
            p.groupHash,
            alert.fingerprint,
            new Date(alert.endsAt ?? now),
          );
    let slot = group.next_flush_at?.getTime() ?? null;
    if (slot === null && changed > 0) {
      slot = firstFlushAt(
        now,
        route.groupWaitMs,
        group.last_flush_at?.getTime() ?? null,
        route.groupIntervalMs,
      );
      await this.store.setNextFlush(c, orgId, p.groupHash, slot);
    }
    return slot;
  }

  /** `place` for alerts of one group with distinct fingerprints: one lock, two statements. */
  private async placeMany(
    c: PoolClient,
    orgId: string,
    batch: Placement[],
    now: number,
  ): Promise<number | null> {
    const { route } = batch[0];
    const group = (await this.store.lockGroup(c, orgId, {
      hash: batch[0].groupHash,
      key: batch[0].groupKey,
      routeId: route.id,
      labels: batch[0].groupLabels,
    }))!;
    const firing = batch.filter((p) => p.alert.status === 'firing').map((p) => p.alert);
    const resolved = batch.filter((p) => p.alert.status !== 'firing').map((p) => p.alert);
    const changed =
      (await this.store.upsertFiringMany(
        c,
        orgId,
        batch[0].groupHash,
        firing.map((alert) => ({
          alertId: alert.alertId,
          fingerprint: alert.fingerprint,
          labels: alert.labels,
          annotations: alert.annotations,
          startsAt: new Date(alert.startsAt),
          endsAt: alert.endsAt ? new Date(alert.endsAt) : null,
          generatorURL: alert.generatorURL,
          value: alert.value,
        })),
      )) +
      (await this.store.markResolvedMany(
        c,
        orgId,
        batch[0].groupHash,
        resolved.map((alert) => ({
          fingerprint: alert.fingerprint,
          endsAt: new Date(alert.endsAt ?? now),
        })),
      ));
    let slot = group.next_flush_at?.getTime() ?? null;
    if (slot === null && changed > 0) {
      slot = firstFlushAt(
        now,
        route.groupWaitMs,
        group.last_flush_at?.getTime() ?? null,
        route.groupIntervalMs,
      );
      await this.store.setNextFlush(c, orgId, batch[0].groupHash, slot);
    }
    return slot;
  }

  /** One flush of one group at one slot (the flush job); a slot that is no longer the group's next is stale. */
  async flush(orgId: string, groupHash: string, slot: number): Promise<FlushOutcome> {
    return withOrgClient(this.pool, orgId, async (c) => {
      const now = Date.now();
      const ctx = await this.store.context(c, orgId, new Date(now));
      const policy = this.policies.compile(orgId, ctx.policy);
      return this.flushIn(
        c,
        orgId,
        groupHash,
        slot,
        policy,
        () => this.muter.build(ctx, policy, now),
        now,
      );
    });
  }

  private async flushIn(
    c: PoolClient,
    orgId: string,
    groupHash: string,
    slot: number,
    policy: CompiledPolicy,
    muterOf: () => Muter,
    now: number,
  ): Promise<FlushOutcome> {
    const group = await this.store.lockGroup(c, orgId, groupHash);
    if (!group || group.next_flush_at?.getTime() !== slot) return { status: 'stale' };
    const found = findRoute(policy.root, group.route_id);
    const route = found && groupKeyOf(found, group.group_labels) === group.group_key ? found : null;
    const loaded = await this.store.members(c, orgId, groupHash);
    // After a policy change, alerts that now route elsewhere leave this group and are dispatched
    // anew (Alertmanager re-routes every alert on reload); the rest stay.
    const belongs = (m: MemberRow) =>
      route !== null &&
      matchRoutes(policy.root, m.labels).some(
        (r) => r.id === route.id && groupKeyOf(r, groupLabelsFor(r, m.labels)) === group.group_key,
      );
    const members = loaded.filter(belongs);
    const moved = loaded.filter((m) => !belongs(m));
    if (moved.length) await this.reroute(c, orgId, groupHash, slot, group.group_key, moved, now);
    if (!route || (moved.length && !members.length)) {
      // Nothing left here: close without a notification (the alerts live on in their new groups).
      await this.store.setNextFlush(c, orgId, groupHash, null, now);
      return { status: 'closed' };
    }
    const mute = muterOf();
    const firing: MemberRow[] = [];
    const resolved: MemberRow[] = [];
    const muted = new Map<string, MuteReason[]>();
    const muteEnds: number[] = [];
    const dropped: string[] = [];
    let stillFiring = false;
    for (const m of members) {
      // External alerts carry endsAt: not refreshed by then, they count as resolved.
      const status =
        m.status === 'firing' && m.ends_at && m.ends_at.getTime() <= now ? 'resolved' : m.status;
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
    const sendResolved = receiver.sendResolved ?? true;
    const entry = await this.store.nflog(c, orgId, groupHash, receiver.name);
    const firingSet = new Set(firing.map((m) => m.fingerprint));
    const resolvedSet = new Set(resolved.map((m) => m.fingerprint));
    const update = needsUpdate(
      entry
        ? { firing: entry.firing, resolved: entry.resolved, sentAt: entry.sent_at.getTime() }
        : null,
      firingSet,
      resolvedSet,
      now,
      route.repeatIntervalMs,
      sendResolved,
    );
    const notifyJobs: NotifyJob[] = [];
    let incidentJob: AlertGroupIncidentJob | null = null;
    const deliver = update && (firing.length > 0 || sendResolved);
    if (deliver) {
      const notification = this.notification(group, receiver.name, firing, resolved);
      for (const channelId of receiver.channelIds ?? []) {
        notifyJobs.push({
          orgId,
          channelId,
          idempotencyKey: `ag-${hashKey(orgId, group.group_key, String(slot), receiver.name, channelId)}`,
          notification,
          source: {
            alertFingerprint: firing[0]?.fingerprint ?? resolved[0]?.fingerprint,
            policyId: route.id,
          },
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
    if (update)
      await this.store.writeNflog(
        c,
        orgId,
        groupHash,
        receiver.name,
        [...firingSet],
        [...resolvedSet],
        now,
        slot,
      );
    // Resolved alerts leave the group once a flush has seen them, as in Alertmanager.
    await this.store.deleteMembers(c, orgId, groupHash, dropped);
    // An external alert that is not re-posted resolves at its endsAt: flush then, not a tick later.
    const ends = members
      .filter((m) => m.status === 'firing' && m.ends_at)
      .map((m) => m.ends_at!.getTime());
    const next = stillFiring
      ? nextFlushAt(now, route.groupIntervalMs, [...muteEnds, ...ends])
      : null;
    await this.store.setNextFlush(c, orgId, groupHash, next, now);
    const keys = notifyJobs.map((j) => ({
      channelId: j.channelId,
      idempotencyKey: j.idempotencyKey,
    }));
    const why = deliver
      ? 'sent'
      : update
        ? 'the receiver does not want resolved notifications'
        : entry
          ? 'already notified; repeat_interval not reached'
          : 'nothing firing to notify';
    // A tick with no news for an unmuted alert records nothing: its last decision still explains
    // it, and a long-firing group would otherwise add a row per alert per group_interval.
    const worthRecording = members.filter((m) => update || muted.has(m.fingerprint) || !entry);
    await this.store.decisions(
      c,
      orgId,
      worthRecording.map((m) => {
        const reasons = muted.get(m.fingerprint) ?? [];
        const included =
          !reasons.length && (firingSet.has(m.fingerprint) || resolvedSet.has(m.fingerprint));
        return {
          alertId: m.alert_id,
          fingerprint: m.fingerprint,
          kind: reasons.length ? 'muted' : included && deliver ? 'notified' : 'not_notified',
          detail: {
            groupKey: group.group_key,
            groupHash,
            slot: new Date(slot).toISOString(),
            receiver: receiver.name,
            status: dropped.includes(m.fingerprint) ? 'resolved' : 'firing',
            muted: reasons,
            why: reasons.length ? 'muted' : why,
            deliveries: included && deliver ? keys : [],
            incidentKey: included && incidentJob ? incidentJob.idempotencyKey : null,
            nextFlushAt: next === null ? null : new Date(next).toISOString(),
          },
        };
      }),
    );
    // Enqueued before the commit on purpose: were the commit to fail, the retried flush (same
    // slot) makes the same job ids and idempotency keys, so notify still delivers once; enqueued
    // after a commit and then lost, the slot would be stale and the news gone.
    if (notifyJobs.length) {
      await this.queues.notify.addBulk(
        notifyJobs.map((j) => ({ name: 'notify', data: j, opts: { jobId: j.idempotencyKey } })),
      );
    }
    if (incidentJob)
      await this.queues.oncall.add('alert-group-incident', incidentJob, {
        jobId: incidentJob.idempotencyKey,
      });
    if (next !== null) {
      await this.queues.dispatch.add(
        'flush',
        { kind: 'flush', orgId, groupHash, slot: next },
        { jobId: flushJobId(orgId, groupHash, next), delay: Math.max(0, next - Date.now()) },
      );
    }
    return {
      status: 'flushed',
      notified: deliver,
      notifyJobs: notifyJobs.length,
      nextFlushAt: next,
    };
  }

  /** Takes alerts out of a group whose route no longer fits them and queues their dispatch. */
  private async reroute(
    c: PoolClient,
    orgId: string,
    groupHash: string,
    slot: number,
    groupKey: string,
    moved: MemberRow[],
    now: number,
  ): Promise<void> {
    await this.store.deleteMembers(
      c,
      orgId,
      groupHash,
      moved.map((m) => m.fingerprint),
    );
    await this.store.decisions(
      c,
      orgId,
      moved.map((m) => ({
        alertId: m.alert_id,
        fingerprint: m.fingerprint,
        kind: 'rerouted',
        detail: { groupKey, reason: 'the notification policy changed: routed anew' },
      })),
    );
    const alerts: DispatchAlert[] = moved
      .filter((m) => m.status === 'firing' && !(m.ends_at && m.ends_at.getTime() <= now))
      .map((m) => ({
        alertId: m.alert_id,
        fingerprint: m.fingerprint,
        labels: m.labels,
        annotations: m.annotations,
        status: 'firing' as const,
        startsAt: m.starts_at.toISOString(),
        endsAt: m.ends_at?.toISOString() ?? null,
        generatorURL: m.generator_url,
        value: m.value,
        source: 'reroute',
      }));
    // Queued, not placed here: placing would lock other groups out of the global lock order.
    if (alerts.length) {
      await this.queues.dispatch.add(
        'dispatch',
        { kind: 'dispatch', orgId, alerts },
        { jobId: `reroute-${orgId}-${groupHash}-${slot}` },
      );
    }
  }

  private notification(
    group: GroupRow,
    receiver: string,
    firing: MemberRow[],
    resolved: MemberRow[],
  ): AlertGroupNotification {
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
    const name =
      n.commonLabels.alertname ??
      n.groupLabels.alertname ??
      n.alerts[0]?.labels.alertname ??
      'Alert';
    const firing = n.alerts.filter((a) => a.status === 'firing').length;
    return `[${n.status.toUpperCase()}${firing ? `:${firing}` : ''}] ${name}`.slice(0, 300);
  }
}

/** The label pairs every set shares (Alertmanager's commonLabels). */
function common(sets: Record<string, string>[]): Record<string, string> {
  if (!sets.length) return {};
  const out: Record<string, string> = { ...sets[0] };
  for (const s of sets.slice(1))
    for (const k of Object.keys(out)) if (s[k] !== out[k]) delete out[k];
  return out;
}
