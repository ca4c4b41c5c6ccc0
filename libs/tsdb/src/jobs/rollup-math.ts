import { isStaleNaNAt } from '../model';

/** One rollup row's aggregates (the columns of rollup_1m / rollup_1h). */
export interface BucketAggregate {
  bucket: number;
  count: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
  firstTs: number;
  firstValue: number;
  lastTs: number;
  lastValue: number;
  resets: number;
  changes: number;
  counterCorrection: number;
}

/**
 * Aggregates sorted samples into buckets of `width` ms, skipping staleness markers (Prometheus
 * drops them from range vectors). Follows Prometheus's comparisons: min/max ignore NaN unless all
 * are NaN, a reset is `v < prev`, a change is anything but equal values or two NaNs.
 */
export function aggregateBuckets(
  timestamps: Float64Array,
  values: Float64Array,
  width: number,
): BucketAggregate[] {
  const out: BucketAggregate[] = [];
  let cur: BucketAggregate | null = null;
  let prev = 0;
  for (let i = 0; i < timestamps.length; i++) {
    if (isStaleNaNAt(values, i)) continue;
    const t = timestamps[i];
    const v = values[i];
    const bucket = t - (((t % width) + width) % width);
    if (!cur || cur.bucket !== bucket) {
      cur = {
        bucket,
        count: 1,
        sum: v,
        sumSq: v * v,
        min: v,
        max: v,
        firstTs: t,
        firstValue: v,
        lastTs: t,
        lastValue: v,
        resets: 0,
        changes: 0,
        counterCorrection: 0,
      };
      out.push(cur);
      prev = v;
      continue;
    }
    cur.count++;
    cur.sum += v;
    cur.sumSq += v * v;
    if (v < cur.min || Number.isNaN(cur.min)) cur.min = v;
    if (v > cur.max || Number.isNaN(cur.max)) cur.max = v;
    cur.lastTs = t;
    cur.lastValue = v;
    if (v < prev) {
      cur.resets++;
      cur.counterCorrection += prev;
    }
    if (!(v === prev || (Number.isNaN(v) && Number.isNaN(prev)))) cur.changes++;
    prev = v;
  }
  return out;
}
