import type { SeriesReader } from '@tocsin/tsdb';
import { PromQLError } from '../errors';
import { MemorySeriesReader } from '../testing/memory-series-reader';
import { samplesEvery } from '../testing/series-fixtures';
import { createEngine } from './engine';
import { ORG, engineOver, instantVector, s, single } from './test-support';

function gauge(values: (number | 'stale' | null)[], stepSec = 15): MemorySeriesReader {
  return new MemorySeriesReader().add(
    ORG,
    { __name__: 'g', job: 'a' },
    samplesEvery(0, s(stepSec), values),
  );
}

describe('instant vector selectors', () => {
  it('takes the newest sample within the lookback delta, inclusive of its start', async () => {
    const r = gauge([1, 2]); // at 0s and 15s
    expect(await single(r, 'g', 0)).toBe(1);
    expect(await single(r, 'g', 14)).toBe(1);
    expect(await single(r, 'g', 15)).toBe(2);
    expect(await single(r, 'g', 15 + 300)).toBe(2);
    expect(await single(r, 'g', 15 + 301)).toBeUndefined();
  });

  it('honours a configured lookback delta', async () => {
    const r = gauge([1]);
    const e = engineOver(r, { lookbackDeltaMs: s(60) });
    expect(await e.instantQueryRaw(ORG, 'g', s(61))).toEqual({ resultType: 'vector', samples: [] });
  });

  it('ends a series at a staleness marker', async () => {
    const r = gauge([1, 2, 'stale', null, 5]);
    expect(await single(r, 'g', 29)).toBe(2);
    expect(await single(r, 'g', 30)).toBeUndefined();
    expect(await single(r, 'g', 59)).toBeUndefined();
    expect(await single(r, 'g', 60)).toBe(5);
    // Range functions skip the marker rather than reading it as NaN.
    expect(await single(r, 'count_over_time(g[1m])', 60)).toBe(3);
  });

  it('keeps the metric name and all labels, and matches regexes fully anchored', async () => {
    const r = new MemorySeriesReader()
      .add(ORG, { __name__: 'up', job: 'api' }, samplesEvery(0, s(15), [1]))
      .add(ORG, { __name__: 'up', job: 'api-2' }, samplesEvery(0, s(15), [0]));
    expect(await instantVector(r, 'up{job=~"api"}', 10)).toEqual([
      { labels: { __name__: 'up', job: 'api' }, value: 1 },
    ]);
    expect(await instantVector(r, 'up{job!~"api"}', 10)).toEqual([
      { labels: { __name__: 'up', job: 'api-2' }, value: 0 },
    ]);
    expect(await instantVector(r, '{__name__="up", job!="api"}', 10)).toHaveLength(1);
    expect(await instantVector(r, 'up{missing=""}', 10)).toHaveLength(2);
  });

  it("takes RE2's leading flag group: (?i) matches case-insensitively; flags elsewhere are refused", async () => {
    const r = new MemorySeriesReader()
      .add(ORG, { __name__: 'up', job: 'API' }, samplesEvery(0, s(15), [1]))
      .add(ORG, { __name__: 'up', job: 'api-2' }, samplesEvery(0, s(15), [0]));
    expect(await instantVector(r, 'up{job=~"(?i)api"}', 10)).toEqual([
      { labels: { __name__: 'up', job: 'API' }, value: 1 },
    ]);
    expect(await instantVector(r, 'up{job!~"(?i)API.*"}', 10)).toEqual([]);
    expect(
      await instantVector(r, 'label_replace(up, "j", "$1", "job", "(?i)(a)PI")', 10),
    ).toContainEqual({
      labels: { __name__: 'up', job: 'API', j: 'A' },
      value: 1,
    });
    await expect(instantVector(r, 'up{job=~"a(?i)pi"}', 10)).rejects.toThrow();
  });

  it('shifts by offset and pins with @, start() and end()', async () => {
    const r = gauge([0, 1, 2, 3, 4, 5, 6, 7, 8], 10); // value = t/10
    expect(await single(r, 'g offset 30s', 80)).toBe(5);
    expect(await single(r, 'g @ 20', 80)).toBe(2);
    expect(await single(r, 'g @ 50 offset 20s', 0)).toBe(3);
    const e = engineOver(r);
    const res = await e.rangeQueryRaw(ORG, 'g @ start() + g @ end()', s(20), s(40), s(10));
    expect(res).toEqual({
      resultType: 'matrix',
      series: [{ labels: { job: 'a' }, timestamps: [s(20), s(30), s(40)], values: [6, 6, 6] }],
    });
  });

  it('keeps tenants apart', async () => {
    const r = gauge([1]).add('org-2', { __name__: 'g', job: 'other' }, samplesEvery(0, s(15), [9]));
    expect(await instantVector(r, 'g', 10)).toEqual([
      { labels: { __name__: 'g', job: 'a' }, value: 1 },
    ]);
  });
});

describe('range queries', () => {
  it('evaluates at start + k*step without aligning the start', async () => {
    const r = gauge([0, 1, 2, 3, 4, 5, 6, 7, 8], 10);
    const res = await engineOver(r).rangeQuery(ORG, 'g', s(7), s(67), s(30));
    expect(res).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'g', job: 'a' },
          values: [
            [7, '0'],
            [37, '3'],
            [67, '6'],
          ],
        },
      ],
    });
  });

  it('returns a scalar expression as one series without labels', async () => {
    const res = await engineOver(new MemorySeriesReader()).rangeQuery(
      ORG,
      'time() * 2',
      0,
      s(20),
      s(10),
    );
    expect(res).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            [0, '0'],
            [10, '20'],
            [20, '40'],
          ],
        },
      ],
    });
  });

  it('merges series whose labels coincide at different steps and sorts by labels', async () => {
    const r = new MemorySeriesReader()
      .add(ORG, { __name__: 'b', x: '1' }, samplesEvery(0, s(10), [1, 'stale']))
      .add(ORG, { __name__: 'a', x: '1' }, samplesEvery(s(20), s(10), [2, 2]))
      .add(ORG, { __name__: 'a', x: '0' }, samplesEvery(0, s(10), [7]));
    const res = await engineOver(r, { lookbackDeltaMs: s(5) }).rangeQueryRaw(
      ORG,
      '{x=~".+"} * 1',
      0,
      s(30),
      s(10),
    );
    expect(res).toEqual({
      resultType: 'matrix',
      series: [
        { labels: { x: '0' }, timestamps: [0], values: [7] },
        { labels: { x: '1' }, timestamps: [0, s(20), s(30)], values: [1, 2, 2] },
      ],
    });
  });

  it('rejects two series with one label set at one step', async () => {
    const r = new MemorySeriesReader()
      .add(ORG, { __name__: 'a', x: '1' }, samplesEvery(0, s(10), [1]))
      .add(ORG, { __name__: 'b', x: '1' }, samplesEvery(0, s(10), [2]));
    await expect(engineOver(r).instantQuery(ORG, '{x="1"} * 2', s(5))).rejects.toMatchObject({
      errorType: 'execution',
      message: 'vector cannot contain metrics with the same labelset',
    });
  });

  it('rejects range vectors, bad steps and too many points', async () => {
    const e = engineOver(new MemorySeriesReader());
    await expect(e.rangeQuery(ORG, 'x[5m]', 0, s(60), s(10))).rejects.toMatchObject({
      errorType: 'bad_data',
      message:
        'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    });
    await expect(e.rangeQuery(ORG, 'x', 0, s(60), 0)).rejects.toMatchObject({
      errorType: 'bad_data',
    });
    await expect(e.rangeQuery(ORG, 'x', s(60), 0, s(1))).rejects.toMatchObject({
      errorType: 'bad_data',
    });
    await expect(e.rangeQuery(ORG, 'x', 0, s(11_001), s(1))).rejects.toMatchObject({
      errorType: 'bad_data',
    });
  });
});

describe('result shapes', () => {
  it('formats scalars, strings, vectors and matrices like the Prometheus API', async () => {
    const r = gauge([1.5, 2.25], 10);
    const e = engineOver(r);
    expect(await e.instantQuery(ORG, '1/0', s(1.5))).toEqual({
      resultType: 'scalar',
      result: [1.5, '+Inf'],
    });
    expect(await e.instantQuery(ORG, '"hi"', s(2))).toEqual({
      resultType: 'string',
      result: [2, 'hi'],
    });
    expect(await e.instantQuery(ORG, 'g', s(12))).toEqual({
      resultType: 'vector',
      result: [{ metric: { __name__: 'g', job: 'a' }, value: [12, '2.25'] }],
    });
    expect(await e.instantQuery(ORG, 'g[1m]', s(12))).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'g', job: 'a' },
          values: [
            [0, '1.5'],
            [10, '2.25'],
          ],
        },
      ],
    });
  });
});

describe('subqueries', () => {
  const r = () =>
    gauge(
      Array.from({ length: 20 }, (_, i) => i),
      10,
    ); // value = t/10 up to 190s

  it('evaluates on a grid aligned to absolute multiples of the step', async () => {
    // At 70s, [1m:20s] covers 10s..70s, so the inner steps are 20s, 40s and 60s.
    expect(await single(r(), 'count_over_time(g[1m:20s])', 70)).toBe(3);
    expect(await single(r(), 'sum_over_time(g[1m:20s])', 70)).toBe(2 + 4 + 6);
    // At 80s the window starts exactly on the grid and includes it.
    expect(await single(r(), 'count_over_time(g[1m:20s])', 80)).toBe(4);
  });

  it('uses the default subquery step when none is given', async () => {
    const e = engineOver(r(), { defaultSubqueryStepMs: s(30) });
    const res = await e.instantQueryRaw(ORG, 'g[1m:]', s(90));
    expect(res).toEqual({
      resultType: 'matrix',
      series: [
        {
          labels: { __name__: 'g', job: 'a' },
          timestamps: [s(30), s(60), s(90)],
          values: [3, 6, 9],
        },
      ],
    });
  });

  it('nests, with offsets applied to the subquery window', async () => {
    expect(await single(r(), 'max_over_time(rate(g[30s])[1m:10s] offset 1m)', 150)).toBeCloseTo(
      0.1,
      12,
    );
    expect(await single(r(), 'last_over_time(g[1m:10s] offset 1m)', 150)).toBe(9);
  });
});

describe('planning and limits', () => {
  it('fetches every selector once with the range it needs, carrying hints for rollups', async () => {
    const reader = new MemorySeriesReader();
    await engineOver(reader).rangeQuery(
      ORG,
      'rate(x[5m] offset 1m) + y + max_over_time(z[10m:1m])',
      s(600),
      s(1200),
      s(60),
    );
    expect(reader.selects.map((q) => [q.matchers[0].value, q.hints])).toEqual([
      [
        'x',
        { start: s(240), end: s(1140), step: s(60), func: 'rate', range: s(300), ends: 'rising' },
      ],
      ['y', { start: s(300), end: s(1200), step: s(60), func: undefined, lookback: s(300) }],
      // The subquery's own grid starts at the first step multiple at or after 600s - 10m.
      ['z', { start: s(0) - s(300), end: s(1200), step: s(60), func: undefined, lookback: s(300) }],
    ]);
  });

  it('reads identical selectors once', async () => {
    const reader = new MemorySeriesReader();
    await engineOver(reader).instantQuery(ORG, 'x + x', s(100));
    expect(reader.selects).toHaveLength(1);
  });

  it('fails with execution when a query would hold too many samples', async () => {
    const r = gauge(Array.from({ length: 100 }, (_, i) => i));
    await expect(
      engineOver(r, { maxSamples: 50 }).instantQuery(ORG, 'sum_over_time(g[1h])', s(1500)),
    ).rejects.toMatchObject({
      errorType: 'execution',
      message: 'query processing would load too many samples into memory in query execution',
    });
    await expect(
      engineOver(r, { maxSamples: 200 }).instantQuery(ORG, 'sum_over_time(g[1h])', s(1500)),
    ).resolves.toBeDefined();
  });

  it("takes each organization's own limits over the engine's, as a value or a promise", async () => {
    const r = gauge(Array.from({ length: 100 }, (_, i) => i));
    const limitsFor = (orgId: string) =>
      orgId === ORG
        ? { timeoutMs: 60_000, maxSamples: 50 }
        : Promise.resolve({ timeoutMs: 60_000, maxSamples: 200 });
    const e = engineOver(r, { maxSamples: 1_000_000, limitsFor });
    await expect(e.instantQuery(ORG, 'sum_over_time(g[1h])', s(1500))).rejects.toMatchObject({
      errorType: 'execution',
    });
    const other = new MemorySeriesReader();
    other.add(
      'org-2',
      { __name__: 'g' },
      samplesEvery(
        0,
        s(10),
        Array.from({ length: 100 }, (_, i) => i),
      ),
    );
    const e2 = engineOver(other, { maxSamples: 10, limitsFor });
    await expect(e2.instantQuery('org-2', 'sum_over_time(g[1h])', s(1500))).resolves.toBeDefined();
    const never: SeriesReader = {
      select: () => new Promise(() => undefined),
      series: async () => [],
      labelNames: async () => [],
      labelValues: async () => [],
    };
    const slow = createEngine({
      reader: never,
      limitsFor: () => ({ timeoutMs: 30, maxSamples: 10 }),
    });
    await expect(slow.instantQuery(ORG, 'x', 0)).rejects.toMatchObject({ errorType: 'timeout' });
  });

  it('refuses a subquery grid larger than the sample limit before evaluating it', async () => {
    const e = engineOver(gauge([1]), { maxSamples: 1000 });
    await expect(e.instantQuery(ORG, 'max_over_time(g[1d:1s])', s(10))).rejects.toMatchObject({
      errorType: 'execution',
    });
  });

  it('times out a slow read with errorType timeout', async () => {
    const never: SeriesReader = {
      select: () => new Promise(() => undefined),
      series: async () => [],
      labelNames: async () => [],
      labelValues: async () => [],
    };
    const e = createEngine({ reader: never, timeoutMs: 30 });
    const err = await e.instantQuery(ORG, 'x', 0).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(PromQLError);
    expect(err).toMatchObject({ errorType: 'timeout', httpStatus: 503 });
  });

  it('times out a slow evaluation', async () => {
    const r = gauge(
      Array.from({ length: 2000 }, (_, i) => i),
      1,
    );
    const e = engineOver(r, { timeoutMs: 0 });
    await expect(
      e.rangeQuery(ORG, 'sum_over_time(g[10m])', 0, s(2000), s(1)),
    ).rejects.toMatchObject({ errorType: 'timeout' });
  });

  it('stops when the caller aborts', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = engineOver(gauge([1]));
    await expect(e.instantQuery(ORG, 'g', 0, { signal: ac.signal })).rejects.toMatchObject({
      errorType: 'canceled',
    });
  });

  it('reports reader failures as execution errors', async () => {
    const failing: SeriesReader = {
      select: async () => {
        throw new Error('connection reset');
      },
      series: async () => [],
      labelNames: async () => [],
      labelValues: async () => [],
    };
    await expect(createEngine({ reader: failing }).instantQuery(ORG, 'x', 0)).rejects.toMatchObject(
      {
        errorType: 'execution',
        message: 'reading series failed: connection reset',
      },
    );
  });
});
