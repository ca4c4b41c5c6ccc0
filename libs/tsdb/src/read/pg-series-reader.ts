import { withOrgClient } from '@tocsin/db';
import type { Pool, PoolClient } from 'pg';
import type { LabelMatcher, Labels, SampleSeries, SelectHints, SeriesReader } from '../model';
import {
  findSeries,
  findSeriesQuery,
  foundSeries,
  matchingError,
  type FoundSeries,
  type SeriesRow,
  matcherSetsToSql,
  queryMatching,
  SqlParams,
  LAST_SEEN_SLACK_MS,
} from '../series/series.repository';
import { assertOrgId, assertRange, TsdbInputError } from '../tsdb.errors';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  startOfDay,
  type RollupQueryResult,
  type RollupResolution,
  type RollupSeries,
} from '../tsdb.types';
import { aggregateBuckets, type BucketAggregate } from '../jobs/rollup-math';
import { readSamples, selectSamples, type SampleWindows } from './sample-store';
import { decodeRollupBuckets, emptyRollupColumns, type RollupColumns } from '../codec/rollup-codec';

export interface PgSeriesReaderOptions {
  /** A select touching more series than this fails with an input error instead of exhausting memory. */
  maxSeries?: number;
}

/**
 * Reads series and samples for one organization: raw samples from compressed chunks merged with
 * the head (staleness markers preserved in the Float64Array payloads), and rollups.
 */
export class PgSeriesReader implements SeriesReader {
  private readonly maxSeries: number;

  constructor(
    private readonly pool: Pool,
    options: PgSeriesReaderOptions = {},
  ) {
    this.maxSeries = options.maxSeries ?? 200_000;
  }

  /**
   * The series matching `matchers` with the samples `hints`' windows need. Their arrays are
   * views of pooled blocks (read/sample-pool.ts): a caller that is done with all of them may
   * hand them back with releaseSamples, as the engine does after evaluating a query.
   */
  async select(
    orgId: string,
    matchers: LabelMatcher[],
    hints: SelectHints,
  ): Promise<SampleSeries[]> {
    assertOrgId(orgId);
    if (!hints) throw new TsdbInputError('select needs hints with start and end');
    assertRange(hints.start, hints.end);
    // One round trip: the look-up and every store's samples in one COPY (see selectSamples).
    const { found, samples } = await selectSamples(
      this.pool,
      orgId,
      findSeriesQuery(orgId, [matchers], hints.start, this.maxSeries + 1),
      this.maxSeries,
      hints.start,
      hints.end,
      windowsOf(hints),
    );
    const out: SampleSeries[] = [];
    for (const f of found) {
      const s = samples.get(f.id);
      if (s)
        out.push({ labels: f.labels, timestamps: s.timestamps, values: s.values, ends: s.ends });
    }
    return out;
  }

  async series(
    orgId: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): Promise<Labels[]> {
    assertOrgId(orgId);
    assertRange(start, end);
    return this.readFound(orgId, matcherSets, start, async (_, found) =>
      found.map((f) => f.labels),
    );
  }

  async labelNames(
    orgId: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): Promise<string[]> {
    assertOrgId(orgId);
    assertRange(start, end);
    return this.read(orgId, async (client) => {
      const params = new SqlParams();
      const where = this.where(orgId, matcherSets, start, params);
      const { rows } = await queryMatching<{ name: string }>(
        client,
        `SELECT DISTINCT k AS name FROM series s, jsonb_object_keys(s.labels) AS k WHERE ${where}
         UNION SELECT '__name__' WHERE EXISTS (SELECT 1 FROM series s WHERE ${where})
         ORDER BY 1`,
        params.values,
      );
      return rows.map((r) => r.name);
    });
  }

  async labelValues(
    orgId: string,
    name: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): Promise<string[]> {
    assertOrgId(orgId);
    assertRange(start, end);
    if (typeof name !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name))
      throw new TsdbInputError(`invalid label name ${JSON.stringify(name)}`);
    return this.read(orgId, async (client) => {
      const params = new SqlParams();
      const where = this.where(orgId, matcherSets, start, params);
      const expr = name === '__name__' ? 's.metric' : `s.labels->>${params.add(name)}`;
      const { rows } = await queryMatching<{ v: string }>(
        client,
        `SELECT DISTINCT ${expr} AS v FROM series s WHERE ${where} AND ${expr} IS NOT NULL ORDER BY 1`,
        params.values,
      );
      return rows.map((r) => r.v);
    });
  }

  /**
   * Rollup buckets in [start, end) of the series matching `matchers`, for answering long
   * ranges without raw samples. Buckets are aligned to the resolution; stale markers are not
   * counted. See `RollupSeries` for how to compute rate/increase and *_over_time from them.
   */
  async selectRollup(
    orgId: string,
    matchers: LabelMatcher[],
    resolution: RollupResolution,
    start: number,
    end: number,
  ): Promise<RollupQueryResult> {
    assertOrgId(orgId);
    assertRange(start, end);
    if (resolution !== '1m' && resolution !== '1h')
      throw new TsdbInputError(`unknown rollup resolution ${String(resolution)}`);
    const table = resolution === '1m' ? 'rollup_1m' : 'rollup_1h';
    return this.read(orgId, async (client) => {
      // An hour is stale while any of its minutes waits too, and a minute's marker sits at the
      // minute's start, so look from the start of the first bucket. Samples still in the head log
      // have no marker yet (the flush leaves it), so their minutes count as waiting too. Markers
      // and log are read before the rows: a job finishing in between only makes the answer more
      // cautious, never stale.
      const dirty =
        resolution === '1h'
          ? await client.query<{ b: string | null }>(
              `SELECT least(
                 (SELECT min(bucket) FROM tsdb_dirty WHERE org_id = $1 AND kind = ANY($2::text[]) AND bucket >= $3 AND bucket < $4),
                 (SELECT min(greatest(min_ts, $3)) FROM sample_log WHERE org_id = $1 AND max_ts >= $3 AND min_ts < $4)
               ) AS b`,
              [orgId, ['1m', '1h'], start - (start % HOUR_MS), end],
            )
          : undefined;
      const found = await this.find(client, orgId, [matchers], start);
      const byId = new Map(found.map((f) => [f.id, f.labels]));
      const stored = new Map<number, RollupSeries>();
      const ids = found.map((f) => f.id);
      // One packed row per series per UTC day (codec/rollup-codec.ts): a week of hours for
      // 1,000 series is 7,000 rows, not 168,000.
      const firstDay = startOfDay(start);
      for (let i = 0; i < ids.length; i += 1000) {
        const batch = ids.slice(i, i + 1000);
        const { rows } = await client.query<{ series_id: string; data: Buffer }>(
          `SELECT series_id, data FROM ${table}
            WHERE org_id = $1 AND series_id = ANY($2::bigint[]) AND day >= $3 AND day < $4
            ORDER BY series_id, day`,
          [orgId, `{${batch.join(',')}}`, firstDay, end],
        );
        let r = 0;
        while (r < rows.length) {
          const sid = rows[r].series_id;
          const days: RollupColumns[] = [];
          for (; r < rows.length && rows[r].series_id === sid; r++)
            days.push(decodeRollupBuckets(rows[r].data));
          const cols = concatInRange(days, start, end);
          if (cols.buckets.length > 0)
            stored.set(Number(sid), { labels: byId.get(Number(sid))!, ...cols });
        }
      }
      if (resolution === '1m') {
        // Minutes are stored only once their raw samples near expiry; while raw samples exist
        // they are the minutes' source (the same aggregation the archive applies), never stale.
        // Past raw retention what is left of the raw samples may be partial: stored only there.
        const { rows: org } = await client.query<{ days: number }>(
          `SELECT retention_raw_days AS days FROM organizations WHERE id = $1`,
          [orgId],
        );
        const rawCutoff = Date.now() - (org[0]?.days ?? 0) * DAY_MS;
        const from = Math.ceil(Math.max(start, rawCutoff) / MINUTE_MS) * MINUTE_MS;
        const raw = from < end ? await readSamples(client, orgId, ids, from, end - 1) : new Map();
        const series: RollupSeries[] = [];
        for (const f of found) {
          const s = raw.get(f.id);
          const derived = s
            ? aggregateBuckets(s.timestamps, s.values, MINUTE_MS)
            : ([] as BucketAggregate[]);
          const merged = mergeRollups(f.labels, stored.get(f.id), derived);
          if (merged) series.push(merged);
        }
        return { series, dirtyFrom: null };
      }
      const series = found.flatMap((f) => stored.get(f.id) ?? []);
      const b = dirty!.rows[0].b;
      return {
        series,
        dirtyFrom: b === null ? null : Number(b) - (Number(b) % MINUTE_MS),
      };
    });
  }

  /** Every read here runs in a read-only org-scoped transaction (no wait for its COMMIT). */
  private read<T>(orgId: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return withOrgClient(this.pool, orgId, fn, { readOnly: true });
  }

  /**
   * `fn` over the series matching `sets`, in one read-only transaction whose series look-up
   * goes in the same round trip as its BEGIN.
   */
  private readFound<T>(
    orgId: string,
    sets: LabelMatcher[][],
    start: number,
    fn: (client: PoolClient, found: FoundSeries[]) => Promise<T>,
  ): Promise<T> {
    const first = findSeriesQuery(orgId, sets, start, this.maxSeries + 1);
    return withOrgClient(
      this.pool,
      orgId,
      (client, result) => {
        const found = foundSeries(result!.rows as SeriesRow[]);
        if (found.length > this.maxSeries)
          throw new TsdbInputError(`the selector matches more than ${this.maxSeries} series`);
        return fn(client, found);
      },
      { readOnly: true, first },
    ).catch((err: unknown) => {
      // Only the look-up has regexes for PostgreSQL to refuse.
      throw matchingError(err);
    });
  }

  private async find(
    client: Parameters<typeof findSeries>[0],
    orgId: string,
    sets: LabelMatcher[][],
    start: number,
  ) {
    const found = await findSeries(client, orgId, sets, start, this.maxSeries + 1);
    if (found.length > this.maxSeries)
      throw new TsdbInputError(`the selector matches more than ${this.maxSeries} series`);
    return found;
  }

  private where(orgId: string, sets: LabelMatcher[][], start: number, params: SqlParams): string {
    return `s.org_id = ${params.add(orgId)} AND (${matcherSetsToSql(sets, params)}) AND s.last_seen >= to_timestamp(${params.add(
      (start - LAST_SEEN_SLACK_MS) / 1000,
    )})`;
  }
}

/** The step windows a select needs, when the hints say enough to know them. */
export function windowsOf(hints: SelectHints): SampleWindows | undefined {
  const width = hints.range ?? hints.lookback;
  const step = hints.step;
  if (width === undefined || !step || !(step > 0) || !(width >= 0)) return undefined;
  return {
    first: hints.start + width,
    step,
    width,
    end: hints.end,
    lastOnly: hints.range === undefined,
    ends: hints.range === undefined ? undefined : hints.ends,
  };
}

/** Day rows' buckets (in day order) that start in [start, end), as one set of columns. */
function concatInRange(days: RollupColumns[], start: number, end: number): RollupColumns {
  let n = 0;
  const ranges = days.map((d) => {
    let lo = 0;
    while (lo < d.buckets.length && d.buckets[lo] < start) lo++;
    let hi = d.buckets.length;
    while (hi > lo && d.buckets[hi - 1] >= end) hi--;
    n += hi - lo;
    return [lo, hi] as const;
  });
  if (days.length === 1 && ranges[0][0] === 0 && ranges[0][1] === days[0].buckets.length)
    return days[0];
  const out = emptyRollupColumns(n);
  const keys = Object.keys(out) as Array<keyof RollupColumns>;
  let k = 0;
  days.forEach((d, i) => {
    const [lo, hi] = ranges[i];
    for (const key of keys) out[key].set(d[key].subarray(lo, hi), k);
    k += hi - lo;
  });
  return out;
}

function rollupSeries(labels: Labels, cols: Float64Array[]): RollupSeries {
  const [
    buckets,
    count,
    sum,
    sumSquares,
    min,
    max,
    firstTs,
    firstValue,
    lastTs,
    lastValue,
    resets,
    changes,
    counterCorrection,
  ] = cols;
  return {
    labels,
    buckets,
    count,
    sum,
    sumSquares,
    min,
    max,
    firstTs,
    firstValue,
    lastTs,
    lastValue,
    resets,
    changes,
    counterCorrection,
  };
}

const AGG_KEYS = [
  'bucket',
  'count',
  'sum',
  'sumSq',
  'min',
  'max',
  'firstTs',
  'firstValue',
  'lastTs',
  'lastValue',
  'resets',
  'changes',
  'counterCorrection',
] as const;

/** Stored buckets and buckets derived from raw samples, by bucket; a derived one wins. */
function mergeRollups(
  labels: Labels,
  stored: RollupSeries | undefined,
  derived: BucketAggregate[],
): RollupSeries | undefined {
  const rows: number[][] = [];
  let d = 0;
  const n = stored ? stored.buckets.length : 0;
  for (let i = 0; i < n || d < derived.length;) {
    const sb = i < n ? stored!.buckets[i] : Infinity;
    const db = d < derived.length ? derived[d].bucket : Infinity;
    if (db <= sb) {
      rows.push(AGG_KEYS.map((k) => derived[d][k]));
      d++;
      if (db === sb) i++;
    } else {
      const s = stored!;
      rows.push([
        s.buckets[i],
        s.count[i],
        s.sum[i],
        s.sumSquares[i],
        s.min[i],
        s.max[i],
        s.firstTs[i],
        s.firstValue[i],
        s.lastTs[i],
        s.lastValue[i],
        s.resets[i],
        s.changes[i],
        s.counterCorrection[i],
      ]);
      i++;
    }
  }
  if (rows.length === 0) return undefined;
  const cols = AGG_KEYS.map((_, c) => Float64Array.from(rows, (r) => r[c]));
  return rollupSeries(labels, cols);
}
