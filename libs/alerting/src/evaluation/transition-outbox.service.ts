import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import { AlertTransitionSink, type AlertTransition } from '../alerts/alert-transition';
import type { AlertState } from '../alerts/state-machine';

/**
 * A transition still undispatched this long after its row was written was lost in a crash. From
 * the write, not the evaluation instant: a late evaluation's rows are not old the moment they
 * commit, and the sweeper must not race the evaluator's own hand-off for them.
 */
export const OUTBOX_SWEEP_AGE_MS = 10_000;
export const OUTBOX_SWEEP_EVERY_MS = 5_000;
export const SWEEP_OUTBOX_JOB = 'sweep-outbox';
export const OUTBOX_SCHEDULER_ID = 'outbox-sweep';

export interface SweepOutcome {
  orgs: number;
  refed: number;
  superseded: number;
}

interface PendingRow {
  id: string;
  alert_id: string;
  rule_id: string;
  fingerprint: string;
  from_state: string;
  to_state: string;
  value: number | null;
  flapping: boolean;
  at: Date;
  superseded: boolean;
  rule_name: string;
  group_id: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  active_since: Date | null;
  fired_at: Date | null;
  resolved_at: Date | null;
  severity: string | null;
}

/**
 * The evaluation side of "no lost notification". The evaluator writes each transition's
 * `alert_history` row with `dispatched_at` NULL in the transaction that changes the alert, and
 * stamps it here once the sink returned. A process that dies in between leaves NULLs, which
 * `sweep` (a job scheduler on `alert-evaluate`) feeds to the sink again. Dispatch is idempotent
 * for a transition it already took (see the README), so a re-feed of one whose stamp alone was
 * lost notifies nobody twice.
 */
@Injectable()
export class TransitionOutbox {
  private readonly logger = new Logger('transition-outbox');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly sink: AlertTransitionSink,
  ) {}

  async markDispatched(orgId: string, historyIds: readonly string[]): Promise<void> {
    if (!historyIds.length) return;
    await withOrgClient(this.pool, orgId, (c) =>
      c.query(
        `UPDATE alert_history SET dispatched_at = now()
         WHERE org_id = $1 AND id = ANY($2::uuid[]) AND dispatched_at IS NULL`,
        [orgId, historyIds],
      ),
    );
  }

  /** Re-feeds every organization's transitions left undispatched for `olderThanMs`. */
  async sweep(olderThanMs = OUTBOX_SWEEP_AGE_MS, now = Date.now()): Promise<SweepOutcome> {
    const before = new Date(now - olderThanMs);
    const { rows } = await this.pool.query<{ org_id: string }>(
      'SELECT org_id FROM list_undispatched_alert_orgs($1)',
      [before],
    );
    const out: SweepOutcome = { orgs: rows.length, refed: 0, superseded: 0 };
    for (const { org_id } of rows) {
      try {
        const r = await this.sweepOrg(org_id, before);
        out.refed += r.refed;
        out.superseded += r.superseded;
      } catch (err) {
        // One organization's failure must not starve the others; its rows stay for the next sweep.
        this.logger.warn(`outbox sweep of ${org_id} failed: ${(err as Error).message}`);
      }
    }
    if (out.refed || out.superseded)
      this.logger.warn(
        `outbox: re-fed ${out.refed} undispatched transition(s), ${out.superseded} superseded`,
      );
    return out;
  }

  /**
   * The rows stay locked (SKIP LOCKED: a second sweeper takes other rows) until the sink
   * returned and they are stamped, in one transaction. A row older than a dispatched row of the
   * same alert is superseded: feeding a lost `firing` after its `resolved` went out would
   * re-open the alert downstream, so it is only stamped.
   */
  async sweepOrg(orgId: string, before: Date): Promise<{ refed: number; superseded: number }> {
    return withOrgClient(this.pool, orgId, async (c) => {
      const { rows } = await c.query<PendingRow>(
        `SELECT h.id, h.alert_id, h.rule_id, h.fingerprint, h.from_state, h.to_state, h.value,
                h.flapping, h.at,
                EXISTS (SELECT 1 FROM alert_history d
                        WHERE d.org_id = h.org_id AND d.alert_id = h.alert_id
                          AND d.dispatched_at IS NOT NULL AND d.at > h.at) AS superseded,
                r.name AS rule_name, r.group_id, i.labels, i.annotations, i.active_since,
                i.fired_at, i.resolved_at, i.severity
         FROM alert_history h
         JOIN alert_instances i ON i.id = h.alert_id AND i.org_id = h.org_id
         JOIN rules r ON r.id = h.rule_id AND r.org_id = h.org_id
         WHERE h.org_id = $1 AND h.dispatched_at IS NULL AND h.recorded_at < $2
         ORDER BY h.at, h.id
         LIMIT 1000
         FOR UPDATE OF h SKIP LOCKED`,
        [orgId, before],
      );
      if (!rows.length) return { refed: 0, superseded: 0 };
      const live = rows.filter((r) => !r.superseded);
      if (live.length) await this.sink.onTransitions(orgId, live.map(transitionOf));
      await c.query(
        `UPDATE alert_history SET dispatched_at = now() WHERE org_id = $1 AND id = ANY($2::uuid[])`,
        [orgId, rows.map((r) => r.id)],
      );
      return { refed: live.length, superseded: rows.length - live.length };
    });
  }
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

function transitionOf(r: PendingRow): AlertTransition {
  return {
    alertId: r.alert_id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    groupId: r.group_id,
    fingerprint: r.fingerprint,
    labels: r.labels,
    annotations: r.annotations ?? {},
    from: r.from_state as AlertState,
    to: r.to_state as AlertState,
    value: r.value,
    at: r.at.toISOString(),
    flapping: r.flapping,
    activeSince: iso(r.active_since),
    firedAt: iso(r.fired_at),
    resolvedAt: iso(r.resolved_at),
    severity: r.severity,
    replayed: true,
  };
}
