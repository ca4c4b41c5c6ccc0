import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, withOrgClient } from '@tocsin/db';

/** Rows per delete statement (each in its own short transaction). */
const BATCH = 5_000;
/** The notify queue's hourly job that runs `sweep`. */
export const DELIVERY_RETENTION_JOB = 'delivery-retention';
export const DELIVERY_RETENTION_EVERY_MS = 60 * 60_000;

/**
 * Deletes finished deliveries (delivered or failed) older than the organization's
 * `alert_log_retention_days` (30 by default, the same setting as alerting's dispatch decisions).
 * A delivery still queued or sending is never deleted: its row is the idempotency record a
 * retry needs. A job re-sent after its row expired would send again; no job lives that long.
 */
@Injectable()
export class DeliveryRetention {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Every organization; returns the rows deleted. */
  async sweep(now = Date.now()): Promise<{ orgs: number; deliveries: number }> {
    const { rows } = await this.pool.query<{ id: string }>('select list_org_ids() as id');
    let deliveries = 0;
    for (const { id } of rows) deliveries += await this.apply(id, now);
    return { orgs: rows.length, deliveries };
  }

  async apply(orgId: string, now = Date.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await withOrgClient(this.pool, orgId, async (c) => {
        const r = await c.query(
          `DELETE FROM deliveries WHERE id IN (
             SELECT d.id FROM deliveries d, organizations o
             WHERE o.id = $1 AND d.org_id = $1 AND d.status IN ('delivered', 'failed')
               AND d.created_at < $2::timestamptz - make_interval(days => o.alert_log_retention_days)
             LIMIT ${BATCH})`,
          [orgId, new Date(now)],
        );
        return r.rowCount ?? 0;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }
}
