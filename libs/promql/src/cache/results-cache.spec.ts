import { createEngine, type QueryResult } from '../engine/engine';
import { MemorySeriesReader } from '../testing/memory-series-reader';
import { MemoryCacheGenerations } from './generations';
import { QueryResultsCache, type ResultsCacheOptions } from './results-cache';

const MIN = 60_000;
const A = 'org-a';
const B = 'org-b';
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % (60 * MIN));

/** Six hours of 15 s samples; counters reset, a series that stops, one that starts late. */
function reader(): MemorySeriesReader {
  const r = new MemorySeriesReader();
  const n = (6 * 60 * MIN) / 15_000;
  const sample = (f: (i: number) => number | null) => {
    const out: { t: number; v: number }[] = [];
    for (let i = 0; i < n; i++) {
      const v = f(i);
      if (v !== null) out.push({ t: T0 + i * 15_000, v });
    }
    return out;
  };
  for (const job of ['api', 'web']) {
    for (const code of ['200', '500']) {
      r.add(A, { __name__: 'http_requests_total', job, code }, sample((i) => (i % 700) * (code === '200' ? 5 : 1) + (job === 'api' ? 1 : 0)));
    }
    for (const le of ['0.1', '1', '+Inf'])
      r.add(A, { __name__: 'lat_bucket', job, le }, sample((i) => i * (le === '0.1' ? 1 : le === '1' ? 3 : 4)));
  }
  r.add(A, { __name__: 'temp', host: 'h1' }, sample((i) => 50 + Math.sin(i / 40) * 10));
  r.add(A, { __name__: 'temp', host: 'h2' }, sample((i) => (i < 500 ? 40 + (i % 13) : null)));
  r.add(A, { __name__: 'temp', host: 'h3' }, sample((i) => (i > 900 ? 60 - (i % 7) : null)));
  r.add(B, { __name__: 'temp', host: 'b1' }, sample(() => 7));
  return r;
}

const QUERIES = [
  'sum(rate(http_requests_total[5m]))',
  'sum by (job) (rate(http_requests_total[5m]))',
  'histogram_quantile(0.9, sum by (le) (rate(lat_bucket[5m])))',
  'avg_over_time(temp[1h])',
  'max by (host) (temp)',
  'topk(2, temp)',
  'temp > 55',
  'time()',
  '1 + 1',
  'temp offset 10m',
];

function setup(over: Partial<ResultsCacheOptions> = {}) {
  const r = reader();
  const engine = createEngine({ reader: r });
  const generations = new MemoryCacheGenerations();
  let now = T0 + 24 * 60 * MIN;
  const cache = new QueryResultsCache({
    engine,
    generations,
    maxBytes: 64 << 20,
    maxBytesPerOrg: 16 << 20,
    freshnessMs: 10 * MIN,
    splitIntervalMs: 40 * MIN,
    now: () => now,
    ...over,
  });
  return { r, engine, generations, cache, setNow: (t: number) => (now = t) };
}

const points = (res: QueryResult) => (res.resultType === 'matrix' ? res.series.reduce((n, s) => n + s.timestamps.length, 0) : 0);

describe('QueryResultsCache', () => {
  it('answers exactly as the unsplit query, cold, cached and for a moving window', async () => {
    const { engine, cache } = setup();
    for (const q of QUERIES) {
      for (const [startOff, len, step] of [
        [0, 6 * 60, 60_000],
        [7, 3 * 60, 15_000],
        [95, 200, 47_000],
        [30, 100, 5 * 60_000],
      ]) {
        const start = T0 + startOff * MIN + 3_000;
        const end = start + len * MIN;
        const want = await engine.rangeQueryRaw(A, q, start, end, step);
        const cold = await cache.rangeQueryRaw(A, q, start, end, step);
        expect(cold.result).toEqual(want);
        expect(cold.stats.status).toBe('miss');
        const warm = await cache.rangeQueryRaw(A, q, start, end, step);
        expect(warm.result).toEqual(want);
        expect(warm.stats).toEqual({ status: 'hit', cachedSteps: warm.stats.cachedSteps, evaluatedSteps: 0 });
        // A refresh: the window moves on by a few steps; only the new steps are evaluated.
        const s2 = start + 4 * step;
        const e2 = end + 4 * step;
        const moved = await cache.rangeQueryRaw(A, q, s2, e2, step);
        expect(moved.result).toEqual(await engine.rangeQueryRaw(A, q, s2, e2, step));
        expect(moved.stats.status).toBe('partial');
        expect(moved.stats.evaluatedSteps).toBe(4);
      }
    }
    expect(points((await cache.rangeQueryRaw(A, 'temp', T0, T0 + 60 * MIN, 60_000)).result)).toBeGreaterThan(0);
  });

  it('does not store steps newer than now − freshness, and reads them anew each time', async () => {
    const { engine, cache, setNow } = setup();
    const end = T0 + 3 * 60 * MIN;
    setNow(end + 2 * MIN); // the last 8 minutes of the range are within the horizon
    const q = 'max by (host) (temp)';
    await cache.rangeQueryRaw(A, q, T0, end, 60_000);
    const again = await cache.rangeQueryRaw(A, q, T0, end, 60_000);
    expect(again.stats.status).toBe('partial');
    expect(again.stats.evaluatedSteps).toBe(8);
    expect(again.result).toEqual(await engine.rangeQueryRaw(A, q, T0, end, 60_000));
  });

  it('drops every cached answer of an organization when its generation moves', async () => {
    const { r, generations, cache } = setup();
    const q = 'count(temp)';
    const range = [T0, T0 + 60 * MIN, 60_000] as const;
    const before = await cache.rangeQueryRaw(A, q, ...range);
    // A late series: the cache cannot know until the generation moves.
    r.add(A, { __name__: 'temp', host: 'late' }, [{ t: T0 + 30 * MIN, v: 1 }]);
    expect((await cache.rangeQueryRaw(A, q, ...range)).result).toEqual(before.result);
    await generations.bump(A);
    const after = await cache.rangeQueryRaw(A, q, ...range);
    expect(after.stats.status).toBe('miss');
    expect(after.result).not.toEqual(before.result);
  });

  it('keeps organizations apart: same query text, each its own data', async () => {
    const { cache } = setup();
    const range = [T0, T0 + 60 * MIN, 60_000] as const;
    const a = await cache.rangeQueryRaw(A, 'temp', ...range);
    const b = await cache.rangeQueryRaw(B, 'temp', ...range);
    expect(b.stats.status).toBe('miss');
    const hosts = (res: QueryResult) => (res.resultType === 'matrix' ? res.series.map((s) => s.labels.host) : []);
    expect(hosts(a.result)).toEqual(['h1', 'h2']);
    expect(hosts(b.result)).toEqual(['b1']);
  });

  it('evaluates unsplit what splitting could change, and what the caller asks not to cache', async () => {
    const { engine, cache } = setup();
    const range = [T0 + 30 * MIN, T0 + 150 * MIN, 60_000] as const;
    for (const q of ['temp @ start()', 'max_over_time(temp[10m:1m])', 'temp offset -5m', 'temp @ 1700000000']) {
      const res = await cache.rangeQueryRaw(A, q, ...range);
      expect(res.stats.status).toBe('uncacheable');
      expect(res.result).toEqual(await engine.rangeQueryRaw(A, q, ...range));
    }
    await cache.rangeQueryRaw(A, 'temp', ...range);
    expect((await cache.rangeQueryRaw(A, 'temp', ...range, { noCache: true })).stats.status).toBe('bypass');
  });

  it('keys on the parsed query, not its spelling', async () => {
    const { cache } = setup();
    const range = [T0, T0 + 60 * MIN, 60_000] as const;
    await cache.rangeQueryRaw(A, 'sum by (job) (rate(http_requests_total[5m]))', ...range);
    const res = await cache.rangeQueryRaw(A, 'sum by(job)(rate( http_requests_total [5m] ))', ...range);
    expect(res.stats.status).toBe('hit');
    expect((await cache.rangeQueryRaw(A, '1/0', ...range)).stats.status).toBe('miss');
    expect((await cache.rangeQueryRaw(A, '0/0', ...range)).result).not.toEqual(
      (await cache.rangeQueryRaw(A, '1/0', ...range)).result,
    );
  });

  it('holds each organization to its byte budget without evicting the others', async () => {
    const { cache } = setup({ maxBytesPerOrg: 40_000, maxBytes: 200_000 });
    await cache.rangeQueryRaw(B, 'temp', T0, T0 + 60 * MIN, 60_000);
    const bBytes = cache.bytes(B);
    expect(bBytes).toBeGreaterThan(0);
    for (let i = 0; i < 40; i++) await cache.rangeQueryRaw(A, `temp + ${i}`, T0, T0 + 6 * 60 * MIN, 15_000);
    expect(cache.bytes(A)).toBeGreaterThan(0);
    expect(cache.bytes(A)).toBeLessThanOrEqual(40_000);
    expect(cache.bytes(B)).toBe(bBytes);
    expect(cache.bytes()).toBeLessThanOrEqual(200_000);
    expect((await cache.rangeQueryRaw(B, 'temp', T0, T0 + 60 * MIN, 60_000)).stats.status).toBe('hit');
  });

  it('answers without the cache when the generation cannot be read', async () => {
    const { engine } = setup();
    const cache = new QueryResultsCache({
      engine,
      generations: { current: () => Promise.reject(new Error('redis down')), bump: async () => {} },
      maxBytes: 1 << 20,
      maxBytesPerOrg: 1 << 20,
      freshnessMs: 0,
      splitIntervalMs: 60 * MIN,
    });
    const res = await cache.rangeQueryRaw(A, 'temp', T0, T0 + 60 * MIN, 60_000);
    expect(res.stats.status).toBe('bypass');
    expect(res.result).toEqual(await engine.rangeQueryRaw(A, 'temp', T0, T0 + 60 * MIN, 60_000));
    expect(cache.bytes()).toBe(0);
  });
});
