import type { Labels, SeriesColumns, SeriesMemo, WriteSeries } from '@tocsin/tsdb';
import { IngestError, IngestErrorId } from './ingest.errors';
import type { IngestLimits, SampleSink } from './ingest.types';
import type { SeriesLimiter, SeriesUsage } from './limits/series-limits';

// Structural views of tsdb's TsdbWriter and SeriesLimitsService, so ingest depends on their
// shape rather than on how they are constructed.

export interface TsdbWriterLike {
  write(orgId: string, series: WriteSeries[]): Promise<{ samples: number; outOfBounds: number }>;
  /** Taken, where the writer has it, for batches validation kept as columns. */
  writeColumns?(
    orgId: string,
    columns: SeriesColumns,
  ): Promise<{ samples: number; outOfBounds: number }>;
}

export interface TsdbSeriesLimitsLike {
  checkNewSeries(
    orgId: string,
    labelSets: readonly Labels[],
    limits: { maxActiveSeries: number; maxSeriesPerMetric?: number | null },
    memos?: ReadonlyArray<SeriesMemo | undefined>,
  ): Promise<{ newSeries: number; activeSeries: number | null; ok: boolean }>;
  activeSeries(orgId: string): Promise<number>;
  seriesPerMetric(orgId: string, metrics?: string[]): Promise<Map<string, number>>;
}

/** The ingest sink over tsdb's writer: resolves once tsdb has committed the transaction. */
export function sampleSinkFromTsdb(writer: TsdbWriterLike): SampleSink {
  return {
    async write(orgId, batch) {
      let result;
      try {
        result =
          batch.columns !== undefined && writer.writeColumns !== undefined
            ? await writer.writeColumns(orgId, batch.columns)
            : await writer.write(orgId, batch.series);
      } catch (err) {
        // Validation should have caught anything tsdb refuses as input; if not, retrying the
        // same request cannot help, so it is a 400 rather than a 503.
        if ((err as Error).name === 'TsdbInputError') {
          throw new IngestError(400, IngestErrorId.malformedRequest, (err as Error).message);
        }
        throw err;
      }
      return {
        samplesWritten: result.samples,
        rejected:
          result.outOfBounds > 0
            ? [
                {
                  id: IngestErrorId.sampleOutOfBounds,
                  message: `${result.outOfBounds} sample(s) outside the time window the store accepts were dropped`,
                  samples: result.outOfBounds,
                },
              ]
            : undefined,
      };
    },
  };
}

/**
 * A SeriesLimiter over tsdb's SeriesLimitsService. Its aggregate check is one cheap call when
 * every series is known or the new ones fit; only a request that would pass a limit is looked
 * at series by series, so exactly the new series beyond the limit are refused.
 */
export function seriesLimiterFromTsdb(service: TsdbSeriesLimitsLike): SeriesLimiter {
  return {
    async usage(orgId, series, limits: IngestLimits, memos): Promise<SeriesUsage> {
      const labelSets = series;
      const tsdbLimits = {
        maxActiveSeries: limits.maxActiveSeries,
        maxSeriesPerMetric: limits.maxSeriesPerMetric,
      };
      const all = await service.checkNewSeries(orgId, labelSets, tsdbLimits, memos);
      if (all.ok) {
        // Everything fits: report the series as known so none is held back.
        return { exists: labelSets.map(() => true), activeSeries: 0, seriesPerMetric: new Map() };
      }
      const exists: boolean[] = [];
      for (let i = 0; i < labelSets.length; i++) {
        const one = await service.checkNewSeries(orgId, [labelSets[i]], tsdbLimits, [memos?.[i]]);
        exists.push(one.newSeries === 0);
      }
      const newMetrics = [
        ...new Set(labelSets.filter((_, i) => !exists[i]).map((l) => l.__name__)),
      ];
      return {
        exists,
        activeSeries: all.activeSeries ?? (await service.activeSeries(orgId)),
        seriesPerMetric:
          limits.maxSeriesPerMetric === null
            ? new Map()
            : await service.seriesPerMetric(orgId, newMetrics),
      };
    },
  };
}
