import type { RollupQueryResult, RollupResolution } from './tsdb.types';

/** A series' labels, `__name__` included. */
export type Labels = Record<string, string>;

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

/**
 * Samples of one series, oldest first; timestamps in milliseconds. Values live in a Float64Array
 * because it keeps NaN payloads, and Prometheus marks staleness with one particular NaN
 * (0x7ff0000000000002) that a plain JS array would canonicalise into an ordinary NaN.
 */
export interface SampleSeries {
  labels: Labels;
  timestamps: Float64Array;
  values: Float64Array;
  /**
   * With SelectHints.ends: the windows answered by their ends. Their samples are not in
   * `timestamps`/`values`, which hold those of the other windows only.
   */
  ends?: WindowEnds;
}

/**
 * Step windows of a select read by their ends rather than their samples: window k is
 * [first + k·step − width, first + k·step], k < n. Per window, at data[5k…5k+4]: its sample
 * count (0 when the window is not here: its samples, if any, are the series' own), then the
 * timestamp and value of its first sample and of its last. A window here has no staleness
 * marker, and with `rising` no value below the one before it (no counter reset).
 */
export interface WindowEnds {
  first: number;
  step: number;
  width: number;
  n: number;
  rising: boolean;
  data: Float64Array;
}

export interface SelectHints {
  /** Inclusive range in ms that the caller will read. */
  start: number;
  end: number;
  step?: number;
  /** The function around the selector (`rate`, `max_over_time` …), when there is one. */
  func?: string;
  /** The range of a range selector, in ms. */
  range?: number;
  /**
   * The lookback delta of an instant selector, in ms: at each step t the caller needs only the
   * newest sample in [t − lookback, t]. With `step`, a reader may then (and for a range selector
   * from `range`) leave out samples outside the windows ending at start + (range ?? lookback) +
   * k·step ≤ end.
   */
  lookback?: number;
  /**
   * The caller reads SampleSeries.ends: windows of a range selector that need only their
   * ends ('rising': and no counter reset, as rate/increase) may come as ends, not samples.
   */
  ends?: 'any' | 'rising';
}

/** What the query engine and the Prometheus API read through; implemented by `tsdb`. */
export interface SeriesReader {
  select(orgId: string, matchers: LabelMatcher[], hints: SelectHints): Promise<SampleSeries[]>;
  series(
    orgId: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): Promise<Labels[]>;
  labelNames(
    orgId: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): Promise<string[]>;
  labelValues(
    orgId: string,
    name: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): Promise<string[]>;
  /**
   * Rollup buckets in [start, end), when the reader keeps them; the engine answers some range
   * functions over hour-aligned windows from them (see PgSeriesReader.selectRollup).
   */
  selectRollup?(
    orgId: string,
    matchers: LabelMatcher[],
    resolution: RollupResolution,
    start: number,
    end: number,
  ): Promise<RollupQueryResult>;
}

const STALE_HI = 0x7ff00000;
const STALE_LO = 0x00000002;
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** Prometheus' staleness marker, as a number (only a typed array keeps its payload). */
export function staleNaN(): number {
  scratchWords[0] = STALE_LO;
  scratchWords[1] = STALE_HI;
  return scratch[0];
}

/** Whether `values[i]` is the staleness marker rather than an ordinary NaN. */
export function isStaleNaNAt(values: Float64Array, i: number): boolean {
  const words = new Uint32Array(values.buffer, values.byteOffset + i * 8, 2);
  return words[0] === STALE_LO && words[1] === STALE_HI;
}

export function setStaleNaNAt(values: Float64Array, i: number): void {
  const words = new Uint32Array(values.buffer, values.byteOffset + i * 8, 2);
  words[0] = STALE_LO;
  words[1] = STALE_HI;
}

/** Whether 8 little-endian bytes at `offset` encode the staleness marker (for decoders). */
export function isStaleNaNBytes(buf: Uint8Array, offset: number): boolean {
  return (
    buf[offset] === 2 &&
    buf[offset + 1] === 0 &&
    buf[offset + 2] === 0 &&
    buf[offset + 3] === 0 &&
    buf[offset + 4] === 0 &&
    buf[offset + 5] === 0 &&
    buf[offset + 6] === 0xf0 &&
    buf[offset + 7] === 0x7f
  );
}
