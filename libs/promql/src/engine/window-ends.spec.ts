import type { LabelMatcher, SampleSeries, SelectHints, SeriesReader } from '@tocsin/tsdb';
import { MemorySeriesReader } from '../testing/memory-series-reader';
import { createEngine, type QueryResult } from './engine';
import { ORG, s } from './test-support';

function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 0x1_0000_0000;
  };
}

/**
 * A reader that hands windows out as their ends (tsdb's WindowEnds) where a select asks for
 * them and the contract allows: a random four in five of the windows with samples, none with
 * a staleness marker (nor other NaN) and, for 'rising', none with a reset.
 */
class EndsReader implements SeriesReader {
  windows = 0;

  constructor(
    private readonly inner: MemorySeriesReader,
    private readonly rand: () => number,
  ) {}

  async select(orgId: string, matchers: LabelMatcher[], hints: SelectHints) {
    const series = await this.inner.select(orgId, matchers, hints);
    const { range, step, ends } = hints;
    if (!ends || range === undefined || !step || range >= step) return series;
    const first = hints.start + range;
    const n = Math.floor((hints.end - first) / step) + 1;
    return series.map((x): SampleSeries => {
      const data = new Float64Array(5 * n);
      const keep: number[] = [];
      let i = 0;
      for (let k = 0; k < n; k++) {
        const ref = first + k * step;
        while (i < x.timestamps.length && x.timestamps[i] < ref - range) i++;
        let j = i;
        let sound = true;
        for (; j < x.timestamps.length && x.timestamps[j] <= ref; j++) {
          const v = x.values[j];
          if (v !== v || (ends === 'rising' && j > i && v < x.values[j - 1])) sound = false;
        }
        if (j > i && sound && this.rand() < 0.8) {
          data.set(
            [j - i, x.timestamps[i], x.values[i], x.timestamps[j - 1], x.values[j - 1]],
            5 * k,
          );
          this.windows++;
        } else for (let m = i; m < j; m++) keep.push(m);
        i = j;
      }
      const timestamps = Float64Array.from(keep, (m) => x.timestamps[m]);
      // Copied as words: a staleness marker keeps its payload.
      const values = new Float64Array(keep.length);
      const from = new Uint32Array(x.values.buffer, x.values.byteOffset, 2 * x.values.length);
      const to = new Uint32Array(values.buffer);
      keep.forEach((m, o) => to.set(from.subarray(2 * m, 2 * m + 2), 2 * o));
      const rising = ends === 'rising';
      return { ...x, timestamps, values, ends: { first, step, width: range, n, rising, data } };
    });
  }

  series = this.inner.series.bind(this.inner);
  labelNames = this.inner.labelNames.bind(this.inner);
  labelValues = this.inner.labelValues.bind(this.inner);
}

function bitsOf(res: QueryResult): string {
  return JSON.stringify(res, (_k, v: unknown) =>
    typeof v === 'number' ? Array.from(new Uint32Array(Float64Array.of(v).buffer)).join(':') : v,
  );
}

function randomReader(rand: () => number): MemorySeriesReader {
  const reader = new MemorySeriesReader();
  for (let sIdx = 0; sIdx < 6; sIdx++) {
    let t = Math.floor(rand() * 60_000);
    let v = Math.floor(rand() * 1000);
    const samples: { t: number; v?: number; stale?: boolean }[] = [];
    while (t < s(4 * 3600)) {
      const r = rand();
      if (r < 0.01)
        v = Math.floor(rand() * 10); // a reset
      else if (sIdx === 5)
        v = Math.round(rand() * 100) / 10 - 5; // a gauge
      else v += Math.floor(rand() * 40) / (sIdx === 4 ? 100 : 1);
      samples.push(r > 0.995 ? { t, stale: true } : { t, v });
      // A regular scrape with gaps and, now and then, a jitter.
      t +=
        rand() < 0.01
          ? Math.floor(rand() * 3_600_000)
          : rand() < 0.1
            ? 29_000 + Math.floor(rand() * 2000)
            : 30_000;
    }
    reader.add(ORG, { __name__: 'c', job: `j${sIdx % 2}`, i: `${sIdx}` }, samples);
  }
  return reader;
}

describe('range functions over windows read by their ends', () => {
  it('answer bit for bit what they answer from the samples', async () => {
    const rand = rng(3);
    const queries = [
      'rate(c[5m])',
      'increase(c[10m])',
      'delta(c[5m])',
      'resets(c[7m])',
      'count_over_time(c[5m])',
      'present_over_time(c[5m])',
      'sum by (job) (rate(c[5m]))',
      'rate(c[5m] offset 7m)',
      'increase(c[5m] @ 5000)',
      'max_over_time(rate(c[2m])[30m:5m])',
      'irate(c[5m])',
    ];
    let windows = 0;
    for (let round = 0; round < 12; round++) {
      const reader = randomReader(rand);
      const ends = new EndsReader(reader, rand);
      const plain = createEngine({ reader });
      const byEnds = createEngine({ reader: ends });
      const step = [s(1200), s(600), s(61), s(300) + 1][round % 4];
      const start = Math.floor(rand() * s(3600));
      const end = start + s(3 * 3600);
      for (const q of queries) {
        const want = await plain.rangeQueryRaw(ORG, q, start, end, step);
        const got = await byEnds.rangeQueryRaw(ORG, q, start, end, step);
        expect([q, bitsOf(got)]).toEqual([q, bitsOf(want)]);
      }
      windows += ends.windows;
    }
    expect(windows).toBeGreaterThan(3_000);
  });
});
