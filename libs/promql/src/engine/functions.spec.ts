import { MemorySeriesReader } from '../testing/memory-series-reader';
import { samplesEvery } from '../testing/series-fixtures';
import { ORG, instantScalar, instantVector, s, single } from './test-support';

const series = (
  values: (number | 'stale' | null)[],
  stepSec = 10,
  startSec = 0,
  labels = { job: 'a' },
) =>
  new MemorySeriesReader().add(
    ORG,
    { __name__: 'x', ...labels },
    samplesEvery(s(startSec), s(stepSec), values),
  );

describe('rate, increase, delta (extrapolatedRate)', () => {
  it('is exact when samples cover the window', async () => {
    const r = series([0, 10, 20, 30, 40, 50, 60]); // 1/s from 0s to 60s
    expect(await single(r, 'rate(x[1m])', 60)).toBe(1);
    expect(await single(r, 'increase(x[1m])', 60)).toBe(60);
  });

  it('extrapolates to the window edges when samples are near them', async () => {
    const r = series([10, 20, 30, 40, 50], 10, 10); // 10s..50s, window [0s, 60s]
    expect(await single(r, 'increase(x[1m])', 60)).toBe(60);
    expect(await single(r, 'rate(x[1m])', 60)).toBe(1);
  });

  it('extrapolates half an interval when a gap to the edge is too long', async () => {
    const r = series([30, 40, 50], 10, 30);
    // 20 over 20s, +5s at the start (30s > 1.1 × 10s), +10s at the end: 20 × 35/20.
    expect(await single(r, 'increase(x[1m])', 60)).toBe(35);
  });

  it('does not extrapolate a counter below zero', async () => {
    const r = series([2, 12, 22], 10, 30);
    // Zero would be reached 2s before the first sample: 20 × (20 + 2 + 10) / 20.
    expect(await single(r, 'increase(x[1m])', 60)).toBe(32);
    expect(await single(r, 'delta(x[1m])', 60)).toBe(35);
  });

  it('handles counter resets and gauges going down', async () => {
    const r = series([10, 20, 5, 15]); // reset between 10s and 20s
    expect(await single(r, 'increase(x[30s])', 30)).toBe(25);
    const g = series([50, 40, 30], 10, 30);
    expect(await single(g, 'delta(x[1m])', 60)).toBe(-35);
  });

  it('needs two samples and drops the metric name', async () => {
    const r = series([1, 2]);
    expect(await single(r, 'rate(x[5s])', 10)).toBeUndefined();
    expect(await instantVector(r, 'rate(x[20s])', 10)).toEqual([
      { labels: { job: 'a' }, value: 0.1 },
    ]);
  });
});

describe('irate, idelta, deriv, predict_linear, resets, changes', () => {
  it('uses the last two samples for irate and idelta', async () => {
    const r = series([0, 10, 40]);
    expect(await single(r, 'irate(x[1m])', 20)).toBe(3);
    expect(await single(r, 'idelta(x[1m])', 20)).toBe(30);
    const reset = series([0, 50, 20]);
    expect(await single(reset, 'irate(x[1m])', 20)).toBe(2);
    expect(await single(reset, 'idelta(x[1m])', 20)).toBe(-30);
  });

  it('fits a least-squares line for deriv and predict_linear', async () => {
    const r = series([0, 20, 40, 60]); // slope 2/s
    expect(await single(r, 'deriv(x[30s])', 30)).toBeCloseTo(2, 12);
    expect(await single(r, 'predict_linear(x[30s], 10)', 30)).toBeCloseTo(80, 9);
    expect(await single(series([5, 5, 5]), 'deriv(x[30s])', 20)).toBe(0);
  });

  it('counts resets and changes', async () => {
    const r = series([1, 3, 2, 2, 0, 4]);
    expect(await single(r, 'resets(x[1m])', 50)).toBe(2);
    expect(await single(r, 'changes(x[1m])', 50)).toBe(4);
  });
});

describe('holt_winters', () => {
  it('smooths with level and trend factors', async () => {
    // s1 = 1, b = 1; i=1: s1 = 0.5·2 + 0.5·(1+1) = 2; i=2: b = 0.5·(2-1) + 0.5·1 = 1,
    // s1 = 0.5·4 + 0.5·(2+1) = 3.5.
    expect(await single(series([1, 2, 4]), 'holt_winters(x[30s], 0.5, 0.5)', 20)).toBe(3.5);
  });

  it('rejects factors outside (0, 1)', async () => {
    await expect(single(series([1, 2]), 'holt_winters(x[30s], 1, 0.5)', 10)).rejects.toThrow(
      'invalid smoothing factor. Expected: 0 < sf < 1, got: 1',
    );
  });
});

describe('*_over_time', () => {
  const r = () => series([4, 1, 3, 2]); // 0s..30s

  it.each([
    ['avg_over_time', 2.5],
    ['min_over_time', 1],
    ['max_over_time', 4],
    ['sum_over_time', 10],
    ['count_over_time', 4],
    ['last_over_time', 2],
    ['present_over_time', 1],
    ['stdvar_over_time', 1.25],
    ['stddev_over_time', Math.sqrt(1.25)],
  ])('%s', async (fn, want) => {
    expect(await single(r(), `${fn}(x[30s])`, 30)).toBeCloseTo(want, 12);
  });

  it('quantile_over_time interpolates between ranks', async () => {
    expect(await single(r(), 'quantile_over_time(0.5, x[30s])', 30)).toBe(2.5);
    expect(await single(r(), 'quantile_over_time(0.9, x[30s])', 30)).toBeCloseTo(3.7, 12);
    expect(await single(r(), 'quantile_over_time(2, x[30s])', 30)).toBe(Infinity);
  });

  it('keeps the metric name only for last_over_time', async () => {
    expect(await instantVector(r(), 'last_over_time(x[30s])', 30)).toEqual([
      { labels: { __name__: 'x', job: 'a' }, value: 2 },
    ]);
    expect(await instantVector(r(), 'max_over_time(x[30s])', 30)).toEqual([
      { labels: { job: 'a' }, value: 4 },
    ]);
  });

  it('absent_over_time reports 1 only where no sample is in range, with equality labels', async () => {
    expect(await single(r(), 'absent_over_time(x[30s])', 30)).toBeUndefined();
    expect(await instantVector(r(), 'absent_over_time(x{job="a"}[10s])', 100)).toEqual([
      { labels: { job: 'a' }, value: 1 },
    ]);
    expect(await instantVector(r(), 'absent_over_time(nope{a="1", b=~"x"}[10s])', 30)).toEqual([
      { labels: { a: '1' }, value: 1 },
    ]);
  });
});

describe('instant-vector functions', () => {
  const r = () =>
    new MemorySeriesReader()
      .add(ORG, { __name__: 'v', i: '1' }, samplesEvery(0, s(10), [-2.5]))
      .add(ORG, { __name__: 'v', i: '2' }, samplesEvery(0, s(10), [4]));
  const values = async (expr: string) => (await instantVector(r(), expr, 5)).map((x) => x.value);

  it.each([
    ['abs(v)', [2.5, 4]],
    ['ceil(v)', [-2, 4]],
    ['floor(v)', [-3, 4]],
    ['round(v)', [-2, 4]],
    ['round(v, 3)', [-3, 3]],
    ['exp(v)', [Math.exp(-2.5), Math.exp(4)]],
    ['sqrt(v)', [NaN, 2]],
    ['ln(v)', [NaN, Math.log(4)]],
    ['log2(v)', [NaN, 2]],
    ['log10(v)', [NaN, Math.log10(4)]],
    ['clamp(v, -1, 1)', [-1, 1]],
    ['clamp_min(v, 0)', [0, 4]],
    ['clamp_max(v, 0)', [-2.5, 0]],
    ['timestamp(v)', [0, 0]],
  ])('%s', async (expr, want) => {
    expect(await values(expr)).toEqual(want);
  });

  it('clamp with max < min returns nothing', async () => {
    expect(await values('clamp(v, 1, -1)')).toEqual([]);
  });

  it('drops the metric name', async () => {
    expect((await instantVector(r(), 'abs(v)', 5))[0].labels).toEqual({ i: '1' });
  });

  it('timestamp() reads the sample time of a selector but the evaluation time otherwise', async () => {
    expect(await values('timestamp(v)')).toEqual([0, 0]);
    expect(await values('timestamp(v + 0)')).toEqual([5, 5]);
  });

  it('time, vector, scalar', async () => {
    expect(await instantScalar(r(), 'time()', 42)).toBe(42);
    expect(await instantVector(r(), 'vector(3)', 5)).toEqual([{ labels: {}, value: 3 }]);
    expect(await instantScalar(r(), 'scalar(v{i="2"})', 5)).toBe(4);
    expect(await instantScalar(r(), 'scalar(v)', 5)).toBeNaN();
  });

  it('absent', async () => {
    expect(await values('absent(v)')).toEqual([]);
    expect(await instantVector(r(), 'absent(nope{job="j", x=~"y"})', 5)).toEqual([
      { labels: { job: 'j' }, value: 1 },
    ]);
  });

  it('sort and sort_desc order an instant result', async () => {
    const res = async (expr: string) =>
      await (await import('./test-support')).engineOver(r()).instantQueryRaw(ORG, expr, s(5));
    expect(await res('sort_desc(v)')).toMatchObject({ samples: [{ value: 4 }, { value: -2.5 }] });
    expect(await res('sort(v)')).toMatchObject({ samples: [{ value: -2.5 }, { value: 4 }] });
  });

  it('label_replace and label_join', async () => {
    expect(await instantVector(r(), 'label_replace(v, "x", "n-$1", "i", "(.*)")', 5)).toEqual([
      { labels: { __name__: 'v', i: '1', x: 'n-1' }, value: -2.5 },
      { labels: { __name__: 'v', i: '2', x: 'n-2' }, value: 4 },
    ]);
    expect(await instantVector(r(), 'label_replace(v, "i", "", "i", "1")', 5)).toEqual([
      { labels: { __name__: 'v' }, value: -2.5 },
      { labels: { __name__: 'v', i: '2' }, value: 4 },
    ]);
    expect(
      await instantVector(r(), 'label_replace(v, "x", "$1", "i", "(?P<d>3)")', 5),
    ).toHaveLength(2);
    expect(await instantVector(r(), 'label_join(v, "j", "-", "__name__", "i")', 5)).toEqual([
      { labels: { __name__: 'v', i: '1', j: 'v-1' }, value: -2.5 },
      { labels: { __name__: 'v', i: '2', j: 'v-2' }, value: 4 },
    ]);
    await expect(
      instantVector(r(), 'label_replace(v, "1bad", "", "i", "")', 5),
    ).rejects.toMatchObject({ errorType: 'execution' });
    await expect(instantVector(r(), 'label_replace(v, "i", "x", "i", ".*")', 5)).rejects.toThrow(
      'vector cannot contain metrics with the same labelset',
    );
  });
});

describe('histogram_quantile', () => {
  const buckets = (counts: Record<string, number>, extra = {}) => {
    const r = new MemorySeriesReader();
    for (const [le, c] of Object.entries(counts)) {
      r.add(ORG, { __name__: 'h_bucket', le, ...extra }, samplesEvery(0, s(10), [c]));
    }
    return r;
  };

  it('interpolates linearly inside the bucket holding the rank', async () => {
    const r = buckets({ '0.1': 10, '0.5': 30, '1': 40, '+Inf': 40 });
    // Rank 20 falls in (0.1, 0.5]: 0.1 + 0.4 × (10/20).
    const [res] = await instantVector(r, 'histogram_quantile(0.5, h_bucket)', 5);
    expect(res.labels).toEqual({});
    expect(res.value).toBeCloseTo(0.3, 15);
    expect(await single(r, 'histogram_quantile(1, h_bucket)', 5)).toBe(1);
    expect(await single(r, 'histogram_quantile(0, h_bucket)', 5)).toBe(0);
  });

  it('returns NaN without a +Inf bucket and ±Inf outside [0, 1]', async () => {
    expect(
      await single(buckets({ '0.1': 1, '1': 2 }), 'histogram_quantile(0.5, h_bucket)', 5),
    ).toBeNaN();
    const r = buckets({ '1': 1, '+Inf': 2 });
    expect(await single(r, 'histogram_quantile(-1, h_bucket)', 5)).toBe(-Infinity);
    expect(await single(r, 'histogram_quantile(2, h_bucket)', 5)).toBe(Infinity);
    // The rank lands in the +Inf bucket: the largest finite bound is the answer.
    expect(await single(r, 'histogram_quantile(0.9, h_bucket)', 5)).toBe(1);
  });

  it('groups by the other labels and fixes non-monotonic buckets', async () => {
    const r = buckets({ '1': 5, '2': 4, '+Inf': 10 }, { job: 'j' });
    expect(await instantVector(r, 'histogram_quantile(0.5, h_bucket)', 5)).toEqual([
      { labels: { job: 'j' }, value: 1 },
    ]);
  });
});

describe('calendar functions', () => {
  // 2024-02-29T13:45:00Z, a Thursday in a leap year.
  const t = Date.UTC(2024, 1, 29, 13, 45) / 1000;
  const r = () =>
    new MemorySeriesReader().add(ORG, { __name__: 'ts', j: 'a' }, samplesEvery(0, s(10), [t]));

  it.each([
    ['year', 2024],
    ['month', 2],
    ['day_of_month', 29],
    ['day_of_week', 4],
    ['day_of_year', 60],
    ['days_in_month', 29],
    ['hour', 13],
    ['minute', 45],
  ])('%s reads the sample value as Unix seconds, in UTC', async (fn, want) => {
    expect(await instantVector(r(), `${fn}(ts)`, 5)).toEqual([{ labels: { j: 'a' }, value: want }]);
  });

  it('defaults to the evaluation time', async () => {
    expect(await instantVector(r(), 'hour()', t)).toEqual([{ labels: {}, value: 13 }]);
  });
});

describe('predict_linear with @ (Prometheus 2.42 quirk)', () => {
  it('slides the window from the @ time with the steps, over data up to @', async () => {
    const r = series([0, 20, 40, 60, 80, 100, 120]); // slope 2/s, 0s..60s
    const e = (await import('./test-support')).engineOver(r);
    const res = await e.rangeQueryRaw(ORG, 'predict_linear(x[20s] @ 40, 0)', s(100), s(130), s(10));
    // Steps 100s, 110s, 120s read windows ending at 40s, 50s (clipped to 40s), 60s (clipped):
    // the line through the samples, evaluated at each step's own time.
    expect(res).toMatchObject({ resultType: 'matrix', series: [{ timestamps: [s(100), s(110)] }] });
    const values = (res as { series: { values: number[] }[] }).series[0].values;
    expect(values[0]).toBeCloseTo(200, 9);
    expect(values[1]).toBeCloseTo(220, 9);
  });
});
