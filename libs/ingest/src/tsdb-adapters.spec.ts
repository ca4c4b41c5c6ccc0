import { DEFAULT_INGEST_LIMITS } from './ingest.types';
import { applySeriesLimits } from './limits/series-limits';
import {
  sampleSinkFromTsdb,
  seriesLimiterFromTsdb,
  type TsdbSeriesLimitsLike,
} from './tsdb-adapters';

const s = (name: string, i: number) => ({
  labels: { __name__: name, i: String(i) },
  timestamps: Float64Array.of(1),
  values: Float64Array.of(1),
});

describe('tsdb adapters', () => {
  it('reports the writer out-of-bounds count as sample-out-of-bounds', async () => {
    const sink = sampleSinkFromTsdb({ write: async () => ({ samples: 3, outOfBounds: 2 }) });
    const out = await sink.write('o', { series: [s('a', 1)], sampleCount: 5 });
    expect(out.samplesWritten).toBe(3);
    expect(out.rejected).toEqual([
      expect.objectContaining({ id: 'sample-out-of-bounds', samples: 2 }),
    ]);
  });

  it('turns a tsdb input error into a 400', async () => {
    const err = Object.assign(new Error('bad ts'), { name: 'TsdbInputError' });
    const sink = sampleSinkFromTsdb({ write: async () => Promise.reject(err) });
    await expect(sink.write('o', { series: [], sampleCount: 0 })).rejects.toMatchObject({
      status: 400,
    });
  });

  // A fake index: series "known" by their i label, active count fixed.
  function fakeService(
    known: Set<string>,
    active: number,
    calls: string[][],
  ): TsdbSeriesLimitsLike {
    return {
      async checkNewSeries(_o, sets, limits) {
        calls.push(sets.map((l) => l.i));
        const fresh = sets.filter((l) => !known.has(l.i)).length;
        return {
          newSeries: fresh,
          activeSeries: fresh ? active : null,
          ok: active + fresh <= limits.maxActiveSeries,
        };
      },
      activeSeries: async () => active,
      seriesPerMetric: async () => new Map(),
    };
  }

  it('asks once when everything fits', async () => {
    const calls: string[][] = [];
    const limiter = seriesLimiterFromTsdb(fakeService(new Set(['1']), 0, calls));
    const usage = await limiter.usage(
      'o',
      [s('a', 1).labels, s('a', 2).labels],
      DEFAULT_INGEST_LIMITS,
    );
    expect(calls).toHaveLength(1);
    expect(
      applySeriesLimits(
        { series: [s('a', 1), s('a', 2)], sampleCount: 2 },
        usage,
        DEFAULT_INGEST_LIMITS,
      ).rejected,
    ).toEqual([]);
  });

  it('refuses exactly the new series beyond the limit', async () => {
    const calls: string[][] = [];
    const limits = { ...DEFAULT_INGEST_LIMITS, maxActiveSeries: 10 };
    const limiter = seriesLimiterFromTsdb(fakeService(new Set(['1', '3']), 9, calls));
    const batch = { series: [s('a', 1), s('a', 2), s('a', 3), s('a', 4)], sampleCount: 4 };
    const usage = await limiter.usage(
      'o',
      batch.series.map((x) => x.labels),
      limits,
    );
    const r = applySeriesLimits(batch, usage, limits);
    expect(r.batch.series.map((x) => x.labels.i)).toEqual(['1', '2', '3']);
    expect(r.rejected.map((x) => x.labels?.i)).toEqual(['4']);
  });
});
