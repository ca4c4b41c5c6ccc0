import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import { DispatchQueues } from './dispatch-queue';

const DAY_MS = 24 * 60 * 60_000;
/**
 * An aggregation group without a scheduled flush (every alert resolved and notified, or closed
 * because its route left the policy) is kept this long after its last flush: a new alert within
 * it still waits out the group_interval since that flush, as it would in the live group.
 */
export const ORPHAN_GROUP_GRACE_MS = 60 * 60_000;
/** Rows per delete statement (each in its own short transaction). */
const BATCH = 5_000;
export const HOUSEKEEPING_JOB = 'housekeeping';
export const HOUSEKEEPING_EVERY_MS = 60 * 60_000;

export interface HousekeepingResult {
  decisions: number;
  groups: number;
}

/**
 * Alerting's share of the hourly housekeeping, per organization: dispatch decisions older than
 * the organization's `alert_log_retention_days` (30 by default), and aggregation groups left
 * without a flush (Alertmanager drops an empty group after its last flush; members and the
 * group's notification log go with it through the foreign keys).
 */
@Injectable()
export class AlertingHousekeeping {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: DispatchQueues,
  ) {}

  /** One job scheduler on `alert-dispatch` for any number of workers (called at worker start). */
  async schedule(): Promise<void> {
    await this.queues.dispatch.upsertJobScheduler(
      HOUSEKEEPING_JOB,
      { every: HOUSEKEEPING_EVERY_MS },
      {
        name: HOUSEKEEPING_JOB,
        data: { kind: 'housekeeping' },
        opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 10 }, attempts: 1 },
      },
    );
  }

  /** Every organization in turn (the job's work). */
  async sweep(now = Date.now()): Promise<HousekeepingResult & { orgs: number }> {
    const { rows } = await this.pool.query<{ id: string }>('select list_org_ids() as id');
    const out = { orgs: rows.length, decisions: 0, groups: 0 };
    for (const { id } of rows) {
      const r = await this.run(id, now);
      out.decisions += r.decisions;
      out.groups += r.groups;
    }
    return out;
  }

  async run(orgId: string, now = Date.now()): Promise<HousekeepingResult> {
    const days = await withOrgClient(this.pool, orgId, async (c) => {
      const { rows } = await c.query<{ days: number }>(
        'SELECT alert_log_retention_days AS days FROM organizations WHERE id = $1',
        [orgId],
      );
      return rows[0]?.days ?? null;
    });
    if (days === null) return { decisions: 0, groups: 0 };
    const decisions = await this.inBatches(
      orgId,
      `DELETE FROM dispatch_decisions WHERE id IN (
         SELECT id FROM dispatch_decisions WHERE org_id = $1 AND at < $2 LIMIT ${BATCH})`,
      [orgId, new Date(now - days * DAY_MS)],
    );
    // SKIP LOCKED: a group a dispatch holds right now is in use; the next run looks again.
    const groups = await this.inBatches(
      orgId,
      `DELETE FROM alert_groups WHERE (org_id, group_hash) IN (
         SELECT org_id, group_hash FROM alert_groups
         WHERE org_id = $1 AND next_flush_at IS NULL AND coalesce(last_flush_at, created_at) < $2
         LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`,
      [orgId, new Date(now - ORPHAN_GROUP_GRACE_MS)],
    );
    return { decisions, groups };
  }

  private async inBatches(orgId: string, sql: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await withOrgClient(
        this.pool,
        orgId,
        async (c) => (await c.query(sql, params)).rowCount ?? 0,
      );
      total += n;
      if (n < BATCH) return total;
    }
  }
}
