import { isStaleNaNAt, type RollupSeries, type SampleSeries } from '@tocsin/tsdb';

export const DAY_MS = 86_400_000;

export interface DayUptime {
  /** UTC midnight of the day, ms. */
  day: number;
  /** Successful probe runs and all runs that day; total 0 means no data. */
  up: number;
  total: number;
}

/**
 * Daily uptime of probe_success over `days` UTC days ending today: successes / runs, from 1 h
 * rollups (sum of a 0/1 series is its successes, count its runs) for buckets the rollup job has
 * finished, and from raw samples from `dirtyFrom` on, so today's runs count before they are rolled up.
 */
export function dailyUptime(rollups: RollupSeries[], raw: SampleSeries[], dirtyFrom: number | null, days: number, now: number): DayUptime[] {
  const first = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  const out: DayUptime[] = Array.from({ length: days }, (_, i) => ({ day: first + i * DAY_MS, up: 0, total: 0 }));
  const slot = (t: number) => Math.floor((t - first) / DAY_MS);
  const rawFrom = dirtyFrom ?? Infinity;
  for (const s of rollups) {
    for (let i = 0; i < s.buckets.length; i++) {
      if (s.buckets[i] >= rawFrom) continue;
      const d = slot(s.buckets[i]);
      if (d < 0 || d >= days) continue;
      out[d].up += s.sum[i];
      out[d].total += s.count[i];
    }
  }
  for (const s of raw) {
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i];
      if (t < rawFrom || isStaleNaNAt(s.values, i) || Number.isNaN(s.values[i])) continue;
      const d = slot(t);
      if (d < 0 || d >= days) continue;
      out[d].up += s.values[i] > 0 ? 1 : 0;
      out[d].total += 1;
    }
  }
  return out;
}

export function uptimeRatio(days: DayUptime[]): number | null {
  const total = days.reduce((a, d) => a + d.total, 0);
  return total === 0 ? null : days.reduce((a, d) => a + d.up, 0) / total;
}
