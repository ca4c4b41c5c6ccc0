import {
  releaseSamples,
  type Labels,
  type RollupSeries,
  type SampleSeries,
  type SelectHints,
  type SeriesReader,
} from '@tocsin/tsdb';
import { PromQLError, TIMEOUT_MESSAGE } from '../errors';
import type { Expr, VectorSelector } from '../parser/ast';
import { parsePromQLCached } from '../parser/parse-cache';
import { typeOf, typeName } from '../parser/parser';
import { endsSamples, Evaluator } from './evaluator';
import { END_FUNCTIONS } from './range-functions';
import { sortByLabels } from './labels';
import { formatSampleValue, formatTimestamp } from './format';
import {
  ROLLUP_RESOLUTION_MS,
  rollupEligible,
  rollupsExactFor,
  type RolledSelector,
} from './rollup-functions';
import type { EvalValue, StepRange } from './types';
import { stepRange, stepTime } from './types';

export interface EngineOptions {
  reader: SeriesReader;
  /** How far back an instant selector looks for a sample (Prometheus: 5m). */
  lookbackDeltaMs?: number;
  /** Samples a query may hold in memory (Prometheus: 50,000,000). */
  maxSamples?: number;
  /** Wall-clock budget of one query, fetching included (Prometheus: 2m). */
  timeoutMs?: number;
  /** Step of subqueries written without one, e.g. `x[1h:]` (Prometheus: evaluation_interval, 1m). */
  defaultSubqueryStepMs?: number;
  /** Longest range query, in steps (Prometheus: 11,000). */
  maxPoints?: number;
  /**
   * The organization's own timeout and max samples, where it has them (its `organizations`
   * row); the options above otherwise. A value rather than a promise when it is at hand.
   */
  limitsFor?: (orgId: string) => QueryLimits | Promise<QueryLimits>;
}

/** Per-organization query limits (Prometheus' --query.timeout and --query.max-samples). */
export interface QueryLimits {
  timeoutMs: number;
  maxSamples: number;
}

export interface QueryOptions {
  signal?: AbortSignal;
  /**
   * Filled in as the query runs, for the query API's Server-Timing header: where a request's
   * time went, measured in the process that answered it rather than guessed from outside.
   * Added to, so one object can collect several evaluations (a partly cached range).
   */
  timings?: QueryTimings;
}

/** Milliseconds in tsdb's reads (selectors fetched concurrently: their wall time) and evaluation. */
export interface QueryTimings {
  selectMs: number;
  evalMs: number;
  /** Raw samples the selects returned. */
  samples: number;
}

/** Numbers-first results, for in-process callers such as rule evaluation. */
export type QueryResult =
  | { resultType: 'scalar'; timestampMs: number; value: number }
  | { resultType: 'string'; timestampMs: number; value: string }
  | { resultType: 'vector'; samples: { labels: Labels; timestampMs: number; value: number }[] }
  | { resultType: 'matrix'; series: { labels: Labels; timestamps: number[]; values: number[] }[] };

/** The `data` member of Prometheus' /api/v1/query and /api/v1/query_range responses. */
export type PromQueryData =
  | { resultType: 'scalar' | 'string'; result: [number, string] }
  | { resultType: 'vector'; result: { metric: Labels; value: [number, string] }[] }
  | { resultType: 'matrix'; result: { metric: Labels; values: [number, string][] }[] };

export interface PromQLEngine {
  instantQuery(
    orgId: string,
    expr: string,
    timeMs: number,
    opts?: QueryOptions,
  ): Promise<PromQueryData>;
  rangeQuery(
    orgId: string,
    expr: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts?: QueryOptions,
  ): Promise<PromQueryData>;
  instantQueryRaw(
    orgId: string,
    expr: string,
    timeMs: number,
    opts?: QueryOptions,
  ): Promise<QueryResult>;
  rangeQueryRaw(
    orgId: string,
    expr: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts?: QueryOptions,
  ): Promise<QueryResult>;
}

export const DEFAULT_LOOKBACK_DELTA_MS = 5 * 60_000;
export const DEFAULT_MAX_SAMPLES = 50_000_000;
export const DEFAULT_TIMEOUT_MS = 2 * 60_000;
export const DEFAULT_SUBQUERY_STEP_MS = 60_000;
export const DEFAULT_MAX_POINTS = 11_000;

interface SelectorRequest {
  node: VectorSelector;
  hints: SelectHints;
  /** The windows qualify for 1h rollups (see rollup-functions.ts); the reader may still say no. */
  rollup?: { func: string };
}

/** What a query reads: raw samples per selector, and rollups for those answered from them. */
export interface FetchedData {
  raw: Map<VectorSelector, SampleSeries[]>;
  rollups: Map<VectorSelector, RolledSelector>;
}

/**
 * Creates a PromQL engine over a SeriesReader. A query first walks the AST for every selector
 * and the time range it needs, fetches them all concurrently, then evaluates synchronously.
 */
export function createEngine(options: EngineOptions): PromQLEngine {
  const lookbackMs = options.lookbackDeltaMs ?? DEFAULT_LOOKBACK_DELTA_MS;
  const maxSamples = options.maxSamples ?? DEFAULT_MAX_SAMPLES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const subqueryStepMs = options.defaultSubqueryStepMs ?? DEFAULT_SUBQUERY_STEP_MS;
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;

  async function run(
    orgId: string,
    expr: string,
    r: StepRange,
    instant: boolean,
    opts: QueryOptions | undefined,
  ): Promise<QueryResult> {
    let own = options.limitsFor?.(orgId);
    if (own instanceof Promise) own = await own;
    const deadline = Date.now() + (own?.timeoutMs ?? timeoutMs);
    const ast = parsePromQLCached(expr);
    const type = typeOf(ast);
    if (!instant && type !== 'scalar' && type !== 'vector') {
      throw new PromQLError(
        'bad_data',
        `invalid expression type "${typeName(type)}" for range query, must be Scalar or instant Vector`,
      );
    }
    const requests = collectSelectors(ast, r, { lookbackMs, subqueryStepMs });
    const fetched = performance.now();
    const data = await fetchAll(options.reader, orgId, requests, deadline, opts?.signal);
    const evaluated = performance.now();
    const timings = opts?.timings;
    if (timings) {
      timings.selectMs += evaluated - fetched;
      for (const series of data.raw.values())
        for (const s of series)
          timings.samples += s.timestamps.length + (s.ends ? endsSamples(s.ends) : 0);
    }
    try {
      const ev = new Evaluator(data.raw, {
        lookbackMs,
        subqueryStepMs,
        maxSamples: own?.maxSamples ?? maxSamples,
        deadline,
        signal: opts?.signal,
        queryStart: r.start,
        queryEnd: r.end,
        rollups: data.rollups,
      });
      const result = shape(ev.eval(ast, r), r, instant);
      if (timings) timings.evalMs += performance.now() - evaluated;
      return result;
    } finally {
      // The answer holds copies only (step values, slices of windows), so the samples read
      // go back to tsdb's pool for the next query.
      for (const series of data.raw.values()) releaseSamples(series);
    }
  }

  function rangeGrid(startMs: number, endMs: number, stepMs: number): StepRange {
    if (!(stepMs > 0)) {
      throw new PromQLError(
        'bad_data',
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    }
    if (endMs < startMs)
      throw new PromQLError('bad_data', 'end timestamp must not be before start time');
    if ((endMs - startMs) / stepMs > maxPoints) {
      throw new PromQLError(
        'bad_data',
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      );
    }
    return stepRange(startMs, endMs, stepMs);
  }

  return {
    instantQueryRaw: (orgId, expr, timeMs, opts) =>
      run(orgId, expr, stepRange(timeMs, timeMs, 1), true, opts),
    rangeQueryRaw: async (orgId, expr, startMs, endMs, stepMs, opts) =>
      run(orgId, expr, rangeGrid(startMs, endMs, stepMs), false, opts),
    instantQuery: async (orgId, expr, timeMs, opts) =>
      toPromData(await run(orgId, expr, stepRange(timeMs, timeMs, 1), true, opts)),
    rangeQuery: async (orgId, expr, startMs, endMs, stepMs, opts) =>
      toPromData(await run(orgId, expr, rangeGrid(startMs, endMs, stepMs), false, opts)),
  };
}

/** A rollup series cut to its buckets before `until`. */
function before(s: RollupSeries, until: number): RollupSeries {
  let n = 0;
  while (n < s.buckets.length && s.buckets[n] < until) n++;
  if (n === s.buckets.length) return s;
  const cut = (a: Float64Array) => a.subarray(0, n);
  return {
    labels: s.labels,
    buckets: cut(s.buckets),
    count: cut(s.count),
    sum: cut(s.sum),
    sumSquares: cut(s.sumSquares),
    min: cut(s.min),
    max: cut(s.max),
    firstTs: cut(s.firstTs),
    firstValue: cut(s.firstValue),
    lastTs: cut(s.lastTs),
    lastValue: cut(s.lastValue),
    resets: cut(s.resets),
    changes: cut(s.changes),
    counterCorrection: cut(s.counterCorrection),
  };
}

/**
 * Every selector with the time range it will read: offsets, @, ranges, subquery ranges and the
 * lookback delta included. Hints carry func/range/step so a reader may serve rollups.
 */
export function collectSelectors(
  ast: Expr,
  r: StepRange,
  cfg: { lookbackMs: number; subqueryStepMs: number },
): SelectorRequest[] {
  const out: SelectorRequest[] = [];
  const atOf = (at: VectorSelector['at'], start: number, end: number): [number, number] => {
    if (!at) return [start, end];
    const t = at.kind === 'time' ? at.ms : at.kind === 'start' ? r.start : r.end;
    return [t, t];
  };
  const walk = (e: Expr, start: number, end: number, step: number, func?: string): void => {
    switch (e.type) {
      case 'VectorSelector': {
        const [s, t] = atOf(e.at, start, end);
        out.push({
          node: e,
          hints: {
            start: s - e.offsetMs - cfg.lookbackMs,
            end: t - e.offsetMs,
            step,
            func,
            lookback: cfg.lookbackMs,
          },
        });
        return;
      }
      case 'MatrixSelector': {
        const vs = e.vector;
        const [s, t] = atOf(vs.at, start, end);
        const steps = vs.at ? 1 : Math.floor((t - s) / step) + 1;
        out.push({
          node: vs,
          hints: {
            start: s - vs.offsetMs - e.rangeMs,
            end: t - vs.offsetMs,
            step,
            func,
            range: e.rangeMs,
            // Functions that need only a window's ends (rate …) may get its ends, not samples.
            ends: endsOf(func),
          },
          rollup:
            func && rollupEligible(func, e.rangeMs, s - vs.offsetMs, step, steps)
              ? { func }
              : undefined,
        });
        return;
      }
      case 'SubqueryExpr': {
        const [s, t] = atOf(e.at, start, end);
        const sqStep = e.stepMs || cfg.subqueryStepMs;
        const raw = s - e.offsetMs - e.rangeMs;
        let innerStart = sqStep * Math.trunc(raw / sqStep);
        if (innerStart < raw) innerStart += sqStep;
        walk(e.expr, innerStart, t - e.offsetMs, sqStep);
        return;
      }
      case 'Call':
        for (const a of e.args) walk(a, start, end, step, e.func);
        return;
      case 'AggregateExpr':
        if (e.param) walk(e.param, start, end, step);
        walk(e.expr, start, end, step);
        return;
      case 'BinaryExpr':
        walk(e.lhs, start, end, step);
        walk(e.rhs, start, end, step);
        return;
      case 'UnaryExpr':
      case 'ParenExpr':
        walk(e.expr, start, end, step, func);
        return;
      default:
        return;
    }
  };
  walk(ast, r.start, r.end, r.step);
  return out;
}

/** What a range selector's windows may be read as for `func` (see END_FUNCTIONS). */
function endsOf(func: string | undefined): SelectHints['ends'] {
  const f = func === undefined ? undefined : END_FUNCTIONS.get(func);
  return f && (f.rising ? 'rising' : 'any');
}

async function fetchAll(
  reader: SeriesReader,
  orgId: string,
  requests: SelectorRequest[],
  deadline: number,
  signal?: AbortSignal,
): Promise<FetchedData> {
  // Identical selectors over identical ranges are read once.
  const shared = new Map<string, Promise<SampleSeries[]>>();
  const raw = (node: VectorSelector, hints: SelectHints) => {
    const key = JSON.stringify([node.matchers, hints]);
    let p = shared.get(key);
    if (!p) {
      p = reader.select(orgId, node.matchers, hints);
      shared.set(key, p);
    }
    return p;
  };
  const rollups = new Map<VectorSelector, RolledSelector>();
  const fetches = requests.map(async ({ node, hints, rollup }) => {
    if (rollup && reader.selectRollup) {
      const h = ROLLUP_RESOLUTION_MS;
      const range = hints.range ?? 0;
      const step = hints.step || 1;
      const firstRef = hints.start + range;
      const lastRef = hints.end - ((hints.end - firstRef) % step);
      // Buckets from the first window's start through the bucket at the last window's end
      // (its first sample may sit exactly on the end).
      const res = await reader.selectRollup(orgId, node.matchers, '1h', hints.start, lastRef + h);
      // Windows reaching a bucket still waiting to be rolled (a dashboard ending now always
      // has one) are read from raw samples; so is everything when the buckets cannot reproduce
      // the function exactly.
      const until = res.dirtyFrom === null ? Infinity : res.dirtyFrom - (res.dirtyFrom % h);
      const clean = until === Infinity ? res.series : res.series.map((s) => before(s, until));
      if (rollupsExactFor(rollup.func, clean)) {
        rollups.set(node, { series: clean, until });
        if (until > lastRef) return [node, [] as SampleSeries[]] as const;
        const firstRaw =
          until <= firstRef ? firstRef : firstRef + Math.ceil((until - firstRef) / step) * step;
        // evalRollupFunction reads the windows after the rollups from their samples.
        const rest = { ...hints, start: firstRaw - range, ends: undefined };
        return [node, await raw(node, rest)] as const;
      }
    }
    return [node, await raw(node, hints)] as const;
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const limits = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PromQLError('timeout', TIMEOUT_MESSAGE)),
      Math.max(0, deadline - Date.now()),
    );
    onAbort = () => reject(new PromQLError('canceled', 'query was canceled'));
    signal?.addEventListener('abort', onAbort);
  });
  try {
    const pairs = await Promise.race([Promise.all(fetches), limits]);
    return { raw: new Map(pairs), rollups };
  } catch (err) {
    if (err instanceof PromQLError) throw err;
    throw new PromQLError('execution', `reading series failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

function shape(v: EvalValue, r: StepRange, instant: boolean): QueryResult {
  if (instant) {
    switch (v.kind) {
      case 'scalar':
        return { resultType: 'scalar', timestampMs: r.start, value: v.values[0] };
      case 'string':
        return { resultType: 'string', timestampMs: r.start, value: v.value };
      case 'vector':
        return {
          resultType: 'vector',
          samples: v.series
            .filter((s) => s.present[0])
            .map((s) => ({ labels: s.labels, timestampMs: r.start, value: s.values[0] })),
        };
      case 'matrix':
        return {
          resultType: 'matrix',
          series: sortByLabels([...v.series]).map((s) => ({
            labels: s.labels,
            timestamps: Array.from(s.timestamps),
            values: Array.from(s.values),
          })),
        };
    }
  }
  const series: { labels: Labels; timestamps: number[]; values: number[] }[] = [];
  if (v.kind === 'scalar') {
    series.push({
      labels: {},
      timestamps: Array.from({ length: r.n }, (_, i) => stepTime(r, i)),
      values: Array.from(v.values),
    });
  } else if (v.kind === 'vector') {
    for (const s of v.series) {
      const timestamps: number[] = [];
      const values: number[] = [];
      for (let i = 0; i < r.n; i++) {
        if (!s.present[i]) continue;
        timestamps.push(stepTime(r, i));
        values.push(s.values[i]);
      }
      if (timestamps.length > 0) series.push({ labels: s.labels, timestamps, values });
    }
    sortByLabels(series);
  }
  return { resultType: 'matrix', series };
}

/** Formats a result the way Prometheus' HTTP API writes `data`. */
export function toPromData(res: QueryResult): PromQueryData {
  switch (res.resultType) {
    case 'scalar':
      return {
        resultType: 'scalar',
        result: [formatTimestamp(res.timestampMs), formatSampleValue(res.value)],
      };
    case 'string':
      return { resultType: 'string', result: [formatTimestamp(res.timestampMs), res.value] };
    case 'vector':
      return {
        resultType: 'vector',
        result: res.samples.map((s) => ({
          metric: s.labels,
          value: [formatTimestamp(s.timestampMs), formatSampleValue(s.value)],
        })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: res.series.map((s) => ({
          metric: s.labels,
          values: s.timestamps.map((t, i) => [formatTimestamp(t), formatSampleValue(s.values[i])]),
        })),
      };
  }
}
