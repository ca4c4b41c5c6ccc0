import {
  aggregateBuckets,
  DAY_MS,
  decodeRollupBuckets,
  encodeRollupBuckets,
  HOUR_MS,
  type RollupColumns,
  type LabelMatcher,
  type RollupQueryResult,
  type RollupSeries,
  type SampleSeries,
  type SelectHints,
  type SeriesReader,
} from '@tocsin/tsdb';
import { MemorySeriesReader, type MemorySample } from '../testing/memory-series-reader';
import { createEngine } from './engine';
import { ROLLUP_FUNCTIONS } from './rollup-functions';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

const ORG = 'org';
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % HOUR_MS);
const SPAN = 30 * HOUR_MS;

/**
 * Random series over 30 hours: counters (integer and fractional increments, resets, sometimes two
 * in one hour), gauges with NaN, infinities and staleness markers, gaps of hours, scrapes that
 * drift and samples placed exactly on hour boundaries (where windows start and end).
 */
function load(reader: MemorySeriesReader, rand: () => number): void {
  for (let n = 0; n < 24; n++) {
    const kind = n % 3;
    const samples: MemorySample[] = [];
    let t = T0 + Math.floor(rand() * 600_000);
    let v = kind === 2 ? 0 : Math.floor(rand() * 100);
    const interval = [15_000, 30_000, 60_000, 7 * 60_000][n % 4];
    while (t < T0 + SPAN) {
      const r = rand();
      if (r < 0.004) t += Math.floor(rand() * 3 * HOUR_MS); // a gap
      // Now and then land exactly on an hour.
      if (r > 0.97) t = Math.ceil(t / HOUR_MS) * HOUR_MS;
      if (t >= T0 + SPAN) break;
      if (kind === 0) {
        v = rand() < 0.01 ? Math.floor(rand() * 5) : v + Math.floor(rand() * 20);
        samples.push({ t, v });
      } else if (kind === 1) {
        v = rand() < 0.02 ? rand() * 3 : v + rand() * 7.3;
        samples.push({ t, v });
        // Two resets in one hour: rate() must not take a bucket-summed correction.
        if (n === 4 && samples.length % 97 === 0) {
          samples.push({ t: t + 1000, v: 0.5 }, { t: t + 2000, v: 7 }, { t: t + 3000, v: 1 });
          t += 3000;
        }
      } else {
        const x = rand();
        if (x < 0.02) samples.push({ t, stale: true });
        else if (x < 0.04) samples.push({ t, v: NaN });
        else if (x < 0.045) samples.push({ t, v: x < 0.0425 ? Infinity : -Infinity });
        else samples.push({ t, v: Math.round((rand() - 0.5) * 1e4) / 100 });
      }
      t += interval + Math.floor((rand() - 0.5) * 2000);
    }
    reader.add(ORG, { __name__: `m${kind}`, id: String(n) }, samples);
  }
}

/**
 * Memory samples plus 1h rollups built from them the way RollupService builds them, and stored
 * the way it stores them: packed per UTC day (rollup-codec) and unpacked on read.
 */
class RollupMemoryReader implements SeriesReader {
  rollupCalls = 0;
  /** Where buckets start waiting to be rolled again, as a store's dirty markers would say. */
  dirtyFrom: number | null = null;
  constructor(private readonly inner: MemorySeriesReader) {}
  select(orgId: string, m: LabelMatcher[], h: SelectHints): Promise<SampleSeries[]> {
    return this.inner.select(orgId, m, h);
  }
  series = (...a: Parameters<SeriesReader['series']>) => this.inner.series(...a);
  labelNames = (...a: Parameters<SeriesReader['labelNames']>) => this.inner.labelNames(...a);
  labelValues = (...a: Parameters<SeriesReader['labelValues']>) => this.inner.labelValues(...a);
  async selectRollup(
    orgId: string,
    matchers: LabelMatcher[],
    _res: '1m' | '1h',
    start: number,
    end: number,
  ): Promise<RollupQueryResult> {
    this.rollupCalls++;
    const raw = await this.inner.select(orgId, matchers, { start, end: end - 1 });
    const series: RollupSeries[] = raw.flatMap((s) => {
      const aggs = aggregateBuckets(s.timestamps, s.values, HOUR_MS);
      if (!aggs.length) return [];
      const days: RollupColumns[] = [];
      for (let i = 0; i < aggs.length;) {
        const day = aggs[i].bucket - (aggs[i].bucket % DAY_MS);
        let j = i;
        while (j < aggs.length && aggs[j].bucket < day + DAY_MS) j++;
        const part = aggs.slice(i, j);
        const col = (k: keyof (typeof aggs)[0]) => Float64Array.from(part, (a) => a[k]);
        const packed = encodeRollupBuckets({
          buckets: col('bucket'),
          count: col('count'),
          sum: col('sum'),
          sumSquares: col('sumSq'),
          min: col('min'),
          max: col('max'),
          firstTs: col('firstTs'),
          firstValue: col('firstValue'),
          lastTs: col('lastTs'),
          lastValue: col('lastValue'),
          resets: col('resets'),
          changes: col('changes'),
          counterCorrection: col('counterCorrection'),
        });
        days.push(decodeRollupBuckets(packed));
        i = j;
      }
      const cat = (k: keyof RollupColumns) => {
        const out = new Float64Array(aggs.length);
        let o = 0;
        for (const d of days) {
          out.set(d[k], o);
          o += d[k].length;
        }
        return out;
      };
      return [
        {
          labels: s.labels,
          buckets: cat('buckets'),
          count: cat('count'),
          sum: cat('sum'),
          sumSquares: cat('sumSquares'),
          min: cat('min'),
          max: cat('max'),
          firstTs: cat('firstTs'),
          firstValue: cat('firstValue'),
          lastTs: cat('lastTs'),
          lastValue: cat('lastValue'),
          resets: cat('resets'),
          changes: cat('changes'),
          counterCorrection: cat('counterCorrection'),
        },
      ];
    });
    const dirty = this.dirtyFrom !== null && this.dirtyFrom < end ? this.dirtyFrom : null;
    return { series, dirtyFrom: dirty };
  }
}

describe('range functions from 1h rollups', () => {
  it('give exactly the raw answer over random data, wherever windows are hour-aligned', async () => {
    const memory = new MemorySeriesReader();
    load(memory, rng(11));
    const rolled = new RollupMemoryReader(memory);
    const rawEngine = createEngine({ reader: memory });
    const rollupEngine = createEngine({ reader: rolled });
    let compared = 0;
    for (const func of ROLLUP_FUNCTIONS) {
      for (const metric of ['m0', 'm1', 'm2']) {
        for (const range of ['1h', '2h', '5h']) {
          for (const [start, step, mod] of [
            [T0 + 5 * HOUR_MS, HOUR_MS, ''],
            [T0 + 6 * HOUR_MS, 2 * HOUR_MS, ' offset 1h'],
            [T0 + 4 * HOUR_MS, 3 * HOUR_MS, ` @ ${(T0 + 20 * HOUR_MS) / 1000}`],
          ] as const) {
            const expr = `${func}(${metric}[${range}]${mod})`;
            const end = T0 + SPAN;
            const want = await rawEngine.rangeQuery(ORG, expr, start, end, step);
            // Clean, and with the tail (or nearly all) still to be rolled: raw answers there.
            const dirty =
              range === '2h' ? [null, T0 + 21 * HOUR_MS + 600_000, T0 + 3 * HOUR_MS] : [null];
            for (const d of dirty) {
              rolled.dirtyFrom = d;
              const calls = rolled.rollupCalls;
              const got = await rollupEngine.rangeQuery(ORG, expr, start, end, step);
              expect(rolled.rollupCalls).toBe(calls + 1);
              expect([expr, d, got]).toEqual([expr, d, want]);
            }
            rolled.dirtyFrom = null;
            // Sum-like aggregations above them too.
            const agg = `sum by (__name__) (${expr}) + count(${expr})`;
            expect([agg, await rollupEngine.rangeQuery(ORG, agg, start, end, step)]).toEqual([
              agg,
              await rawEngine.rangeQuery(ORG, agg, start, end, step),
            ]);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(ROLLUP_FUNCTIONS.size * 27);
  });

  it('reads raw samples when windows are not hour-aligned or the function needs every sample', async () => {
    const memory = new MemorySeriesReader();
    load(memory, rng(5));
    const rolled = new RollupMemoryReader(memory);
    const engine = createEngine({ reader: rolled });
    for (const [expr, start, step] of [
      ['max_over_time(m2[1h])', T0 + 5 * HOUR_MS + 60_000, HOUR_MS],
      ['max_over_time(m2[90m])', T0 + 5 * HOUR_MS, HOUR_MS],
      ['max_over_time(m2[1h])', T0 + 5 * HOUR_MS, 30 * 60_000],
      ['avg_over_time(m2[1h])', T0 + 5 * HOUR_MS, HOUR_MS],
      ['sum_over_time(m2[1h])', T0 + 5 * HOUR_MS, HOUR_MS],
      ['max_over_time(m2[1h] offset 1m)', T0 + 5 * HOUR_MS, HOUR_MS],
    ] as const) {
      await engine.rangeQuery(ORG, expr, start, T0 + SPAN, step);
      expect([expr, rolled.rollupCalls]).toEqual([expr, 0]);
    }
  });
});
