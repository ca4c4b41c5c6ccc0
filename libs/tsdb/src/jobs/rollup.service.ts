import { withOrgClient } from '@tocsin/db';
import type { Pool } from 'pg';
import { readSamples } from '../read/sample-store';
import { LAST_SEEN_SLACK_MS } from '../series/series.repository';
import { assertOrgId, TsdbInputError } from '../tsdb.errors';
import { DAY_MS, HOUR_MS, MINUTE_MS, type RollupResolution } from '../tsdb.types';
import { claimDirty, dueDirty, markDirty, releaseDirty } from './dirty-markers';
import { LogFlusher } from './log-flusher';
import { aggregateBuckets, type BucketAggregate } from './rollup-math';
import { storeRollups } from './rollup-store';

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
 * Fills rollup_1h from raw samples (chunks + head, decoded here since chunks are compressed),
 * and rollup_1m only for minutes whose raw samples are about to expire (before that, readers
 * derive minutes from raw samples). Both tables hold one packed row per series per UTC day
 * (rollup-store.ts). Work comes from dirty markers that every write leaves, so a late sample
 * re-rolls its hour (and its minute, once archived) and re-packs that day's row. Replacing
 * buckets by start makes every run idempotent; the claim/release protocol in dirty-markers.ts
 * and the day locks in rollup-store.ts make concurrent runs and concurrent writes safe.
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
      // An unfolded head log may hold minutes to roll: rollupDirty folds it first.
      `SELECT tsdb_pending_orgs('1m', $1) AS id UNION SELECT tsdb_pending_orgs('1h', $2) UNION SELECT tsdb_log_orgs()`,
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
    if (resolution === '1h') return this.rollupHours(orgId, bucketStart, bucketStart + HOUR_MS);
    // Asked for explicitly, a minute is stored even while readers could derive it from raw.
    return this.rollupMinutes(orgId, bucketStart, bucketStart + MINUTE_MS, true);
  }

  /**
   * Rolls every due dirty minute, then every due dirty hour, of one organization, then archives
   * minutes whose raw samples are about to expire (see archiveMinutes).
   */
  async rollupDirty(orgId: string, maxBuckets = 10_000): Promise<RollupRunResult> {
    assertOrgId(orgId);
    // Folding the head log leaves the markers of the minutes it held.
    await new LogFlusher(this.pool).flush(orgId);
    const total: RollupRunResult = { minutes: 0, hours: 0, rows: 0 };
    const minutes = await withOrgClient(this.pool, orgId, (c) =>
      dueDirty(c, orgId, '1m', this.dueBefore(MINUTE_MS), maxBuckets),
    );
    for (const [from, to] of runs(minutes, MINUTE_MS, this.maxRun, DAY_MS)) {
      const r = await this.rollupMinutes(orgId, from, to);
      total.minutes += r.minutes;
      total.rows += r.rows;
    }
    const hours = await withOrgClient(this.pool, orgId, (c) =>
      dueDirty(c, orgId, '1h', this.dueBefore(HOUR_MS), maxBuckets),
    );
    // Consecutive hours of one day are rolled together: one read of their raw samples and one
    // re-pack of each series' day row, instead of one per hour.
    for (const [from, to] of runs(hours, HOUR_MS, 24, DAY_MS)) {
      const r = await this.rollupHours(orgId, from, to);
      total.hours += r.hours;
      total.rows += r.rows;
    }
    total.rows += await this.archiveMinutes(orgId);
    return total;
  }

  private async rollupMinutes(
    orgId: string,
    from: number,
    to: number,
    store = false,
  ): Promise<RollupRunResult> {
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
    // While raw samples exist a minute's rollup is computed from them on read, so only minutes
    // already archived (see archiveMinutes) are rolled into rollup_1m again.
    const archived = store ? to : await this.archivedUntil(orgId, rawCutoff);
    const rows = archived > from ? await this.rollMinutes(orgId, from, Math.min(to, archived)) : 0;
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
    return { minutes: (to - from) / MINUTE_MS, hours: 0, rows };
  }

  /**
   * Stores the 1m rollups of raw data about to pass raw retention (its last day), so that
   * 1m resolution outlives the raw samples. Until then rollup_1m holds nothing for those minutes:
   * PgSeriesReader.selectRollup computes them from raw samples, which at 1-minute buckets are
   * smaller and as fast to read (1m rows cost ~150 B each, raw samples ~1.5 B).
   * Returns the rows written.
   */
  async archiveMinutes(orgId: string, maxMinutes = 1440): Promise<number> {
    assertOrgId(orgId);
    const { rawCutoff, rawDays } = await this.cutoffs(orgId);
    const horizon = Math.min(
      this.now() - Math.max(0, rawDays - 1) * DAY_MS,
      this.dueBefore(MINUTE_MS),
    );
    const from = await this.archivedUntil(orgId, rawCutoff);
    const to = Math.min(horizon - (horizon % MINUTE_MS), from + maxMinutes * MINUTE_MS);
    if (to <= from) return 0;
    let rows = 0;
    // A day at a time (not maxRun minutes): each run re-packs its series' day rows once.
    for (let m = from; m < to; m = m - (m % DAY_MS) + DAY_MS)
      rows += await this.rollMinutes(orgId, m, Math.min(to, m - (m % DAY_MS) + DAY_MS));
    // Remember how far this went even when the last minutes held no samples.
    await withOrgClient(this.pool, orgId, (c) =>
      c.query(
        `INSERT INTO rollup_1m_archived (org_id, until) VALUES ($1, $2)
         ON CONFLICT (org_id) DO UPDATE SET until = greatest(rollup_1m_archived.until, excluded.until)`,
        [orgId, to],
      ),
    );
    return rows;
  }

  /** The end of the minutes archived into rollup_1m (at least the raw cutoff, minute-aligned). */
  private async archivedUntil(orgId: string, rawCutoff: number): Promise<number> {
    const floor = rawCutoff - (rawCutoff % MINUTE_MS) + (rawCutoff % MINUTE_MS ? MINUTE_MS : 0);
    const { rows } = await withOrgClient(this.pool, orgId, (c) =>
      c.query<{ until: string }>(`SELECT until FROM rollup_1m_archived WHERE org_id = $1`, [orgId]),
    );
    return rows.length ? Math.max(floor, Number(rows[0].until)) : floor;
  }

  /** Rolls raw samples of [from, to) into rollup_1m; returns the day rows written. */
  private async rollMinutes(orgId: string, from: number, to: number): Promise<number> {
    let rowCount = 0;
    for (const batch of await this.seriesBatches(orgId, from)) {
      rowCount += await withOrgClient(this.pool, orgId, async (c) => {
        const samples = await readSamples(c, orgId, batch, from, to - 1);
        const rows: Array<[number, BucketAggregate]> = [];
        for (const [id, s] of samples)
          for (const agg of aggregateBuckets(s.timestamps, s.values, MINUTE_MS))
            rows.push([id, agg]);
        return storeRollups(c, 'rollup_1m', orgId, rows);
      });
    }
    return rowCount;
  }

  private async seriesBatches(orgId: string, from: number): Promise<number[][]> {
    const ids = await withOrgClient(this.pool, orgId, async (c) => {
      const { rows } = await c.query<{ id: string }>(
        `SELECT id FROM series WHERE org_id = $1 AND last_seen >= to_timestamp($2) ORDER BY id`,
        [orgId, (from - LAST_SEEN_SLACK_MS) / 1000],
      );
      return rows.map((r) => Number(r.id));
    });
    const out: number[][] = [];
    for (let i = 0; i < ids.length; i += this.seriesBatch)
      out.push(ids.slice(i, i + this.seriesBatch));
    return out;
  }

  /**
   * Hours [from, to) (within one UTC day) straight from raw samples (aggregated exactly as
   * minutes are), so hours do not depend on stored minutes, which exist only past raw retention.
   */
  private async rollupHours(orgId: string, from: number, to: number): Promise<RollupRunResult> {
    const claims = await withOrgClient(this.pool, orgId, (c) =>
      claimDirty(c, orgId, '1h', from, to),
    );
    // Past raw retention an hour's samples are gone, its 1h bucket is all that is left.
    const { rawCutoff } = await this.cutoffs(orgId);
    const start = Math.max(from, Math.ceil(rawCutoff / HOUR_MS) * HOUR_MS);
    let rowCount = 0;
    if (start < to) {
      for (const batch of await this.seriesBatches(orgId, start)) {
        rowCount += await withOrgClient(this.pool, orgId, async (c) => {
          const samples = await readSamples(c, orgId, batch, start, to - 1);
          const rows: Array<[number, BucketAggregate]> = [];
          for (const [id, s] of samples)
            for (const agg of aggregateBuckets(s.timestamps, s.values, HOUR_MS))
              rows.push([id, agg]);
          return storeRollups(c, 'rollup_1h', orgId, rows);
        });
      }
    }
    await withOrgClient(this.pool, orgId, (c) => releaseDirty(c, orgId, '1h', claims));
    return { minutes: 0, hours: Math.max(0, (to - start) / HOUR_MS), rows: rowCount };
  }

  private async cutoffs(orgId: string): Promise<{ rawCutoff: number; rawDays: number }> {
    const { rows } = await withOrgClient(this.pool, orgId, (c) =>
      c.query<{ raw: number }>(
        `SELECT retention_raw_days AS raw FROM organizations WHERE id = $1`,
        [orgId],
      ),
    );
    if (rows.length === 0) throw new TsdbInputError(`organization ${orgId} not found`);
    const now = this.now();
    return { rawCutoff: now - rows[0].raw * DAY_MS, rawDays: rows[0].raw };
  }

  private dueBefore(width: number): number {
    return this.now() - this.graceMs - width + 1;
  }
}

/**
 * Splits sorted bucket starts into [from, to) runs of consecutive buckets, each at most `max`
 * long and, given `within`, never crossing a multiple of it (a run stays in one day row).
 */
export function runs(
  buckets: number[],
  width: number,
  max: number,
  within = Infinity,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < buckets.length) {
    const from = buckets[i];
    const limit = within === Infinity ? Infinity : from - (from % within) + within;
    let to = from + width;
    i++;
    while (i < buckets.length && buckets[i] === to && (to - from) / width < max && to < limit) {
      to += width;
      i++;
    }
    out.push([from, to]);
  }
  return out;
}
