export { IngestError, IngestErrorId } from './ingest.errors';
export type {
  DecodedBatch,
  IngestLimits,
  MetadataSink,
  MetricMetadata,
  RawBatch,
  RawSeries,
  RejectedSeries,
  SampleSink,
  WriteOutcome,
} from './ingest.types';
export { DEFAULT_INGEST_LIMITS, limitsFromOrganization } from './ingest.types';
export {
  decodeWriteRequest,
  decodeWriteRequestProto,
  encodeWriteRequest,
  encodeWriteRequestProto,
  type EncodableSeries,
} from './codecs/remote-write.codec';
export { snappyCompress, snappyUncompress } from './codecs/snappy-block';
export { decodeJsonPush, decodeJsonPushDocument } from './codecs/json-push.codec';
export {
  decodeInfluxLines,
  influxTimestampToMs,
  parseInfluxPrecision,
  sanitizeLabelName,
  sanitizeMetricName,
  type InfluxPrecision,
} from './codecs/influx-line.codec';
export {
  labelsFromPairs,
  validateBatch,
  type ValidationResult,
} from './validation/series-validator';
export {
  RedisIngestionRateLimiter,
  type IngestionRateLimiter,
  type RateDecision,
} from './limits/ingestion-rate.limiter';
export { LeasedIngestionRateLimiter } from './limits/leased-rate.limiter';
export {
  applySeriesLimits,
  type SeriesLimiter,
  type SeriesLimitResult,
  type SeriesUsage,
} from './limits/series-limits';
export {
  createIngestHandler,
  type IngestContext,
  type IngestDeps,
  type IngestFn,
  type IngestKind,
  type IngestRequest,
  type IngestResponse,
} from './ingest.handler';
export {
  sampleSinkFromTsdb,
  seriesLimiterFromTsdb,
  type TsdbSeriesLimitsLike,
  type TsdbWriterLike,
} from './tsdb-adapters';
export { IngestUsage, withUsageCounting } from './usage/ingest-usage';
export { UsageResolver } from './usage/usage.resolver';
