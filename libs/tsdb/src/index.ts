export type {
  LabelMatcher,
  Labels,
  MatchOp,
  SampleSeries,
  SelectHints,
  SeriesReader,
  WindowEnds,
} from './model';
export { isStaleNaNAt, isStaleNaNBytes, setStaleNaNAt, staleNaN } from './model';
export type {
  RollupQueryResult,
  RollupResolution,
  RollupSeries,
  SeriesLimitCheck,
  SeriesLimits,
  SeriesColumns,
  SeriesMemo,
  WriteResult,
  WriteSeries,
} from './tsdb.types';
export { BLOCK_MS, DAY_MS, HOUR_MS, MINUTE_MS, seriesOfColumns } from './tsdb.types';
export { TsdbInputError } from './tsdb.errors';
export {
  ChunkCodecError,
  decodeChunk,
  encodeChunk,
  encodeRawChunk,
  isRawChunk,
} from './codec/chunk-codec';
export { decodeRollupBuckets, encodeRollupBuckets } from './codec/rollup-codec';
export type { RollupColumns } from './codec/rollup-codec';
export { re2ToPostgres } from './series/re2-to-postgres';
export { SeriesIndex } from './series/series-index';
export type { SeriesIndexOptions } from './series/series-index';
export { SeriesLimitsService } from './series/series-limits.service';
export {
  MetricMetadataStore,
  type MetadataByMetric,
  type MetricMetadataEntry,
} from './series/metric-metadata';
export type { SeriesLimitsOptions } from './series/series-limits.service';
export { TsdbWriter } from './write/tsdb-writer.service';
export type { TsdbWriterOptions } from './write/tsdb-writer.service';
export type { LateWriteListener } from './write/late-writes';
export { PgSeriesReader, windowsOf } from './read/pg-series-reader';
export { releaseSamples } from './read/sample-pool';
// What PgSeriesReader.select does, in parts: for callers that batch the selects of many queries
// on one organization-scoped client (rule-group evaluation in libs/alerting).
export { findSeries, type FoundSeries } from './series/series.repository';
export { readSamples, type RawSamples, type SampleWindows } from './read/sample-store';
export type { PgSeriesReaderOptions } from './read/pg-series-reader';
export { Compactor } from './jobs/compactor.service';
export { LogFlusher } from './jobs/log-flusher';
export type { FlushResult, LogFlusherOptions } from './jobs/log-flusher';
export type { CompactionResult, CompactorOptions } from './jobs/compactor.service';
export { RollupService } from './jobs/rollup.service';
export { aggregateBuckets } from './jobs/rollup-math';
export type { BucketAggregate } from './jobs/rollup-math';
export type { RollupRunResult, RollupServiceOptions } from './jobs/rollup.service';
export { RetentionService } from './jobs/retention.service';
export type { RetentionResult, RetentionServiceOptions } from './jobs/retention.service';
export { PartitionManager } from './jobs/partition-manager.service';
export type { PartitionManagerOptions } from './jobs/partition-manager.service';
export { storageStats } from './storage-stats';
export type { StorageStats } from './storage-stats';
