import type { Labels, SeriesMemo } from '@tocsin/tsdb';
import { IngestErrorId } from '../ingest.errors';
import type { DecodedBatch, IngestLimits, RejectedSeries } from '../ingest.types';

/** What tsdb knows about a batch's series for one organization; tsdb owns the counting. */
export interface SeriesUsage {
  /** For each series of the batch (same order): whether it already exists. */
  exists: boolean[];
  /** Active series the organization has now. */
  activeSeries: number;
  /** Existing series per metric name, for the metric names in the batch. */
  seriesPerMetric: Map<string, number>;
}

/**
 * Looks up series usage for a batch; implemented over tsdb's series index. Checks are made
 * before the write without a lock, so concurrent requests can overshoot a limit by the series
 * they create at the same moment (Mimir's distributors are approximate the same way).
 */
export interface SeriesLimiter {
  /** `memos`: the series' store memos (parallel to `series`), where the batch has them. */
  usage(
    orgId: string,
    series: readonly Labels[],
    limits: IngestLimits,
    memos?: ReadonlyArray<SeriesMemo | undefined>,
  ): Promise<SeriesUsage>;
}

export interface SeriesLimitResult {
  batch: DecodedBatch;
  rejected: RejectedSeries[];
  rejectedSamples: number;
}

/**
 * Drops new series that would take the organization past `maxActiveSeries` or a metric past
 * `maxSeriesPerMetric`. Existing series are always accepted: a full tenant keeps reporting on
 * what it has.
 */
export function applySeriesLimits(
  batch: DecodedBatch,
  usage: SeriesUsage,
  limits: IngestLimits,
): SeriesLimitResult {
  // Every series known (the usual request): the batch as it is, columns and all.
  if (usage.exists.every((e) => e)) return { batch, rejected: [], rejectedSamples: 0 };
  const rejected: RejectedSeries[] = [];
  let rejectedSamples = 0;
  let active = usage.activeSeries;
  const perMetric = new Map(usage.seriesPerMetric);
  const kept: DecodedBatch['series'] = [];
  let sampleCount = 0;
  for (let i = 0; i < batch.series.length; i++) {
    const s = batch.series[i];
    if (!usage.exists[i]) {
      const metric = s.labels.__name__;
      const metricCount = perMetric.get(metric) ?? 0;
      let problem: RejectedSeries | undefined;
      if (active >= limits.maxActiveSeries) {
        problem = {
          id: IngestErrorId.maxSeriesPerUser,
          message: `the organization has reached its limit of ${limits.maxActiveSeries} active series`,
          labels: s.labels,
          samples: s.timestamps.length,
        };
      } else if (limits.maxSeriesPerMetric !== null && metricCount >= limits.maxSeriesPerMetric) {
        problem = {
          id: IngestErrorId.maxSeriesPerMetric,
          message: `metric ${metric} has reached its limit of ${limits.maxSeriesPerMetric} series`,
          labels: s.labels,
          samples: s.timestamps.length,
        };
      }
      if (problem) {
        rejected.push(problem);
        rejectedSamples += problem.samples;
        continue;
      }
      active++;
      perMetric.set(metric, metricCount + 1);
    }
    kept.push(s);
    sampleCount += s.timestamps.length;
  }
  return { batch: { series: kept, sampleCount }, rejected, rejectedSamples };
}
