import { staleNaN, type RollupSeries, type SampleSeries } from '@tocsin/tsdb';
import { DAY_MS, dailyUptime, uptimeRatio } from './uptime';

function rollup(buckets: number[], sums: number[], counts: number[]): RollupSeries {
  const f = (a: number[]) => Float64Array.from(a);
  const z = f(buckets.map(() => 0));
  return { labels: {}, buckets: f(buckets), sum: f(sums), count: f(counts), sumSquares: z, min: z, max: z, firstTs: z, firstValue: z, lastTs: z, lastValue: z, resets: z, changes: z, counterCorrection: z };
}

describe('dailyUptime', () => {
  const now = Date.UTC(2026, 10, 26, 21, 30);
  const today = Date.UTC(2026, 10, 26);
  it('sums rollup buckets before dirtyFrom and raw samples after it, per UTC day', () => {
    const r = rollup([today - 2 * DAY_MS + 3_600_000, today - DAY_MS, today - DAY_MS + 3_600_000, today + 3_600_000], [60, 30, 10, 99], [60, 60, 20, 99]);
    const raw: SampleSeries = { labels: {}, timestamps: Float64Array.of(today + 3_600_000, today + 21 * 3_600_000, today + 21 * 3_600_000 + 1000), values: Float64Array.of(1, 0, staleNaN()) };
    const days = dailyUptime([r], [raw], today, 3, now);
    expect(days).toEqual([
      { day: today - 2 * DAY_MS, up: 60, total: 60 },
      { day: today - DAY_MS, up: 40, total: 80 },
      // The rolled bucket at/after dirtyFrom is ignored in favour of raw (no double count); stale markers do not count.
      { day: today, up: 1, total: 2 },
    ]);
    expect(uptimeRatio(days)).toBeCloseTo(101 / 142);
    expect(uptimeRatio([{ day: 0, up: 0, total: 0 }])).toBeNull();
  });
});
