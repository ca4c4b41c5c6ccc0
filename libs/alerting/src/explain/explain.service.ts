import { Injectable } from '@nestjs/common';
import type { Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { TenantDb } from '@tocsin/tenancy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AlertExplanation {
  alertId: string;
  source: string;
  fingerprint: string;
  labels: Record<string, string>;
  state: string;
  /** One sentence: why it did or did not notify (the latest decision). */
  summary: string;
  evaluations: { at: Date; from: string; to: string; value: number | null }[];
  decisions: { at: Date; kind: string; detail: unknown }[];
  groups: {
    groupKey: string;
    routeId: string;
    nextFlushAt: Date | null;
    lastFlushAt: Date | null;
    notificationLog: unknown[];
  }[];
  deliveries: {
    idempotencyKey: string;
    channelId: string;
    status: string;
    attempts: number | null;
    lastError: string | null;
    deliveredAt: Date | null;
  }[];
}

interface Decision {
  at: Date;
  kind: string;
  detail: Record<string, unknown>;
}

/**
 * explainAlert: the alert's evaluations (part 1's history), every dispatch decision recorded
 * for it (route, group, mutes, flushes), its groups' timers and notification log, and the
 * deliveries its notifications became.
 */
@Injectable()
export class ExplainService {
  constructor(private readonly db: TenantDb) {}

  async explain(alertId: string): Promise<AlertExplanation> {
    if (!UUID.test(alertId)) throw AppError.notFound('Alert');
    return this.db.run(async (tx, orgId) => {
      const alert = await this.findAlert(tx, orgId, alertId);
      if (!alert) throw AppError.notFound('Alert');
      const evaluations = await tx.alertHistory.findMany({
        where: { orgId, alertId },
        orderBy: { at: 'asc' },
        take: 200,
        select: { at: true, fromState: true, toState: true, value: true },
      });
      const decisions = (await tx.dispatchDecision.findMany({
        where: { orgId, alertId },
        orderBy: { at: 'asc' },
        take: 500,
        select: { at: true, kind: true, detail: true },
      })) as unknown as Decision[];
      const groups = await tx.$queryRaw<
        {
          group_hash: string;
          group_key: string;
          route_id: string;
          next_flush_at: Date | null;
          last_flush_at: Date | null;
        }[]
      >`
        SELECT DISTINCT g.group_hash, g.group_key, g.route_id, g.next_flush_at, g.last_flush_at
        FROM alert_groups g
        WHERE g.org_id = ${orgId}::uuid AND g.group_hash = ANY(${[...new Set(decisions.map((d) => String(d.detail.groupHash ?? '')))]}::text[])`;
      const logs = groups.length
        ? await tx.notificationLog.findMany({
            where: { orgId, groupHash: { in: groups.map((g) => g.group_hash) } },
          })
        : [];
      const keys = new Map<string, string>();
      for (const d of decisions) {
        for (const k of (d.detail.deliveries as
          { channelId: string; idempotencyKey: string }[] | undefined) ?? [])
          keys.set(k.idempotencyKey, k.channelId);
      }
      const deliveries = await this.deliveries(tx, orgId, keys);
      return {
        alertId,
        source: alert.source,
        fingerprint: alert.fingerprint,
        labels: alert.labels,
        state: alert.state,
        summary: summarize(decisions),
        evaluations: evaluations.map((e) => ({
          at: e.at,
          from: e.fromState,
          to: e.toState,
          value: e.value,
        })),
        decisions,
        groups: groups.map((g) => ({
          groupKey: g.group_key,
          routeId: g.route_id,
          nextFlushAt: g.next_flush_at,
          lastFlushAt: g.last_flush_at,
          notificationLog: logs
            .filter((l) => l.groupHash === g.group_hash)
            .map((l) => ({
              receiver: l.receiver,
              firing: l.firing,
              resolved: l.resolved,
              sentAt: l.sentAt.toISOString(),
            })),
        })),
        deliveries,
      };
    });
  }

  private async findAlert(tx: Tx, orgId: string, id: string) {
    const rule = await tx.alertInstance.findFirst({
      where: { orgId, id },
      select: { fingerprint: true, labels: true, state: true },
    });
    if (rule)
      return {
        source: 'rule',
        fingerprint: rule.fingerprint,
        labels: rule.labels as Record<string, string>,
        state: rule.state,
      };
    const ext = await tx.externalAlert.findFirst({ where: { orgId, id } });
    if (!ext) return null;
    const expired =
      ext.status === 'firing' && ext.endsAt !== null && ext.endsAt.getTime() <= Date.now();
    return {
      source: ext.source,
      fingerprint: ext.fingerprint,
      labels: ext.labels as Record<string, string>,
      state: expired ? 'resolved' : ext.status,
    };
  }

  /** The notify engineer's delivery log when it exists; else what was enqueued. */
  private async deliveries(
    tx: Tx,
    orgId: string,
    keys: Map<string, string>,
  ): Promise<AlertExplanation['deliveries']> {
    if (!keys.size) return [];
    const [{ present }] = await tx.$queryRaw<
      { present: boolean }[]
    >`SELECT to_regclass('public.deliveries') IS NOT NULL AS present`;
    const found = new Map<
      string,
      { status: string; attempts: number; last_error: string | null; delivered_at: Date | null }
    >();
    if (present) {
      const rows = await tx.$queryRaw<
        {
          idempotency_key: string;
          status: string;
          attempts: number;
          last_error: string | null;
          delivered_at: Date | null;
        }[]
      >`
        SELECT idempotency_key, status, attempts, last_error, delivered_at FROM deliveries
        WHERE org_id = ${orgId}::uuid AND idempotency_key = ANY(${[...keys.keys()]}::text[])`;
      for (const r of rows) found.set(r.idempotency_key, r);
    }
    return [...keys].map(([idempotencyKey, channelId]) => {
      const d = found.get(idempotencyKey);
      return {
        idempotencyKey,
        channelId,
        status: d?.status ?? 'enqueued',
        attempts: d?.attempts ?? null,
        lastError: d?.last_error ?? null,
        deliveredAt: d?.delivered_at ?? null,
      };
    });
  }
}

function summarize(decisions: Decision[]): string {
  const last = [...decisions].reverse().find((d) => d.kind !== 'routed');
  const routed = [...decisions].reverse().find((d) => d.kind === 'routed');
  if (!last && !routed) return 'Never dispatched: it has not fired (pending alerts do not notify).';
  if (!last || (routed && routed.at > last.at)) {
    const next = routed!.detail.nextFlushAt;
    return `Routed to ${String(routed!.detail.receiver)} in group ${String(routed!.detail.groupKey)}; ${next ? `the group flushes at ${String(next)}` : 'waiting for its group'}.`;
  }
  const d = last.detail;
  if (last.kind === 'notified')
    return `Notified ${String(d.receiver)} (${(d.deliveries as unknown[]).length} channel(s)) at ${last.at.toISOString()}.`;
  if (last.kind === 'muted') {
    const reasons = (
      d.muted as {
        kind: string;
        name?: string;
        silenceId?: string;
        matchers?: string;
        sourceFingerprint?: string;
      }[]
    ).map((r) =>
      r.kind === 'silence'
        ? `silence ${r.silenceId} ${r.matchers}`
        : r.kind === 'maintenance'
          ? `maintenance window "${r.name}"`
          : r.kind === 'inhibition'
            ? `inhibited by firing alert ${r.sourceFingerprint}`
            : `${r.kind.replace(/_/g, ' ')} ${r.name ?? ''}`.trim(),
    );
    return `Not notified: muted by ${reasons.join(', ')}.`;
  }
  if (last.kind === 'rerouted')
    return `Moved out of group ${String(d.groupKey)}: ${String(d.reason)}.`;
  return `Not notified at ${last.at.toISOString()}: ${String(d.why)}.`;
}
