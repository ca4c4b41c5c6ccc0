import { DEFAULT_INGEST_LIMITS } from '../ingest.types';
import { applySeriesLimits } from './series-limits';

const series = (name: string, i: number) => ({
  labels: { __name__: name, i: String(i) },
  timestamps: Float64Array.of(1, 2),
  values: Float64Array.of(1, 2),
});

describe('applySeriesLimits', () => {
  it('admits new series up to the active-series limit and keeps existing ones beyond it', () => {
    const batch = {
      series: [series('a', 1), series('a', 2), series('a', 3), series('a', 4)],
      sampleCount: 8,
    };
    const r = applySeriesLimits(
      batch,
      { exists: [false, true, false, false], activeSeries: 9, seriesPerMetric: new Map() },
      { ...DEFAULT_INGEST_LIMITS, maxActiveSeries: 10 },
    );
    expect(r.batch.series.map((s) => s.labels.i)).toEqual(['1', '2']);
    expect(r.batch.sampleCount).toBe(4);
    expect(r.rejected.map((x) => x.id)).toEqual(['max-series-per-user', 'max-series-per-user']);
    expect(r.rejectedSamples).toBe(4);
  });

  it('limits new series per metric without touching other metrics', () => {
    const batch = { series: [series('a', 1), series('a', 2), series('b', 1)], sampleCount: 6 };
    const r = applySeriesLimits(
      batch,
      { exists: [false, false, false], activeSeries: 0, seriesPerMetric: new Map([['a', 1]]) },
      { ...DEFAULT_INGEST_LIMITS, maxSeriesPerMetric: 2 },
    );
    expect(r.batch.series.map((s) => `${s.labels.__name__}${s.labels.i}`)).toEqual(['a1', 'b1']);
    expect(r.rejected[0]).toMatchObject({
      id: 'max-series-per-metric',
      message: expect.stringContaining('metric a'),
    });
  });
});
