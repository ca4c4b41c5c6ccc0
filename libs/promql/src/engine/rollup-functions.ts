import type { Labels, RollupSeries } from '@tocsin/tsdb';
import { executionError } from '../errors';
import { dropMetricName, labelsKey, sortByLabels } from './labels';
import { extrapolate, WINDOW_FUNCTIONS } from './range-functions';
import type { RawSeries, StepRange, StepSeries } from './types';
import { DUPLICATE_LABELSET, newStepSeries } from './types';

// Range functions answered from 1h rollups instead of raw samples, where the answer is the one
// raw evaluation gives, bit for bit. A window [ref − range, ref] whose start is on an hour and
// whose range is whole hours is exactly the buckets [ref − range, ref) plus the bucket at ref's
// first sample when that sample sits at ref itself (both ends are inclusive in Prometheus 2.x).
// Only functions whose result is a fold the buckets can reproduce in the same order qualify:
// min/max (NaN only when all are), counts, the last sample, changes/resets (bucket-internal
// plus one comparison across each bucket boundary) and rate/increase/delta (first and last
// samples, count, and counter corrections added in sample order — exact while no bucket holds
// two resets, which fetching checks). sum/avg/stddev over time are not: Prometheus adds sample
// by sample (avg as a running mean), and bucket sums would round differently.

export const ROLLUP_RESOLUTION_MS = 3_600_000;

export const ROLLUP_FUNCTIONS = new Set([
  'max_over_time',
  'min_over_time',
  'count_over_time',
  'present_over_time',
  'last_over_time',
  'changes',
  'resets',
  'rate',
  'increase',
  'delta',
]);

/** A selector answered from rollups: buckets before `until`; windows ending at or after it read raw. */
export interface RolledSelector {
  series: RollupSeries[];
  until: number;
}

const COUNTER_FUNCTIONS = new Set(['rate', 'increase']);

/** Whether a function's selector can be read from rollups with these windows. */
export function rollupEligible(
  func: string | undefined,
  rangeMs: number,
  firstRef: number,
  step: number,
  steps: number,
): boolean {
  if (!func || !ROLLUP_FUNCTIONS.has(func)) return false;
  const h = ROLLUP_RESOLUTION_MS;
  if (rangeMs <= 0 || rangeMs % h !== 0) return false;
  if ((((firstRef - rangeMs) % h) + h) % h !== 0) return false;
  return steps <= 1 || step % h === 0;
}

/**
 * Whether rollups reproduce `func` exactly for these series: a counter correction summed over
 * two resets inside one bucket may round differently from adding them one by one.
 */
export function rollupsExactFor(func: string, series: RollupSeries[]): boolean {
  if (!COUNTER_FUNCTIONS.has(func)) return true;
  return series.every((s) => s.resets.every((n) => n <= 1));
}

/**
 * `func` over every step's window: from rollup buckets for windows ending before `until`, from
 * the raw samples (staleness markers removed) for the rest.
 */
export function evalRollupFunction(
  func: string,
  rolled: RolledSelector,
  raw: RawSeries[],
  r: StepRange,
  ref: (i: number) => number,
  rangeMs: number,
  account: (n: number) => void,
  check: () => void,
): StepSeries[] {
  const bySeries = new Map<string, { labels: Labels; rollup?: RollupSeries; raw?: RawSeries }>();
  for (const s of rolled.series) bySeries.set(labelsKey(s.labels), { labels: s.labels, rollup: s });
  for (const s of raw) {
    const key = labelsKey(s.labels);
    const e = bySeries.get(key);
    if (e) e.raw = s;
    else bySeries.set(key, { labels: s.labels, raw: s });
  }
  const inputs = sortByLabels([...bySeries.values()]);
  const out: StepSeries[] = [];
  const seen = new Set<string>();
  const isCounter = COUNTER_FUNCTIONS.has(func);
  const fn = WINDOW_FUNCTIONS[func];
  for (const { labels, rollup: s, raw: rs } of inputs) {
    check();
    const b = s?.buckets;
    const n = b ? b.length : 0;
    let res: StepSeries | undefined;
    let lo = 0;
    let hi = 0;
    let rlo = 0;
    let rhi = 0;
    let count = 0;
    for (let i = 0; i < r.n; i++) {
      const end = ref(i);
      const start = end - rangeMs;
      let v: number | undefined;
      if (end >= rolled.until) {
        if (!rs) continue;
        const ts = rs.timestamps;
        while (rlo < ts.length && ts[rlo] < start) rlo++;
        while (rhi < ts.length && ts[rhi] <= end) rhi++;
        if (rhi <= rlo) continue;
        v = fn(ts, rs.values, rlo, rhi, {
          stepTs: end,
          rangeStart: start,
          rangeEnd: end,
          rangeMs,
          scalar: 0,
        });
      } else {
        if (!s || !b) continue;
        while (lo < n && b[lo] < start) lo++;
        while (hi < n && b[hi] < end) hi++;
        // The sample at exactly `end` belongs to the window and opens the bucket at `end`.
        const edge = hi < n && b[hi] === end && s.firstTs[hi] === end ? hi : -1;
        if (hi <= lo && edge < 0) continue;
        v = windowValue(func, s, lo, hi, edge, start, end, rangeMs, isCounter);
      }
      if (v === undefined) continue;
      res ??= newStepSeries(func === 'last_over_time' ? labels : dropMetricName(labels), r.n);
      res.present[i] = 1;
      res.values[i] = v;
      count++;
    }
    if (res) {
      const key = labelsKey(res.labels);
      if (seen.has(key)) throw executionError(DUPLICATE_LABELSET);
      seen.add(key);
      account(count);
      out.push(res);
    }
  }
  return out;
}

/** One window: buckets lo..hi-1 whole, plus the first sample of bucket `edge` when edge ≥ 0. */
function windowValue(
  func: string,
  s: RollupSeries,
  lo: number,
  hi: number,
  edge: number,
  start: number,
  end: number,
  rangeMs: number,
  isCounter: boolean,
): number | undefined {
  const edgeValue = edge >= 0 ? s.firstValue[edge] : NaN;
  switch (func) {
    case 'count_over_time': {
      let c = edge >= 0 ? 1 : 0;
      for (let k = lo; k < hi; k++) c += s.count[k];
      return c;
    }
    case 'present_over_time':
      return 1;
    case 'last_over_time':
      return edge >= 0 ? edgeValue : s.lastValue[hi - 1];
    case 'max_over_time':
    case 'min_over_time': {
      const isMax = func === 'max_over_time';
      const col = isMax ? s.max : s.min;
      let m = hi > lo ? col[lo] : edgeValue;
      for (let k = lo + 1; k < hi; k++) {
        const v = col[k];
        if ((isMax ? v > m : v < m) || m !== m) m = v;
      }
      if (edge >= 0 && hi > lo && ((isMax ? edgeValue > m : edgeValue < m) || m !== m))
        m = edgeValue;
      return m;
    }
    case 'changes':
    case 'resets': {
      const changes = func === 'changes';
      let c = 0;
      for (let k = lo; k < hi; k++) {
        c += changes ? s.changes[k] : s.resets[k];
        if (k > lo) c += across(changes, s.lastValue[k - 1], s.firstValue[k]);
      }
      if (edge >= 0 && hi > lo) c += across(changes, s.lastValue[hi - 1], edgeValue);
      return c;
    }
    default: {
      // rate, increase, delta
      let count = edge >= 0 ? 1 : 0;
      for (let k = lo; k < hi; k++) count += s.count[k];
      if (count < 2) return undefined;
      const firstTs = hi > lo ? s.firstTs[lo] : end;
      const first = hi > lo ? s.firstValue[lo] : edgeValue;
      const lastTs = edge >= 0 ? end : s.lastTs[hi - 1];
      const last = edge >= 0 ? edgeValue : s.lastValue[hi - 1];
      let result = last - first;
      if (isCounter) {
        // In sample order: the reset across a boundary comes before the bucket's own.
        for (let k = lo; k < hi; k++) {
          if (k > lo && s.firstValue[k] < s.lastValue[k - 1]) result += s.lastValue[k - 1];
          if (s.resets[k] > 0) result += s.counterCorrection[k];
        }
        if (edge >= 0 && hi > lo && edgeValue < s.lastValue[hi - 1]) result += s.lastValue[hi - 1];
      }
      return extrapolate(
        result,
        count,
        firstTs,
        first,
        lastTs,
        { rangeStart: start, rangeEnd: end, rangeMs },
        isCounter,
        func === 'rate',
      );
    }
  }
}

/** A change (or reset) between the last sample of one bucket and the first of the next. */
function across(changes: boolean, prev: number, cur: number): number {
  if (changes) return cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev)) ? 1 : 0;
  return cur < prev ? 1 : 0;
}
