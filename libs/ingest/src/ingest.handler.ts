import { gunzipSync } from 'node:zlib';
import { decodeInfluxLines, parseInfluxPrecision } from './codecs/influx-line.codec';
import { decodeJsonPush, decodeJsonPushDocument } from './codecs/json-push.codec';
import { decodeWriteRequest } from './codecs/remote-write.codec';
import { IngestError, IngestErrorId, malformed } from './ingest.errors';
import type {
  IngestLimits,
  MetadataSink,
  RawBatch,
  RejectedSeries,
  SampleSink,
} from './ingest.types';
import type { IngestionRateLimiter } from './limits/ingestion-rate.limiter';
import { applySeriesLimits, type SeriesLimiter } from './limits/series-limits';
import { validateBatch, validMetadata } from './validation/series-validator';

export type IngestKind = 'remote_write' | 'json' | 'influx';

export interface IngestRequest {
  body: Buffer;
  contentType?: string;
  contentEncoding?: string;
  query?: Record<string, unknown>;
  /**
   * For `json`: the document when a framework's JSON body parser already read the body (then
   * `body` is ignored and may be empty).
   */
  parsedJson?: unknown;
}

export interface IngestContext {
  orgId: string;
  limits: IngestLimits;
}

export interface IngestResponse {
  status: number;
  /** JSON-serialisable; absent for 204. */
  body?: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface IngestDeps {
  sink: SampleSink;
  /** Absent: remote_write's metadata is decoded and dropped. */
  metadata?: MetadataSink;
  /** Absent: no rate limiting (tests, single-tenant setups). */
  rateLimiter?: IngestionRateLimiter;
  /** Absent: series limits are left to the sink. */
  seriesLimiter?: SeriesLimiter;
  now?: () => number;
  /**
   * Server-wide ceilings over the organization's `limits.maxBodyBytes` / `maxDecompressedBytes`
   * (bytes). Default: none beyond the organization's.
   */
  maxBodyBytes?: number;
  maxDecompressedBytes?: number;
  /**
   * When the rate limiter itself fails (Redis down): let the request through (default) rather
   * than turn a Redis outage into an ingest outage.
   */
  rateLimiterFailOpen?: boolean;
  onLimiterError?: (err: unknown) => void;
}

/** Rejected series listed in one response at most; the total is always given. */
const MAX_REPORTED = 50;

export type IngestFn = (
  kind: IngestKind,
  req: IngestRequest,
  ctx: IngestContext,
) => Promise<IngestResponse>;

/**
 * The framework-free ingest path: check the envelope, decode, validate, rate-limit, apply
 * series limits, write through the sink, and answer only once the sink has committed.
 */
export function createIngestHandler(deps: IngestDeps): IngestFn {
  const now = deps.now ?? Date.now;
  const serverMaxBody = deps.maxBodyBytes ?? Infinity;
  const serverMaxDecompressed = deps.maxDecompressedBytes ?? Infinity;
  const failOpen = deps.rateLimiterFailOpen ?? true;

  return async (kind, req, ctx) => {
    try {
      // Per organization (`organizations.ingest_max_*`), never above the server's.
      const maxBody = Math.min(serverMaxBody, ctx.limits.maxBodyBytes);
      const maxDecompressed = Math.min(serverMaxDecompressed, ctx.limits.maxDecompressedBytes);
      if (req.parsedJson === undefined && req.body.length > maxBody) {
        throw new IngestError(
          413,
          IngestErrorId.requestTooLarge,
          `body of ${req.body.length} bytes is larger than the limit of ${maxBody}`,
        );
      }
      const nowMs = now();
      const raw = decode(kind, req, nowMs, maxDecompressed);
      const validated = validateBatch(raw, ctx.limits, nowMs);
      let batch = validated.batch;
      const rejected: RejectedSeries[] = validated.rejected;
      let rejectedSamples = validated.rejectedSamples;

      if (batch.sampleCount > 0 && deps.rateLimiter) {
        let decision;
        try {
          decision = await deps.rateLimiter.take(ctx.orgId, batch.sampleCount, ctx.limits);
        } catch (err) {
          deps.onLimiterError?.(err);
          if (!failOpen)
            throw new IngestError(
              503,
              IngestErrorId.storageUnavailable,
              'rate limiter unavailable',
            );
        }
        if (decision && !decision.allowed) {
          const { ingestionRate: rate, ingestionBurst: burst } = ctx.limits;
          const message =
            decision.retryAfterMs < 0
              ? `request of ${batch.sampleCount} samples is larger than the ingestion burst size of ${burst}; send smaller batches`
              : `ingestion rate limit (${rate} samples/s, burst ${burst}) exceeded; request of ${batch.sampleCount} samples refused`;
          const retry: Record<string, string> =
            decision.retryAfterMs < 0
              ? {}
              : { 'retry-after': String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) };
          throw new IngestError(429, IngestErrorId.ingestionRateLimited, message, retry);
        }
      }

      const columns = batch.columns;
      if ((columns ? columns.count : batch.series.length) > 0 && deps.seriesLimiter) {
        const usage = await deps.seriesLimiter.usage(
          ctx.orgId,
          columns ? columns.labels : batch.series.map((s) => s.labels),
          ctx.limits,
          columns ? columns.memos : batch.series.map((s) => s.memo),
        );
        const limited = applySeriesLimits(batch, usage, ctx.limits);
        batch = limited.batch;
        rejected.push(...limited.rejected);
        rejectedSamples += limited.rejectedSamples;
      }

      let samplesWritten = 0;
      if (batch.sampleCount > 0) {
        let outcome;
        try {
          outcome = await deps.sink.write(ctx.orgId, batch);
        } catch (err) {
          if (err instanceof IngestError) throw err;
          throw new IngestError(
            503,
            IngestErrorId.storageUnavailable,
            `samples could not be stored: ${(err as Error).message}`,
          );
        }
        samplesWritten = outcome.samplesWritten;
        for (const r of outcome.rejected ?? []) {
          rejected.push(r);
          rejectedSamples += r.samples;
        }
      }

      const metadata =
        raw.metadata && deps.metadata ? validMetadata(raw.metadata, raw.warnings) : [];
      if (metadata.length > 0) {
        try {
          await deps.metadata!.write(ctx.orgId, metadata, ctx.limits);
        } catch (err) {
          throw new IngestError(
            503,
            IngestErrorId.storageUnavailable,
            `metadata could not be stored: ${(err as Error).message}`,
          );
        }
      }

      if (rejected.length > 0) {
        return {
          status: 400,
          headers: {},
          body: {
            status: 'error',
            errorType: 'bad_data',
            id: rejected[0].id,
            error: `${rejected[0].id}: ${rejected[0].message}${rejected[0].labels ? ` (series ${describe(rejected[0].labels)})` : ''}`,
            samplesWritten,
            rejectedSamples,
            rejectedSeries: rejected.length,
            rejected: rejected.slice(0, MAX_REPORTED),
            warnings: raw.warnings,
          },
        };
      }
      if (kind === 'json' || raw.warnings.length > 0) {
        return {
          status: 200,
          headers: {},
          body: {
            status: 'success',
            samplesWritten,
            seriesWritten: batch.series.length,
            warnings: raw.warnings,
          },
        };
      }
      return { status: 204, headers: {} };
    } catch (err) {
      if (err instanceof IngestError) {
        return {
          status: err.status,
          headers: err.headers,
          body: {
            status: 'error',
            errorType: errorType(err.status),
            id: err.id,
            error: err.message,
          },
        };
      }
      throw err;
    }
  };
}

function errorType(status: number): string {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'bad_data';
}

function describe(labels: Record<string, string>): string {
  const name = labels.__name__ ?? '';
  const rest = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  const text = `${name}{${rest.join(', ')}}`;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0].trim().toLowerCase() || undefined;
}

function unsupported(message: string): IngestError {
  return new IngestError(415, IngestErrorId.unsupportedMediaType, message);
}

/** gzip or identity bodies, for the text formats (Telegraf gzips by default). */
function plainBody(req: IngestRequest, maxDecompressed: number): Buffer {
  const encoding = req.contentEncoding?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return req.body;
  if (encoding !== 'gzip')
    throw unsupported(
      `Content-Encoding "${req.contentEncoding}" is not supported (use gzip or none)`,
    );
  try {
    return gunzipSync(req.body, { maxOutputLength: maxDecompressed });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new IngestError(
        413,
        IngestErrorId.requestTooLarge,
        `decompressed body is larger than the limit of ${maxDecompressed} bytes`,
      );
    }
    throw malformed(`gzip: ${(err as Error).message}`);
  }
}

function queryString(query: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = query?.[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function decode(
  kind: IngestKind,
  req: IngestRequest,
  nowMs: number,
  maxDecompressed: number,
): RawBatch {
  const type = mediaType(req.contentType);
  switch (kind) {
    case 'remote_write': {
      if (type && type !== 'application/x-protobuf') {
        throw unsupported(
          `remote_write expects Content-Type application/x-protobuf, got "${req.contentType}"`,
        );
      }
      if (req.contentType && /proto\s*=\s*io\.prometheus\.write\.v2/i.test(req.contentType)) {
        throw unsupported(
          'remote_write 2.0 is not supported; send prometheus.WriteRequest (remote_write 1.0)',
        );
      }
      const encoding = req.contentEncoding?.trim().toLowerCase();
      if (encoding && encoding !== 'snappy') {
        throw unsupported(
          `remote_write expects Content-Encoding snappy, got "${req.contentEncoding}"`,
        );
      }
      return decodeWriteRequest(req.body, maxDecompressed);
    }
    case 'json':
      if (type && type !== 'application/json') {
        throw unsupported(`push expects Content-Type application/json, got "${req.contentType}"`);
      }
      if (req.parsedJson !== undefined) return decodeJsonPushDocument(req.parsedJson);
      return decodeJsonPush(plainBody(req, maxDecompressed));
    case 'influx': {
      if (type && type !== 'text/plain' && type !== 'application/octet-stream') {
        throw unsupported(
          `line protocol expects Content-Type text/plain, got "${req.contentType}"`,
        );
      }
      const precision = parseInfluxPrecision(queryString(req.query, 'precision'));
      return decodeInfluxLines(plainBody(req, maxDecompressed), precision, nowMs);
    }
  }
}
