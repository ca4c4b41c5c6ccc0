import type { Labels } from '@tocsin/tsdb';
import { DEFAULT_MAX_POINTS, type PromQLEngine, type QueryOptions, type QueryResult } from '../engine/engine';
import { compareLabels, labelsKey } from '../engine/labels';
import type { Expr } from '../parser/ast';
import { parsePromQLCached } from '../parser/parse-cache';
import { ByteLru } from './byte-lru';
import type { CacheGenerations } from './generations';

export interface ResultsCacheOptions {
  engine: PromQLEngine;
  generations: CacheGenerations;
  /** Total bytes of cached results in this process; 0 turns the cache off. */
  maxBytes: number;
  /** Bytes one organization's cached results may hold (a per-tenant limit). */
  maxBytesPerOrg: number;
  /** Steps newer than now − this are never stored (Mimir's max_cache_freshness). */
  freshnessMs: number;
  /** Results are stored per interval (Mimir's split_queries_by_interval). */
  splitIntervalMs: number;
  now?: () => number;
}

/** How a range query was answered, for the X-Tocsin-Cache header and tests. */
export interface CacheStats {
  status: 'hit' | 'partial' | 'miss' | 'bypass' | 'uncacheable';
  /** Steps served from the cache. */
  cachedSteps: number;
  /** Steps evaluated by the engine. */
  evaluatedSteps: number;
}

export interface CachedRangeOptions extends QueryOptions {
  /** Evaluate without reading or writing the cache (Cache-Control: no-cache). */
  noCache?: boolean;
}

interface CachedSeries {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
}

/** One interval's cached steps: the contiguous grid points `from`…`to` (both included). */
interface Extent {
  orgId: string;
  bytes: number;
  generation: string;
  from: number;
  to: number;
  series: CachedSeries[];
}

/** A contiguous run of the query's grid, answered from one extent or by one evaluation. */
interface Segment {
  from: number;
  to: number;
  cached?: Extent;
}

/**
 * Whether a query's answer at a step depends only on that step (and the data), so that the
 * answers of adjacent ranges concatenate to the answer of their union. `@ start()`/`@ end()`
 * depend on the range; a fixed `@` would be safe but is rare on dashboards; a subquery's inner
 * grid is aligned to absolute time, yet it is kept out rather than proven; a negative offset
 * reads samples after the step, which the freshness horizon does not cover.
 */
export function isSplittable(e: Expr): boolean {
  switch (e.type) {
    case 'VectorSelector':
      return !e.at && e.offsetMs >= 0;
    case 'MatrixSelector':
      return isSplittable(e.vector);
    case 'SubqueryExpr':
      return false;
    case 'Call':
      return e.args.every(isSplittable);
    case 'AggregateExpr':
      return isSplittable(e.expr) && (!e.param || isSplittable(e.param));
    case 'BinaryExpr':
      return isSplittable(e.lhs) && isSplittable(e.rhs);
    case 'UnaryExpr':
    case 'ParenExpr':
      return isSplittable(e.expr);
    case 'NumberLiteral':
    case 'StringLiteral':
      return true;
  }
}

/** The parsed query as text: spacing and formatting do not split the cache. */
function normalized(ast: Expr): string {
  return JSON.stringify(ast, (_k, v: unknown) =>
    typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? `#${String(Object.is(v, -0) ? '-0' : v)}` : v,
  );
}

const SERIES_OVERHEAD_BYTES = 96;
const EXTENT_OVERHEAD_BYTES = 256;

function seriesBytes(s: CachedSeries): number {
  let labels = 0;
  for (const [k, v] of Object.entries(s.labels)) labels += 2 * (k.length + v.length) + 32;
  return SERIES_OVERHEAD_BYTES + labels + 16 * s.ts.length;
}

/** Index of the first timestamp ≥ t. */
function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The points of `series` within [from, to]; series left without points are dropped. */
function slice(series: CachedSeries[], from: number, to: number): CachedSeries[] {
  const out: CachedSeries[] = [];
  for (const s of series) {
    const a = lowerBound(s.ts, from);
    const b = lowerBound(s.ts, to + 1);
    if (b > a)
      out.push(
        a === 0 && b === s.ts.length
          ? s
          : { labels: s.labels, ts: s.ts.subarray(a, b), vs: s.vs.subarray(a, b) },
      );
  }
  return out;
}

/** Series of `parts` (in time order, not overlapping) joined by label set. */
function concat(parts: CachedSeries[][]): CachedSeries[] {
  if (parts.length === 1) return parts[0];
  const byKey = new Map<string, { labels: Labels; ts: Float64Array[]; vs: Float64Array[]; n: number }>();
  for (const part of parts) {
    for (const s of part) {
      const key = labelsKey(s.labels);
      let acc = byKey.get(key);
      if (!acc) byKey.set(key, (acc = { labels: s.labels, ts: [], vs: [], n: 0 }));
      acc.ts.push(s.ts);
      acc.vs.push(s.vs);
      acc.n += s.ts.length;
    }
  }
  const join = (arrays: Float64Array[], n: number) => {
    if (arrays.length === 1) return arrays[0];
    const out = new Float64Array(n);
    let at = 0;
    for (const a of arrays) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  };
  return [...byKey.values()].map((a) => ({ labels: a.labels, ts: join(a.ts, a.n), vs: join(a.vs, a.n) }));
}

function fromResult(res: QueryResult): CachedSeries[] {
  // Range queries always answer a matrix (a scalar expression as one series without labels).
  if (res.resultType !== 'matrix') throw new Error(`range query answered ${res.resultType}`);
  return res.series.map((s) => ({
    labels: s.labels,
    ts: Float64Array.from(s.timestamps),
    vs: Float64Array.from(s.values),
  }));
}

/**
 * The query-frontend results cache of Cortex/Mimir/Thanos, in process: a range query's grid is
 * cut at interval boundaries (absolute time, so a dashboard's moving window reuses yesterday's
 * pieces), each interval's steps are kept as one extent, and only the steps no extent holds are
 * evaluated — for a dashboard refresh, the newest few minutes. Steps newer than now − freshness
 * are never stored (late samples mostly land there). Extents are stamped with the organization's
 * generation, which tsdb's writer bumps when a write lands behind that horizon and retention
 * bumps when it deletes, so a cached answer never outlives the data it was computed from.
 *
 * The concatenation of the pieces is the unsplit answer exactly, because a range query's steps
 * are evaluated independently (see isSplittable for the queries that are evaluated unsplit).
 * Errors are never stored, and a piece of a query is evaluated with the whole query's options.
 */
export class QueryResultsCache {
  private readonly lru: ByteLru<Extent>;
  private readonly now: () => number;
  /** Since start: requests by outcome, and steps served from the cache or evaluated. */
  readonly counters = {
    requests: { hit: 0, partial: 0, miss: 0, bypass: 0, uncacheable: 0 } as Record<CacheStats['status'], number>,
    cachedSteps: 0,
    evaluatedSteps: 0,
  };

  constructor(private readonly opts: ResultsCacheOptions) {
    this.lru = new ByteLru(opts.maxBytes, opts.maxBytesPerOrg);
    this.now = opts.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.opts.maxBytes > 0 && this.opts.maxBytesPerOrg > 0;
  }

  /** Bytes held, in total or by one organization. */
  bytes(orgId?: string): number {
    return orgId === undefined ? this.lru.bytes : this.lru.bytesOf(orgId);
  }

  async rangeQueryRaw(
    orgId: string,
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    options: CachedRangeOptions = {},
  ): Promise<{ result: QueryResult; stats: CacheStats }> {
    const out = await this.answer(orgId, query, startMs, endMs, stepMs, options);
    this.counters.requests[out.stats.status]++;
    this.counters.cachedSteps += out.stats.cachedSteps;
    this.counters.evaluatedSteps += out.stats.evaluatedSteps;
    return out;
  }

  private async answer(
    orgId: string,
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    options: CachedRangeOptions = {},
  ): Promise<{ result: QueryResult; stats: CacheStats }> {
    const { noCache, ...queryOpts } = options;
    const direct = async (status: CacheStats['status']) => {
      const result = await this.opts.engine.rangeQueryRaw(orgId, query, startMs, endMs, stepMs, queryOpts);
      const steps = endMs >= startMs && stepMs > 0 ? Math.floor((endMs - startMs) / stepMs) + 1 : 0;
      return { result, stats: { status, cachedSteps: 0, evaluatedSteps: steps } };
    };
    if (noCache || !this.enabled) return direct('bypass');
    // Anything the engine would refuse (bad step, too many points) it refuses unsplit.
    if (
      !(stepMs > 0) ||
      !(endMs >= startMs) ||
      (endMs - startMs) / stepMs > DEFAULT_MAX_POINTS ||
      !Number.isSafeInteger(startMs) ||
      !Number.isSafeInteger(endMs)
    )
      return direct('uncacheable');
    let ast: Expr;
    try {
      ast = parsePromQLCached(query);
    } catch {
      return direct('uncacheable');
    }
    if (!isSplittable(ast)) return direct('uncacheable');
    let generation: string | null;
    try {
      generation = await this.opts.generations.current(orgId);
    } catch {
      // Without the shared generation a cached answer cannot be trusted, nor stored.
      return direct('bypass');
    }
    // Backfilling: late writes are acknowledged without a bump of their own (generations.ts).
    if (generation === null) return direct('bypass');

    const cutoff = this.now() - this.opts.freshnessMs;
    const step = stepMs;
    const last = startMs + Math.floor((endMs - startMs) / step) * step;
    const phase = ((startMs % step) + step) % step;
    // An interval holds at least one step.
    const interval = this.opts.splitIntervalMs * Math.max(1, Math.ceil(step / this.opts.splitIntervalMs));
    const keyBase = `${orgId}\u0000${step}\u0000${phase}\u0000${normalized(ast)}\u0000`;
    /** The first grid point at or after t. */
    const gridAtOrAfter = (t: number) => phase + Math.ceil((t - phase) / step) * step;

    // The query's grid, interval by interval: cached runs and runs to evaluate, in time order.
    const segments: Segment[] = [];
    const push = (s: Segment) => {
      const prev = segments[segments.length - 1];
      if (prev && !prev.cached && !s.cached && prev.to + step === s.from) prev.to = s.to;
      else segments.push(s);
    };
    for (let b = Math.floor(startMs / interval); b * interval <= last; b++) {
      const sb = Math.max(startMs, gridAtOrAfter(b * interval));
      const eb = Math.min(last, gridAtOrAfter((b + 1) * interval) - step);
      if (sb > eb) continue;
      const key = keyBase + b;
      let ext = this.lru.get(key);
      if (ext && ext.generation !== generation) {
        this.lru.delete(key);
        ext = undefined;
      }
      if (!ext || ext.to < sb || ext.from > eb) {
        push({ from: sb, to: eb });
        continue;
      }
      const cs = Math.max(sb, ext.from);
      const ce = Math.min(eb, ext.to);
      if (sb < cs) push({ from: sb, to: cs - step });
      push({ from: cs, to: ce, cached: ext });
      if (ce < eb) push({ from: ce + step, to: eb });
    }

    const toEvaluate = segments.filter((s) => !s.cached);
    const evaluated = await Promise.all(
      toEvaluate.map(async (s) =>
        fromResult(await this.opts.engine.rangeQueryRaw(orgId, query, s.from, s.to, step, queryOpts)),
      ),
    );
    const answers = new Map(toEvaluate.map((s, i) => [s, evaluated[i]]));

    // Store what was evaluated, up to the freshness horizon, interval by interval.
    const storableEnd = Math.min(last, cutoff - ((((cutoff - phase) % step) + step) % step));
    toEvaluate.forEach((s, i) => {
      const to = Math.min(s.to, storableEnd);
      for (let b = Math.floor(s.from / interval); b * interval <= to; b++) {
        const from = Math.max(s.from, gridAtOrAfter(b * interval));
        const until = Math.min(to, gridAtOrAfter((b + 1) * interval) - step);
        if (from > until) continue;
        this.store(keyBase + b, orgId, generation, from, until, step, slice(evaluated[i], from, until));
      }
    });

    let cachedSteps = 0;
    let evaluatedSteps = 0;
    const parts = segments.map((s) => {
      const n = (s.to - s.from) / step + 1;
      if (s.cached) {
        cachedSteps += n;
        return slice(s.cached.series, s.from, s.to);
      }
      evaluatedSteps += n;
      return answers.get(s)!;
    });
    const series = concat(parts)
      .sort((a, b) => compareLabels(a.labels, b.labels))
      .map((s) => ({ labels: s.labels, timestamps: Array.from(s.ts), values: Array.from(s.vs) }));
    const status: CacheStats['status'] =
      evaluatedSteps === 0 ? 'hit' : cachedSteps === 0 ? 'miss' : 'partial';
    return { result: { resultType: 'matrix', series }, stats: { status, cachedSteps, evaluatedSteps } };
  }

  /** Adds steps from..to to an interval's extent when they touch it, else replaces it. */
  private store(
    key: string,
    orgId: string,
    generation: string,
    from: number,
    to: number,
    step: number,
    series: CachedSeries[],
  ): void {
    const old = this.lru.get(key);
    let ext: Extent;
    if (old && old.generation === generation && old.from <= to + step && old.to >= from - step) {
      // The old extent's steps win where both have them (another request stored them first).
      const parts: CachedSeries[][] = [];
      if (from < old.from) parts.push(slice(series, from, old.from - step));
      parts.push(old.series);
      if (to > old.to) parts.push(slice(series, old.to + step, to));
      ext = {
        orgId,
        generation,
        bytes: 0,
        from: Math.min(from, old.from),
        to: Math.max(to, old.to),
        series: concat(parts),
      };
    } else {
      ext = { orgId, generation, bytes: 0, from, to, series };
    }
    ext.bytes = EXTENT_OVERHEAD_BYTES + ext.series.reduce((n, s) => n + seriesBytes(s), 0);
    // Too big to keep (an old extent, if any, stays as it was).
    if (ext.bytes > this.opts.maxBytesPerOrg || ext.bytes > this.opts.maxBytes) return;
    // Own copies: a view into a whole evaluated range would keep all of it alive, uncounted.
    ext.series = ext.series.map((s) =>
      s.ts.byteLength === s.ts.buffer.byteLength ? s : { labels: s.labels, ts: s.ts.slice(), vs: s.vs.slice() },
    );
    this.lru.set(key, ext);
  }
}
