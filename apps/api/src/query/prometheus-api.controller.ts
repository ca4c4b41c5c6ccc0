import { All, Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  PROMQL_ENGINE,
  PromQLError,
  QUERY_RESULTS_CACHE,
  QueryResultsCache,
  SERIES_READER,
  promSuccessBody,
  parseInstantQueryParams,
  parseMatchParams,
  parseRangeQueryParams,
  parseTimeParam,
  toPromErrorResponse,
  toPromSuccess,
  type PromQLEngine,
  type QueryTimings,
} from '@tocsin/promql';
import { Permission, RequirePermission, currentOrgId } from '@tocsin/tenancy';
import { MetricMetadataStore, type SeriesReader } from '@tocsin/tsdb';

type Params = Record<string, string | string[] | undefined>;

/** Prometheus' HTTP API reads parameters from the query string and, for POST, the form body. */
function paramsOf(req: Request): Params {
  const merged: Params = { ...(req.query as Params) };
  if (req.method === 'POST' && req.body && typeof req.body === 'object') {
    for (const [k, v] of Object.entries(req.body as Params)) merged[k] = v;
  }
  // `match[]` arrives as `match[]` (raw) or `match` (parsed by qs); accept both.
  if (merged['match[]'] === undefined && merged.match !== undefined) merged['match[]'] = merged.match;
  return merged;
}

function single(p: Params, name: string): string | undefined {
  const v = p[name];
  return Array.isArray(v) ? v[0] : v;
}

const MIN_MS = -9223372036854775808 / 1e6;
const MAX_MS = 9223372036854775807 / 1e6;

/**
 * The Prometheus HTTP query API, JSON identical in shape to Prometheus's, so Grafana's
 * Prometheus data source works against `<api>/` with an API key of `read` scope (as bearer
 * token or basic-auth password).
 */
@Controller('api/v1')
@RequirePermission(Permission.MetricsRead)
export class PrometheusApiController {
  constructor(
    @Inject(PROMQL_ENGINE) private readonly engine: PromQLEngine,
    @Inject(SERIES_READER) private readonly reader: SeriesReader,
    @Inject(QUERY_RESULTS_CACHE) private readonly cache: QueryResultsCache,
    private readonly metadataStore: MetricMetadataStore,
  ) {}

  private async answer(res: Response, work: () => Promise<unknown>): Promise<void> {
    try {
      res.json(toPromSuccess(await work()));
    } catch (err) {
      const { httpStatus, body } = toPromErrorResponse(err);
      res.status(httpStatus).json(body);
    }
  }

  @All('query')
  query(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(res, async () => {
      const p = parseInstantQueryParams(paramsOf(req), Date.now());
      return this.engine.instantQuery(currentOrgId(), p.query, p.timeMs, { signal: timeoutSignal(p.timeoutMs) });
    });
  }

  @All('query_range')
  async queryRange(@Req() req: Request, @Res() res: Response): Promise<void> {
    const started = performance.now();
    const timings: QueryTimings = { selectMs: 0, evalMs: 0, samples: 0 };
    let body: Buffer;
    try {
      const p = parseRangeQueryParams(paramsOf(req));
      const { result, stats } = await this.cache.rangeQueryRaw(currentOrgId(), p.query, p.startMs, p.endMs, p.stepMs, {
        signal: timeoutSignal(p.timeoutMs),
        noCache: noCache(req),
        timings,
      });
      res.setHeader('X-Tocsin-Cache', `${stats.status}; cached=${stats.cachedSteps}; evaluated=${stats.evaluatedSteps}`);
      const written = performance.now();
      body = promSuccessBody(result);
      res.setHeader('Server-Timing', serverTiming(timings, performance.now() - written, performance.now() - started));
    } catch (err) {
      const { httpStatus, body } = toPromErrorResponse(err);
      res.status(httpStatus).json(body);
      return;
    }
    // The bytes res.json would send, without its ETag: a hash of the whole body, which no
    // query_range client sends back (Prometheus sends none).
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(body);
  }

  @All('series')
  series(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(res, async () => {
      const p = paramsOf(req);
      const sets = parseMatchParams(p['match[]']);
      if (!sets.length) throw badData('no match[] parameter provided');
      const [start, end] = range(p);
      return this.reader.series(currentOrgId(), sets, start, end);
    });
  }

  @All('labels')
  labels(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(res, async () => {
      const p = paramsOf(req);
      const [start, end] = range(p);
      return this.reader.labelNames(currentOrgId(), parseMatchParams(p['match[]']), start, end);
    });
  }

  @Get('label/:name/values')
  labelValues(@Param('name') name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(res, async () => {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw badData(`invalid label name: "${name}"`);
      const p = paramsOf(req);
      const [start, end] = range(p);
      return this.reader.labelValues(currentOrgId(), name, parseMatchParams(p['match[]']), start, end);
    });
  }

  /**
   * TYPE, HELP and UNIT per metric name, as remote_write senders sent them (Prometheus sends its
   * targets' metadata every minute); `metric` and `limit` as Prometheus reads them.
   */
  @Get('metadata')
  metadata(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(res, async () => {
      const p = paramsOf(req);
      const limit = single(p, 'limit');
      if (limit !== undefined && limit !== '' && !/^-?\d+$/.test(limit)) throw badData('limit must be a number');
      const metric = single(p, 'metric');
      return this.metadataStore.list(currentOrgId(), {
        metric: metric === '' ? undefined : metric,
        limit: limit === undefined || limit === '' ? undefined : Number(limit),
      });
    });
  }

  @Get('status/buildinfo')
  buildinfo(@Res() res: Response): void {
    res.json(
      toPromSuccess({
        version: '2.42.0',
        revision: 'tocsin',
        branch: 'main',
        buildUser: 'tocsin',
        buildDate: '20261126-00:00:00',
        goVersion: 'tocsin',
      }),
    );
  }
}

function badData(message: string): PromQLError {
  return new PromQLError('bad_data', message);
}

function range(p: Params): [number, number] {
  const start = single(p, 'start');
  const end = single(p, 'end');
  return [start ? parseTimeParam(start, 'start') : MIN_MS, end ? parseTimeParam(end, 'end') : MAX_MS];
}

/** `Cache-Control: no-cache` (or no-store), as Mimir's frontend honours it: evaluate everything, store nothing. */
function noCache(req: Request): boolean {
  return /(^|,)\s*no-(cache|store)\s*(,|$)/i.test(req.headers['cache-control'] ?? '');
}

/**
 * A Server-Timing header (W3C; browsers' network panels show it, the bench reads it): tsdb's
 * reads, evaluation, writing the body, and the handler from entry to a written body. What a
 * client measures beyond `handler` is outside the handler: HTTP, Nest, auth and the network.
 */
function serverTiming(t: QueryTimings, bodyMs: number, handlerMs: number): string {
  const ms = (x: number) => x.toFixed(2);
  return `select;dur=${ms(t.selectMs)};desc="${t.samples} samples", eval;dur=${ms(t.evalMs)}, body;dur=${ms(bodyMs)}, handler;dur=${ms(handlerMs)}`;
}

function timeoutSignal(ms: number | undefined): AbortSignal | undefined {
  return ms && ms > 0 ? AbortSignal.timeout(ms) : undefined;
}
