import type { Labels, SampleSeries } from './model';

/** Time constants shared by the write path, the jobs and the readers. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Head samples are compacted into one chunk per series per block of this length. */
export const BLOCK_MS = 2 * HOUR_MS;

/** The start of the UTC day holding `t` (ms; before 1970 too). */
export function startOfDay(t: number): number {
  return t - (((t % DAY_MS) + DAY_MS) % DAY_MS);
}

/**
 * One series in a write. Pass values as a Float64Array to keep NaN payloads: the staleness
 * marker (see `staleNaN`) is stored as such; any other NaN is stored as an ordinary NaN.
 */
export interface WriteSeries {
  labels: Labels;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
  /** See {@link SeriesMemo}; only with a frozen `labels` object. */
  memo?: SeriesMemo;
}

/**
 * A slot a caller keeps next to a label set it writes again and again (ingest keeps one per
 * distinct remote_write label bytes), where tsdb leaves what it derived from those labels: their
 * canonical string and, for the organization that last wrote them, the series id. A later write
 * handing the same slot with the same frozen labels object skips canonicalising and the
 * series-id cache lookup. tsdb checks the labels object's identity and the organization's cache,
 * so a slot reused with other labels or by another organization is only a miss.
 */
export interface SeriesMemo {
  tsdb?: unknown;
}

/**
 * A write's series as positions in request-wide arrays: series `i` has `labels[i]`, `memos[i]`
 * and the samples `first[i] <= k < first[i + 1]` of `timestamps` and `values`. Ingest's
 * remote_write path hands its requests to the writer in this shape, so that no object or
 * typed-array view is made per series between the decoder and the log row.
 */
export interface SeriesColumns {
  count: number;
  labels: readonly Labels[];
  /** See {@link SeriesMemo}; an entry only with a frozen labels object. */
  memos: ReadonlyArray<SeriesMemo | undefined>;
  /** `count + 1` sample offsets. */
  first: Uint32Array;
  timestamps: Float64Array;
  /** Values as a Float64Array, so NaN payloads (the staleness marker) survive. */
  values: Float64Array;
}

/** Columns' series as objects viewing the arrays, for the paths that want one object per series. */
export function seriesOfColumns(c: SeriesColumns): Array<SampleSeries & { memo?: SeriesMemo }> {
  const out: Array<SampleSeries & { memo?: SeriesMemo }> = new Array(c.count);
  for (let i = 0; i < c.count; i++) {
    const a = c.first[i];
    const b = c.first[i + 1];
    out[i] = {
      labels: c.labels[i],
      timestamps: c.timestamps.subarray(a, b),
      values: c.values.subarray(a, b),
      memo: c.memos[i],
    };
  }
  return out;
}

export interface WriteResult {
  /** Distinct series in the request, and how many of them were new to the index. */
  series: number;
  newSeries: number;
  /** Samples handed to the database (a re-sent sample counts here but is stored once). */
  samples: number;
  /** Samples dropped for a timestamp beyond the accepted window (too old / too far ahead). */
  outOfBounds: number;
}

export type RollupResolution = '1m' | '1h';

/** Per-bucket aggregates of one series, oldest bucket first; one array entry per bucket. */
export interface RollupSeries {
  labels: Labels;
  /** Bucket start, ms. A bucket covers [bucket, bucket + resolution). */
  buckets: Float64Array;
  /** Non-stale samples in the bucket. */
  count: Float64Array;
  sum: Float64Array;
  sumSquares: Float64Array;
  /** Prometheus semantics: NaN only when every sample in the bucket is NaN. */
  min: Float64Array;
  max: Float64Array;
  firstTs: Float64Array;
  firstValue: Float64Array;
  lastTs: Float64Array;
  lastValue: Float64Array;
  /** Counter resets and value changes between consecutive samples inside the bucket. */
  resets: Float64Array;
  changes: Float64Array;
  /**
   * Sum of the values just before each reset inside the bucket. A counter's increase over
   * buckets b0..bn is lastValue[bn] − firstValue[b0] + Σ counterCorrection + Σ over adjacent
   * buckets (lastValue[i] if firstValue[i+1] < lastValue[i]); with firstTs/lastTs and count this
   * is exactly what Prometheus's rate/increase extrapolation needs when the range is aligned.
   */
  counterCorrection: Float64Array;
}

export interface RollupQueryResult {
  series: RollupSeries[];
  /**
   * Earliest bucket in the range still waiting to be (re-)rolled, or null: from there on the
   * rollups may miss samples and the caller should read raw data instead.
   */
  dirtyFrom: number | null;
}

export interface SeriesLimits {
  maxActiveSeries: number;
  maxSeriesPerMetric?: number | null;
}

export interface SeriesLimitCheck {
  /** Label sets in the request that the index does not know yet. */
  newSeries: number;
  /** Active series now (null when nothing new was asked about, so nothing was counted). */
  activeSeries: number | null;
  exceedsActiveSeries: boolean;
  /** Metrics whose active series plus new ones would pass maxSeriesPerMetric. */
  exceededMetrics: string[];
  ok: boolean;
}
