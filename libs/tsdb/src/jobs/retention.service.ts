import { withOrgClient } from '@tocsin/db';
import type { Pool } from 'pg';
import { assertOrgId, TsdbInputError } from '../tsdb.errors';
import { BLOCK_MS, DAY_MS } from '../tsdb.types';

export interface RetentionResult {
  deleted: {
    samples: number;
    /** Head-log rows (normally folded long before; left only if no flusher ran). */
    log: number;
    chunks: number;
    /** Day rows (one per series per day) of rollup_1m / rollup_1h. */
    rollup1m: number;
    rollup1h: number;
    series: number;
    markers: number;
  };
  /** Partitions every organization's retention had passed, dropped as a whole. */
  droppedPartitions: string[];
}

export interface RetentionServiceOptions {
  now?: () => number;
  /**
   * Called after samples, chunks or rollups were deleted: answers over the deleted range change,
   * so the query results cache drops the organization's entries.
   */
  onDeleted?: (orgId: string) => Promise<void>;
}

/**
 * Applies an organization's retention (organizations.retention_raw_days / _1m_ / _1h_): its rows
 * past retention are deleted, then partitions past every organization's retention are dropped
 * (tsdb_drop_expired_partitions decides that itself). Series unseen for longer than the longest
 * of the three retentions go too. Safe to run twice or concurrently: it only deletes by age.
 */
export class RetentionService {
  private readonly now: () => number;
  private readonly onDeleted?: (orgId: string) => Promise<void>;

  constructor(
    private readonly pool: Pool,
    options: RetentionServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.onDeleted = options.onDeleted;
  }

  async apply(orgId: string): Promise<RetentionResult> {
    assertOrgId(orgId);
    const now = this.now();
    const deleted = await withOrgClient(this.pool, orgId, async (c) => {
      const org = await c.query<{ raw: number; m: number; h: number }>(
        `SELECT retention_raw_days AS raw, retention_1m_days AS m, retention_1h_days AS h FROM organizations WHERE id = $1`,
        [orgId],
      );
      if (org.rows.length === 0) throw new TsdbInputError(`organization ${orgId} not found`);
      const { raw, m, h } = org.rows[0];
      const rawCut = now - raw * DAY_MS;
      const mCut = now - m * DAY_MS;
      const hCut = now - h * DAY_MS;
      const count = async (sql: string, params: unknown[]) =>
        (await c.query(sql, params)).rowCount ?? 0;
      return {
        samples: await count(`DELETE FROM samples WHERE org_id = $1 AND ts < $2`, [orgId, rawCut]),
        log: await count(`DELETE FROM sample_log WHERE org_id = $1 AND max_ts < $2`, [
          orgId,
          rawCut,
        ]),
        // Whole chunks only: one straddling the cut is kept until it has fully expired, a day
        // row (sample_days) until its whole day has.
        chunks:
          (await count(`DELETE FROM sample_chunks WHERE org_id = $1 AND block_start < $2`, [
            orgId,
            rawCut - BLOCK_MS,
          ])) +
          (await count(`DELETE FROM sample_days WHERE org_id = $1 AND day <= $2`, [
            orgId,
            rawCut - DAY_MS,
          ])),
        // Packed day rows go whole, once their whole day has expired (as chunks do).
        rollup1m: await count(`DELETE FROM rollup_1m WHERE org_id = $1 AND day <= $2`, [
          orgId,
          mCut - DAY_MS,
        ]),
        rollup1h: await count(`DELETE FROM rollup_1h WHERE org_id = $1 AND day <= $2`, [
          orgId,
          hCut - DAY_MS,
        ]),
        markers: await count(
          `DELETE FROM tsdb_dirty WHERE org_id = $1 AND ((kind IN ('compact', '1m') AND bucket < $2) OR (kind = '1h' AND bucket < $3))`,
          [orgId, Math.min(rawCut, mCut), hCut],
        ),
        series: await count(
          `DELETE FROM series WHERE org_id = $1 AND last_seen < to_timestamp($2)`,
          [orgId, (now - Math.max(raw, m, h) * DAY_MS) / 1000],
        ),
      };
    });
    if (
      this.onDeleted &&
      deleted.log + deleted.samples + deleted.chunks + deleted.rollup1m + deleted.rollup1h > 0
    )
      await this.onDeleted(orgId);
    const { rows } = await this.pool.query<{ name: string }>(
      'SELECT tsdb_drop_expired_partitions() AS name',
    );
    return { deleted, droppedPartitions: rows.map((r) => r.name) };
  }
}
