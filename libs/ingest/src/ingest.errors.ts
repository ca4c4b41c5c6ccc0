/**
 * Stable error ids, Mimir-style, so an operator can grep for one and a client can switch on it.
 * Validation ids reject one series (or some of its samples); request ids reject the whole request.
 */
export const IngestErrorId = {
  // Per series / per sample.
  missingMetricName: 'missing-metric-name',
  invalidMetricName: 'invalid-metric-name',
  invalidLabelName: 'invalid-label-name',
  invalidLabelValue: 'invalid-label-value',
  duplicateLabelNames: 'duplicate-label-names',
  maxLabelNamesPerSeries: 'max-label-names-per-series',
  labelNameTooLong: 'label-name-too-long',
  labelValueTooLong: 'label-value-too-long',
  sampleTooFarInFuture: 'sample-too-far-in-future',
  sampleDuplicateTimestamp: 'sample-duplicate-timestamp',
  sampleOutOfBounds: 'sample-out-of-bounds',
  maxSeriesPerUser: 'max-series-per-user',
  maxSeriesPerMetric: 'max-series-per-metric',
  // Whole request.
  ingestionRateLimited: 'err-ingestion-rate-limited',
  malformedRequest: 'malformed-request',
  requestTooLarge: 'request-too-large',
  unsupportedMediaType: 'unsupported-media-type',
  storageUnavailable: 'storage-unavailable',
} as const;

export type IngestErrorId = (typeof IngestErrorId)[keyof typeof IngestErrorId];

/** A failure that rejects a whole request; `status` is the HTTP status it maps to. */
export class IngestError extends Error {
  constructor(
    readonly status: number,
    readonly id: IngestErrorId,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'IngestError';
  }
}

export function malformed(message: string): IngestError {
  return new IngestError(400, IngestErrorId.malformedRequest, message);
}
