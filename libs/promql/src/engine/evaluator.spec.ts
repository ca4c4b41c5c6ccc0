import { MemorySeriesReader } from '../testing/memory-series-reader';
import { windowBounds } from './evaluator';
import { WINDOW_FUNCTIONS } from './range-functions';
import { ORG, engineOver, s } from './test-support';

describe('avg_over_time windows over a step grid', () => {
  it('finds each step window as a binary search over all samples does', async () => {
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 40; trial++) {
      // Bursts, gaps far longer than a step and samples on window edges, so that the windows'
      // cursors move by anything from nothing to the whole series.
      const samples: { t: number; v: number }[] = [];
      let t = s(Math.floor(rnd() * 100));
      for (let i = 0; i < 400; i++) {
        const r = rnd();
        t += r < 0.05 ? s(Math.floor(rnd() * 20_000)) : r < 0.5 ? s(1) : s(30);
        samples.push({ t, v: Math.floor(rnd() * 1e6) + rnd() });
      }
      const reader = new MemorySeriesReader().add(ORG, { __name__: 'g' }, samples);
      const rangeSec = [30, 60, 600, 3600][Math.floor(rnd() * 4)];
      const stepSec = [1, 15, 60, 1200][Math.floor(rnd() * 4)];
      const start = samples[0].t - s(600);
      const end = Math.min(samples[samples.length - 1].t + s(600), start + s(stepSec) * 10_000);
      const res = await engineOver(reader).rangeQueryRaw(
        ORG,
        `avg_over_time(g[${rangeSec}s])`,
        start,
        end,
        s(stepSec),
      );
      if (res.resultType !== 'matrix') throw new Error(res.resultType);

      const ts = Float64Array.from(samples, (x) => x.t);
      const vs = Float64Array.from(samples, (x) => x.v);
      const want: [number, number][] = [];
      for (let at = start; at <= end; at += s(stepSec)) {
        const [lo, hi] = windowBounds(ts, at - s(rangeSec), at);
        if (hi <= lo) continue;
        const ctx = {
          stepTs: at,
          rangeStart: at - s(rangeSec),
          rangeEnd: at,
          rangeMs: s(rangeSec),
          scalar: 0,
        };
        want.push([at, WINDOW_FUNCTIONS.avg_over_time(ts, vs, lo, hi, ctx)!]);
      }
      const got = res.series.flatMap((x) => x.timestamps.map((at, i) => [at, x.values[i]]));
      expect(got).toEqual(want);
    }
  });
});
