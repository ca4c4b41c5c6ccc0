import { withOrgClient } from '@tocsin/db';
import type { Pool, PoolClient } from 'pg';
import { readSamples } from '../read/sample-store';
import { LAST_SEEN_SLACK_MS } from '../series/series.repository';
import { float8ArrayLiteral, int8ArrayLiteral } from '../sql-literals';
import { assertOrgId, TsdbInputError } from '../tsdb.errors';
import { DAY_MS, HOUR_MS, MINUTE_MS, type RollupResolution } from '../tsdb.types';
import { claimDirty, dueDirty, markDirty, releaseDirty } from './dirty-markers';
import { aggregateBuckets, type BucketAggregate } from './rollup-math';

export interface RollupServiceOptions {
  /** A bucket is rolled once its end is this far in the past. */
  graceMs?: number;
  /** Longest run of minutes rolled from one read of the raw data. */
  maxMinutesPerRun?: number;
  seriesBatch?: number;
  now?: () => number;
}

export interface RollupRunResult {
  minutes: number;
  hours: number;
  rows: number;
}

/**
 * Fills rollup_1m from raw samples (chunks + head, decoded here since chunks are compressed)
 * and rollup_1h from rollup_1m (in SQL, joining adjacent minutes for resets/changes/counter
 * correction across their boundary). Work comes from dirty markers that every write leaves, so
 * a late sample re-rolls exactly its minute and then its hour. Upserts make every run
 * idempotent; the claim/release protocol in dirty-markers.ts makes concurrent runs and
 * concurrent writes safe.
 */
export class RollupService {
  private readonly graceMs: number;
  private readonly maxRun: number;
  private readonly seriesBatch: number;
  private readonly now: () => number;

  constructor(
    private readonly pool: Pool,
    options: RollupServiceOptions = {},
  ) {
    this.graceMs = options.graceMs ?? 30_000;
    this.maxRun = options.maxMinutesPerRun ?? 120;
    this.seriesBatch = options.seriesBatch ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Organizations with due rollup work (ids only), for the job scheduler. */
  async pendingOrgs(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT tsdb_pending_orgs('1m', $1) AS id UNION SELECT tsdb_pending_orgs('1h', $2)`,
      [this.dueBefore(MINUTE_MS), this.dueBefore(HOUR_MS)],
    );
    return rows.map((r) => r.id);
  }

  /** Rolls one bucket now, whether or not it is marked dirty. */
  async rollup(
    orgId: string,
    resolution: RollupResolution,
    bucketStart: number,
  ): Promise<RollupRunResult> {
    assertOrgId(orgId);
    const width = resolution === '1m' ? MINUTE_MS : resolution === '1h' ? HOUR_MS : 0;
    if (!width) throw new TsdbInputError(`unknown rollup resolution ${String(resolution)}`);
    if (!Number.isSafeInteger(bucketStart) || bucketStart % width !== 0) {
      throw new TsdbInputError(`bucket ${bucketStart} is not aligned to ${resolution}`);
    }
    if (resolution === '1m') return this.rollupMinutes(orgId, bucketStart, bucketStart + MINUTE_MS);
    return this.rollupHour(orgId, bucketStart);
  }

  /** Rolls every due dirty minute, then every due dirty hour, of one organization. */
  async rollupDirty(orgId: string, maxBuckets = 10_000): Promise<RollupRunResult> {
    assertOrgId(orgId);
    const total: RollupRunResult = { minutes: 0, hours: 0, rows: 0 };
    const minutes = await withOrgClient(this.pool, orgId, (c) =>
      dueDirty(c, orgId, '1m', this.dueBefore(MINUTE_MS), maxBuckets),
    );
    for (const [from, to] of runs(minutes, MINUTE_MS, this.maxRun)) {
      const r = await this.rollupMinutes(orgId, from, to);
      total.minutes += r.minutes;
      total.rows += r.rows;
    }
    const hours = await withOrgClient(this.pool, orgId, (c) =>
      dueDirty(c, orgId, '1h', this.dueBefore(HOUR_MS), maxBuckets),
    );
    for (const hour of hours) {
      const r = await this.rollupHour(orgId, hour);
      total.hours += r.hours;
      total.rows += r.rows;
    }
    return total;
  }

  private async rollupMinutes(orgId: string, from: number, to: number): Promise<RollupRunResult> {
    const claims = await withOrgClient(this.pool, orgId, (c) =>
      claimDirty(c, orgId, '1m', from, to),
    );
    // Past raw retention the samples are (partly) gone: rolling would overwrite a complete
    // rollup with a partial one, so a late sample there only clears the marker.
    const { rawCutoff } = await this.cutoffs(orgId);
    if (from < rawCutoff) {
      await withOrgClient(this.pool, orgId, (c) => releaseDirty(c, orgId, '1m', claims));
      return { minutes: 0, hours: 0, rows: 0 };
    }
    const ids = await withOrgClient(this.pool, orgId, async (c) => {
      const { rows } = await c.query<{ id: string }>(
        `SELECT id FROM series WHERE org_id = $1 AND last_seen >= to_timestamp($2) ORDER BY id`,
        [orgId, (from - LAST_SEEN_SLACK_MS) / 1000],
      );
      return rows.map((r) => Number(r.id));
    });
    let rowCount = 0;
    for (let i = 0; i < ids.length; i += this.seriesBatch) {
      const batch = ids.slice(i, i + this.seriesBatch);
      rowCount += await withOrgClient(this.pool, orgId, async (c) => {
        const samples = await readSamples(c, orgId, batch, from, to - 1);
        const rows: Array<[number, BucketAggregate]> = [];
        for (const [id, s] of samples)
          for (const agg of aggregateBuckets(s.timestamps, s.values, MINUTE_MS))
            rows.push([id, agg]);
        await upsertRollups(c, 'rollup_1m', orgId, rows);
        return rows.length;
      });
    }
    await withOrgClient(this.pool, orgId, async (c) => {
      const hours = new Set<number>();
      for (let m = from; m < to; m += MINUTE_MS) hours.add(m - (m % HOUR_MS));
      await markDirty(
        c,
        orgId,
        [...hours].map((bucket) => ({ kind: '1h' as const, bucket })),
      );
      await releaseDirty(c, orgId, '1m', claims);
    });
    return { minutes: (to - from) / MINUTE_MS, hours: 0, rows: rowCount };
  }

  private async rollupHour(orgId: string, hour: number): Promise<RollupRunResult> {
    const claims = await withOrgClient(this.pool, orgId, (c) =>
      claimDirty(c, orgId, '1h', hour, hour + HOUR_MS),
    );
    // Likewise past 1m retention: the hour's minutes are gone, its 1h row is all that is left.
    const { minuteCutoff } = await this.cutoffs(orgId);
    if (hour < minuteCutoff) {
      await withOrgClient(this.pool, orgId, (c) => releaseDirty(c, orgId, '1h', claims));
      return { minutes: 0, hours: 0, rows: 0 };
    }
    const rows = await withOrgClient(this.pool, orgId, async (c) => {
      // NaN needs care: PostgreSQL orders NaN above every number and calls NaN = NaN, while
      // Prometheus (Go) compares NaN false; the CASEs below follow Go.
      const res = await c.query(
        `WITH m AS (
           SELECT r.*, lag(r.last_value) OVER (PARTITION BY r.series_id ORDER BY r.bucket) AS prev
             FROM rollup_1m r WHERE r.org_id = $1 AND r.bucket >= $2 AND r.bucket < $2 + ${HOUR_MS}
         ), b AS (
           SELECT *, (prev IS NOT NULL AND prev <> 'NaN' AND first_value <> 'NaN' AND first_value < prev) AS reset_at_start
             FROM m
         )
         INSERT INTO rollup_1h (org_id, series_id, bucket, count, resets, changes, sum, sum_sq, min, max,
                                first_ts, first_value, last_ts, last_value, counter_correction)
         SELECT $1, series_id, $2, sum(count),
                sum(resets + CASE WHEN reset_at_start THEN 1 ELSE 0 END),
                sum(changes + CASE WHEN prev IS NOT NULL AND NOT (first_value = prev) THEN 1 ELSE 0 END),
                sum(sum), sum(sum_sq),
                coalesce(min(min) FILTER (WHERE min <> 'NaN'), 'NaN'),
                coalesce(max(max) FILTER (WHERE max <> 'NaN'), 'NaN'),
                (array_agg(first_ts ORDER BY bucket))[1], (array_agg(first_value ORDER BY bucket))[1],
                (array_agg(last_ts ORDER BY bucket DESC))[1], (array_agg(last_value ORDER BY bucket DESC))[1],
                sum(counter_correction + CASE WHEN reset_at_start THEN prev ELSE 0 END)
           FROM b GROUP BY series_id
         ON CONFLICT (series_id, bucket) DO UPDATE SET
           count = excluded.count, resets = excluded.resets, changes = excluded.changes, sum = excluded.sum,
           sum_sq = excluded.sum_sq, min = excluded.min, max = excluded.max, first_ts = excluded.first_ts,
           first_value = excluded.first_value, last_ts = excluded.last_ts, last_value = excluded.last_value,
           counter_correction = excluded.counter_correction`,
        [orgId, hour],
      );
      await releaseDirty(c, orgId, '1h', claims);
      return res.rowCount ?? 0;
    });
    return { minutes: 0, hours: 1, rows };
  }

  private async cutoffs(orgId: string): Promise<{ rawCutoff: number; minuteCutoff: number }> {
    const { rows } = await withOrgClient(this.pool, orgId, (c) =>
      c.query<{ raw: number; m: number }>(
        `SELECT retention_raw_days AS raw, retention_1m_days AS m FROM organizations WHERE id = $1`,
        [orgId],
      ),
    );
    if (rows.length === 0) throw new TsdbInputError(`organization ${orgId} not found`);
    const now = this.now();
    return { rawCutoff: now - rows[0].raw * DAY_MS, minuteCutoff: now - rows[0].m * DAY_MS };
  }

  private dueBefore(width: number): number {
    return this.now() - this.graceMs - width + 1;
  }
}

async function upsertRollups(
  client: PoolClient,
  table: 'rollup_1m',
  orgId: string,
  rows: Array<[number, BucketAggregate]>,
): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof BucketAggregate>(k: K) => rows.map(([, a]) => a[k]);
  await client.query(
    `INSERT INTO ${table} (org_id, series_id, bucket, count, resets, changes, sum, sum_sq, min, max,
                           first_ts, first_value, last_ts, last_value, counter_correction)
     SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::int[], $5::int[], $6::int[], $7::float8[], $8::float8[],
                              $9::float8[], $10::float8[], $11::bigint[], $12::float8[], $13::bigint[], $14::float8[], $15::float8[])
     ON CONFLICT (series_id, bucket) DO UPDATE SET
       count = excluded.count, resets = excluded.resets, changes = excluded.changes, sum = excluded.sum,
       sum_sq = excluded.sum_sq, min = excluded.min, max = excluded.max, first_ts = excluded.first_ts,
       first_value = excluded.first_value, last_ts = excluded.last_ts, last_value = excluded.last_value,
       counter_correction = excluded.counter_correction`,
    [
      orgId,
      int8ArrayLiteral(rows.map(([id]) => id)),
      int8ArrayLiteral(col('bucket')),
      int8ArrayLiteral(col('count')),
      int8ArrayLiteral(col('resets')),
      int8ArrayLiteral(col('changes')),
      float8ArrayLiteral(col('sum')),
      float8ArrayLiteral(col('sumSq')),
      float8ArrayLiteral(col('min')),
      float8ArrayLiteral(col('max')),
      int8ArrayLiteral(col('firstTs')),
      float8ArrayLiteral(col('firstValue')),
      int8ArrayLiteral(col('lastTs')),
      float8ArrayLiteral(col('lastValue')),
      float8ArrayLiteral(col('counterCorrection')),
    ],
  );
}

/** Splits sorted bucket starts into [from, to) runs of consecutive buckets, each at most `max` long. */
export function runs(buckets: number[], width: number, max: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < buckets.length) {
    const from = buckets[i];
    let to = from + width;
    i++;
    while (i < buckets.length && buckets[i] === to && (to - from) / width < max) {
      to += width;
      i++;
    }
    out.push([from, to]);
  }
  return out;
}
