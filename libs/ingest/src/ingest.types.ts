import type { Labels, SampleSeries, SeriesColumns, SeriesMemo } from '@tocsin/tsdb';
import type { IngestErrorId } from './ingest.errors';

/**
 * A slot a decoder may attach to series whose label bytes it has seen before (the same object
 * each time), where validation keeps its verdict on those labels.
 */
export interface LabelMemo {
  validated?: unknown;
}

/**
 * One series as a decoder produced it, before validation: label pairs in wire order (duplicates
 * and empty values still present, so validation can see them), samples in wire order.
 * Values sit in a Float64Array so Prometheus' staleness NaN keeps its payload.
 */
export interface RawSeries {
  labelNames: string[];
  labelValues: string[];
  timestamps: Float64Array;
  values: Float64Array;
  /**
   * Optional order-independent hash of the non-empty label pairs, from a decoder that gets it
   * cheaply; validation uses it to find equal label sets without building string keys.
   */
  labelHash?: number;
  /** Present when the decoder recognised these labels; the label arrays are then shared (read-only). */
  memo?: LabelMemo;
  /** A problem the decoder found in this series alone (e.g. invalid UTF-8); it is rejected. */
  error?: { id: IngestErrorId; message: string };
}

/** What a decoder hands to validation. */
/**
 * A metric family's metadata as remote_write 1.0 carries it: Prometheus sends its targets'
 * TYPE, HELP and UNIT in requests of their own, every minute by default.
 */
export interface MetricMetadata {
  metric: string;
  /** Prometheus' word for it: counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown. */
  type: string;
  help: string;
  unit: string;
}

export interface RawBatch {
  series: RawSeries[];
  /** remote_write's metadata entries, as sent (validated by the handler). */
  metadata?: MetricMetadata[];
  /** Non-fatal notes from decoding (skipped Influx string fields, ignored native histograms). */
  warnings: string[];
  /**
   * The same series as positions in request-wide arrays, from a decoder that has them (then
   * `series` is built from these only when read): what lets a request of known series reach
   * the store without an object per series.
   */
  columns?: RawColumns;
}

/** {@link RawBatch}'s series by position: series `s` owns samples `first[s] <= k < first[s + 1]`. */
export interface RawColumns {
  count: number;
  first: Uint32Array;
  timestamps: Float64Array;
  values: Float64Array;
  labelNames: string[][];
  labelValues: string[][];
  /** {@link RawSeries.labelHash} per series. */
  labelHashes: Int32Array;
  /** {@link RawSeries.memo} per series. */
  memos: (LabelMemo | undefined)[];
  /** Whether any series has an {@link RawSeries.error}. */
  anyError: boolean;
}

/**
 * A validated batch, what a {@link SampleSink} receives. Guarantees:
 * - every series appears once (series with equal label sets in one request are merged);
 * - `labels` is a plain object with valid names, no empty values, keys in ascending name order,
 *   `__name__` present;
 * - timestamps (integer ms) ascend strictly within a series (sorted, duplicates removed);
 * - `values[i]` may be an ordinary NaN or the staleness marker (test with `isStaleNaNAt`).
 */
export interface DecodedBatch {
  series: IngestSeries[];
  sampleCount: number;
  /**
   * The same series by position in request-wide arrays, when validation could keep them that
   * way (then `series` is built from these only when read).
   */
  columns?: SeriesColumns;
}

/**
 * A validated series; `memo` is present when the decoder recognised its label bytes, and lets
 * the store remember its canonical labels and series id with them (`SeriesMemo` in tsdb).
 */
export interface IngestSeries extends SampleSeries {
  memo?: SeriesMemo;
}

/** What the sink reports back; the ingest response is sent only after `write` resolves. */
export interface WriteOutcome {
  samplesWritten: number;
  /**
   * Samples the store refused (e.g. older than it accepts), reported to the client; `labels`
   * may be left out when the store only counts them.
   */
  rejected?: RejectedSeries[];
}

/**
 * The write path ingest goes through; implemented over `tsdb`'s writer. `write` must resolve only
 * once the samples are committed, and reject when they could not be (the request then fails
 * with 503 so the client retries).
 */
export interface SampleSink {
  write(orgId: string, batch: DecodedBatch): Promise<WriteOutcome>;
}

/**
 * Where remote_write's metric metadata goes; `write` resolves once it is stored (a failure fails
 * the request with 503, as a sample write's does). Only valid entries reach it.
 */
export interface MetadataSink {
  write(orgId: string, entries: MetricMetadata[], limits: IngestLimits): Promise<void>;
}

/** A series (or some of its samples) turned away, with the reason. */
export interface RejectedSeries {
  id: IngestErrorId;
  message: string;
  /** The series' labels as received; absent when the store reports only a count. */
  labels?: Labels;
  /** Samples of this series that were dropped. */
  samples: number;
}

/** Per-organization limits; `organizations` columns plus Mimir's validation defaults. */
export interface IngestLimits {
  /** Samples per second, sustained. */
  ingestionRate: number;
  /** Samples a single burst may carry (bucket size). */
  ingestionBurst: number;
  maxActiveSeries: number;
  maxSeriesPerMetric: number | null;
  maxLabelNamesPerSeries: number;
  maxLabelNameLength: number;
  maxLabelValueLength: number;
  /** How far ahead of the server clock a sample may be, in ms. */
  creationGracePeriodMs: number;
  /** Largest request body as sent (compressed), bytes. */
  maxBodyBytes: number;
  /** Largest request body after decompression, bytes. */
  maxDecompressedBytes: number;
}

/** Mimir's defaults, the same as the `organizations` column defaults. */
export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  ingestionRate: 10_000,
  ingestionBurst: 200_000,
  maxActiveSeries: 150_000,
  maxSeriesPerMetric: null,
  maxLabelNamesPerSeries: 30,
  maxLabelNameLength: 1024,
  maxLabelValueLength: 2048,
  creationGracePeriodMs: 10 * 60 * 1000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxDecompressedBytes: 64 * 1024 * 1024,
};

/**
 * Builds limits from an `organizations` row (Prisma model fields), defaults for the rest. The body
 * limits are the server's (`server`, from INGEST_MAX_BODY_BYTES / INGEST_MAX_DECOMPRESSED_BYTES)
 * unless the organization has lower ones of its own.
 */
export function limitsFromOrganization(
  org: {
    ingestionRate: number;
    ingestionBurst: number;
    maxActiveSeries: number;
    maxSeriesPerMetric: number | null;
    ingestMaxBodyBytes?: number | null;
    ingestMaxDecompressedBytes?: number | null;
  },
  server: { maxBodyBytes: number; maxDecompressedBytes: number } = DEFAULT_INGEST_LIMITS,
): IngestLimits {
  return {
    ...DEFAULT_INGEST_LIMITS,
    ingestionRate: org.ingestionRate,
    ingestionBurst: org.ingestionBurst,
    maxActiveSeries: org.maxActiveSeries,
    maxSeriesPerMetric: org.maxSeriesPerMetric,
    maxBodyBytes: Math.min(server.maxBodyBytes, org.ingestMaxBodyBytes ?? Infinity),
    maxDecompressedBytes: Math.min(
      server.maxDecompressedBytes,
      org.ingestMaxDecompressedBytes ?? Infinity,
    ),
  };
}
