import { setStaleNaNAt } from '../model';
import { runs } from './rollup.service';
import { aggregateBuckets } from './rollup-math';

describe('aggregateBuckets', () => {
  it('aggregates per bucket with Prometheus comparisons, skipping staleness markers', () => {
    const ts = Float64Array.from([0, 10, 20, 30, 60, 70, 80]);
    const vs = Float64Array.from([5, 3, 0, 8, NaN, 2, NaN]);
    setStaleNaNAt(vs, 2);
    const [a, b] = aggregateBuckets(ts, vs, 60);
    expect(a).toEqual({
      bucket: 0,
      count: 3,
      sum: 16,
      sumSq: 98,
      min: 3,
      max: 8,
      firstTs: 0,
      firstValue: 5,
      lastTs: 30,
      lastValue: 8,
      resets: 1,
      changes: 2,
      counterCorrection: 5,
    });
    // NaN never counts as a reset, min/max skip it, and two NaNs in a row are no change.
    expect(b).toMatchObject({ bucket: 60, count: 3, min: 2, max: 2, resets: 0, changes: 2 });
    expect(Number.isNaN(b.sum)).toBe(true);
  });

  it('yields NaN min/max only when every sample is NaN, and nothing for only-stale buckets', () => {
    const stale = new Float64Array(1);
    setStaleNaNAt(stale, 0);
    expect(aggregateBuckets(Float64Array.from([5]), stale, 60)).toEqual([]);
    const [only] = aggregateBuckets(Float64Array.from([1, 2]), Float64Array.from([NaN, NaN]), 60);
    expect(Number.isNaN(only.min) && Number.isNaN(only.max)).toBe(true);
    expect(only.changes).toBe(0);
  });

  it('splits dirty buckets into consecutive runs of bounded length', () => {
    expect(runs([0, 60, 120, 300, 360], 60, 2)).toEqual([
      [0, 120],
      [120, 180],
      [300, 420],
    ]);
  });
});
