import type { Labels, SampleSeries, WindowEnds } from '@tocsin/tsdb';
import { executionError, PromQLError, TIMEOUT_MESSAGE, TOO_MANY_SAMPLES_MESSAGE } from '../errors';
import type {
  AggregateExpr,
  AtModifier,
  Call,
  Expr,
  MatrixSelector,
  SubqueryExpr,
  VectorSelector,
} from '../parser/ast';
import { evalAggregate } from './aggregations';
import { evalBinary } from './binary';
import { evalInstantFunction, INSTANT_FUNCTIONS } from './instant-functions';
import { dropMetricName, labelsKey, sortByLabels } from './labels';
import type { EndsFunction, WindowContext, WindowFunction } from './range-functions';
import {
  avgOverTimeMany,
  counterResets,
  END_FUNCTIONS,
  SlidingExtreme,
  WINDOW_FUNCTIONS,
} from './range-functions';
import { evalRollupFunction, type RolledSelector } from './rollup-functions';
import type { EvalValue, RawSeries, StepRange, StepSeries } from './types';
import { DUPLICATE_LABELSET, newStepSeries, stepRange, stepTime } from './types';

export interface EvaluatorOptions {
  lookbackMs: number;
  /** Step of subqueries written without one (Prometheus' evaluation_interval). */
  subqueryStepMs: number;
  maxSamples: number;
  /** Epoch ms after which evaluation fails with a timeout. */
  deadline: number;
  signal?: AbortSignal;
  queryStart: number;
  queryEnd: number;
  /** Selectors answered from 1h rollups instead of raw samples (see rollup-functions.ts). */
  rollups?: ReadonlyMap<VectorSelector, RolledSelector>;
}

/** Samples of a range-vector argument plus how each step's window is placed. */
interface MatrixInput {
  series: RawSeries[];
  rangeMs: number;
  /** The window end for step i. */
  ref: (i: number) => number;
  /** Labels absent_over_time reports (from the selector's equality matchers). */
  absentLabels: Labels;
  /** Samples outside [min, max] are ignored (see `movingAt`). */
  clip?: [number, number];
}

/**
 * Evaluates a parsed expression over a step grid, entirely in memory, from series fetched
 * beforehand (one entry per VectorSelector node). Mirrors Prometheus 2.42's evaluator: every
 * node yields its value at every step, series merge by label set across steps.
 */
export class Evaluator {
  private samples = 0;
  private checks = 0;
  private readonly rawCache = new Map<VectorSelector, RawSeries[]>();

  constructor(
    private readonly data: ReadonlyMap<VectorSelector, SampleSeries[]>,
    readonly opts: EvaluatorOptions,
  ) {}

  /** Deadline and cancellation check, cheap enough for inner loops. */
  check(): void {
    if ((++this.checks & 255) !== 0) return;
    this.checkNow();
  }

  checkNow(): void {
    if (this.opts.signal?.aborted) throw new PromQLError('canceled', 'query was canceled');
    if (Date.now() >= this.opts.deadline) throw new PromQLError('timeout', TIMEOUT_MESSAGE);
  }

  /** Counts samples held in memory; the limit mirrors Prometheus' --query.max-samples. */
  account(n: number): void {
    this.samples += n;
    if (this.samples > this.opts.maxSamples) throw executionError(TOO_MANY_SAMPLES_MESSAGE);
  }

  atMs(at: AtModifier): number {
    if (at.kind === 'time') return at.ms;
    return at.kind === 'start' ? this.opts.queryStart : this.opts.queryEnd;
  }

  eval(e: Expr, r: StepRange): EvalValue {
    this.checkNow();
    switch (e.type) {
      case 'NumberLiteral':
        return { kind: 'scalar', values: new Float64Array(r.n).fill(e.value) };
      case 'StringLiteral':
        return { kind: 'string', value: e.value };
      case 'ParenExpr':
        return this.eval(e.expr, r);
      case 'VectorSelector':
        return { kind: 'vector', series: this.vectorSelector(e, r, false) };
      case 'MatrixSelector':
      case 'SubqueryExpr':
        return { kind: 'matrix', series: this.rangeVectorAt(e, r) };
      case 'UnaryExpr':
        return this.unary(e.op, this.eval(e.expr, r));
      case 'BinaryExpr':
        return evalBinary(this, e, r);
      case 'AggregateExpr':
        return { kind: 'vector', series: evalAggregate(this, e as AggregateExpr, r) };
      case 'Call':
        return this.call(e, r);
    }
  }

  evalVector(e: Expr, r: StepRange): StepSeries[] {
    const v = this.eval(e, r);
    if (v.kind !== 'vector') throw executionError(`expected instant vector, got ${v.kind}`);
    return v.series;
  }

  evalScalar(e: Expr, r: StepRange): Float64Array {
    const v = this.eval(e, r);
    if (v.kind !== 'scalar') throw executionError(`expected scalar, got ${v.kind}`);
    return v.values;
  }

  evalString(e: Expr, r: StepRange): string {
    const v = this.eval(e, r);
    if (v.kind !== 'string') throw executionError(`expected string, got ${v.kind}`);
    return v.value;
  }

  private unary(op: '-' | '+', v: EvalValue): EvalValue {
    if (op === '+') return v;
    if (v.kind === 'scalar') return { kind: 'scalar', values: v.values.map((x) => -x) };
    if (v.kind !== 'vector') throw executionError('unary minus on a non-numeric value');
    const seen = new Set<string>();
    const series = v.series.map((s) => {
      const labels = dropMetricName(s.labels);
      const key = labelsKey(labels);
      if (seen.has(key)) throw executionError(DUPLICATE_LABELSET);
      seen.add(key);
      return { labels, values: s.values.map((x) => -x), present: s.present };
    });
    return { kind: 'vector', series };
  }

  /**
   * An instant vector selector at every step: the newest sample no older than the lookback
   * delta, unless it is a staleness marker. `timestamps` yields the samples' own times
   * (for timestamp()), otherwise their values.
   */
  vectorSelector(vs: VectorSelector, r: StepRange, timestamps: boolean): StepSeries[] {
    const at = vs.at ? this.atMs(vs.at) : undefined;
    const lookback = this.opts.lookbackMs;
    const out: StepSeries[] = [];
    for (const s of this.sortedData(vs)) {
      this.check();
      const ts = s.timestamps;
      const n = ts.length;
      const isStale = staleTester(s.values);
      let out1: StepSeries | undefined;
      let j = 0;
      let count = 0;
      for (let i = 0; i < r.n; i++) {
        const ref = (at ?? stepTime(r, i)) - vs.offsetMs;
        while (j < n && ts[j] <= ref) j++;
        // Refs only grow with i, but an @ pins them; a negative step never happens.
        const k = j - 1;
        if (k < 0 || ts[k] < ref - lookback || isStale(k)) continue;
        out1 ??= newStepSeries(s.labels, r.n);
        out1.present[i] = 1;
        out1.values[i] = timestamps ? ts[k] / 1000 : s.values[k];
        count++;
      }
      if (out1) {
        this.account(count);
        out.push(out1);
      }
    }
    return out;
  }

  /**
   * A selector's series in label order, as Prometheus' storage returns them: later steps that
   * depend on input order (topk's tie-breaking) then pick the same series.
   */
  private sortedData(vs: VectorSelector): SampleSeries[] {
    const series = this.data.get(vs) ?? [];
    return sortByLabels([...series]);
  }

  /** The selector's samples with staleness markers removed (range vectors never see them). */
  private rawSeries(vs: VectorSelector): RawSeries[] {
    let cached = this.rawCache.get(vs);
    if (cached) return cached;
    cached = this.sortedData(vs).map((s) => {
      const isStale = staleTester(s.values);
      const stale = countStale(s.values);
      // Windows read by their ends count their samples, as if read one by one.
      this.account(s.values.length - stale + (s.ends ? endsSamples(s.ends) : 0));
      if (stale === 0)
        return { labels: s.labels, timestamps: s.timestamps, values: s.values, ends: s.ends };
      const timestamps = new Float64Array(s.values.length - stale);
      const values = new Float64Array(s.values.length - stale);
      let k = 0;
      for (let i = 0; i < s.values.length; i++) {
        if (isStale(i)) continue;
        timestamps[k] = s.timestamps[i];
        values[k++] = s.values[i];
      }
      return { labels: s.labels, timestamps, values, ends: s.ends };
    });
    this.rawCache.set(vs, cached);
    return cached;
  }

  /** A range-vector expression (selector or subquery, maybe parenthesised) for a function. */
  matrixInput(e: Expr, r: StepRange, movingAt = false): MatrixInput {
    while (e.type === 'ParenExpr') e = e.expr;
    if (e.type === 'MatrixSelector') return this.matrixSelectorInput(e, r, movingAt);
    if (e.type === 'SubqueryExpr') return this.subqueryInput(e, r);
    throw executionError(`expected range vector, got ${e.type}`);
  }

  /**
   * `movingAt` reproduces Prometheus 2.42 for functions it deems unsafe for @ (predict_linear):
   * their selector is not evaluated once at the @ time; instead @ becomes an extra offset from
   * the grid's start, so the window slides with the steps over data read only up to @.
   */
  private matrixSelectorInput(ms: MatrixSelector, r: StepRange, movingAt: boolean): MatrixInput {
    const vs = ms.vector;
    const at = vs.at ? this.atMs(vs.at) : undefined;
    if (movingAt && at !== undefined) {
      const pinned = at - vs.offsetMs;
      return {
        series: this.rawSeries(vs),
        rangeMs: ms.rangeMs,
        ref: (i) => pinned + (stepTime(r, i) - r.start),
        absentLabels: {},
        clip: [pinned - ms.rangeMs, pinned],
      };
    }
    const absentLabels: Labels = {};
    const seen = new Set<string>();
    for (const m of vs.matchers) {
      if (m.name === '__name__') continue;
      if (m.op === '=' && !seen.has(m.name)) absentLabels[m.name] = m.value;
      else delete absentLabels[m.name];
      seen.add(m.name);
    }
    return {
      series: this.rawSeries(vs),
      rangeMs: ms.rangeMs,
      ref: (i) => (at ?? stepTime(r, i)) - vs.offsetMs,
      absentLabels,
    };
  }

  private subqueryInput(sq: SubqueryExpr, r: StepRange): MatrixInput {
    const at = sq.at ? this.atMs(sq.at) : undefined;
    const step = sq.stepMs || this.opts.subqueryStepMs;
    const outerStart = at ?? r.start;
    const outerEnd = at ?? r.end;
    const rawStart = outerStart - sq.offsetMs - sq.rangeMs;
    // Go's integer division truncates toward zero; the grid is absolute multiples of the step.
    let innerStart = step * Math.trunc(rawStart / step);
    if (innerStart < rawStart) innerStart += step;
    const inner = stepRange(innerStart, outerEnd - sq.offsetMs, step);
    // Every inner series holds a slot per inner step, so a tiny step over a long range is
    // refused before anything is allocated.
    if (inner.n > this.opts.maxSamples) throw executionError(TOO_MANY_SAMPLES_MESSAGE);
    const series = this.evalVector(sq.expr, inner).map((s) => toRaw(s, inner));
    return {
      series,
      rangeMs: sq.rangeMs,
      ref: (i) => (at ?? stepTime(r, i)) - sq.offsetMs,
      absentLabels: {},
    };
  }

  /** A range vector as a query result (instant queries only): samples of the window at the step. */
  private rangeVectorAt(e: MatrixSelector | SubqueryExpr, r: StepRange): RawSeries[] {
    if (r.n !== 1) {
      throw new PromQLError(
        'bad_data',
        'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
      );
    }
    const input = this.matrixInput(e, r);
    const out: RawSeries[] = [];
    const ref = input.ref(0);
    for (const s of input.series) {
      const [lo, hi] = windowBounds(s.timestamps, ref - input.rangeMs, ref);
      if (hi > lo) {
        out.push({
          labels: s.labels,
          timestamps: s.timestamps.slice(lo, hi),
          values: s.values.slice(lo, hi),
        });
      }
    }
    return out;
  }

  private call(e: Call, r: StepRange): EvalValue {
    if (INSTANT_FUNCTIONS.has(e.func)) return evalInstantFunction(this, e, r);
    let arg = e.args[0];
    while (arg?.type === 'ParenExpr') arg = arg.expr;
    const rolled = arg?.type === 'MatrixSelector' ? this.opts.rollups?.get(arg.vector) : undefined;
    if (rolled && arg.type === 'MatrixSelector') {
      const vs = arg.vector;
      const at = vs.at ? this.atMs(vs.at) : undefined;
      const series = evalRollupFunction(
        e.func,
        rolled,
        this.rawSeries(vs),
        r,
        (i) => (at ?? stepTime(r, i)) - vs.offsetMs,
        arg.rangeMs,
        (n) => this.account(n),
        () => this.check(),
      );
      return { kind: 'vector', series };
    }
    const fn = WINDOW_FUNCTIONS[e.func];
    if (!fn && e.func !== 'absent_over_time')
      throw executionError(`function "${e.func}" is not supported`);
    const matrixIndex = e.func === 'quantile_over_time' ? 1 : 0;
    const scalarArg =
      e.func === 'quantile_over_time'
        ? this.evalScalar(e.args[0], r)
        : e.func === 'predict_linear' || e.func === 'holt_winters'
          ? this.evalScalar(e.args[1], r)
          : undefined;
    const scalarArg2 = e.func === 'holt_winters' ? this.evalScalar(e.args[2], r) : undefined;
    const input = this.matrixInput(e.args[matrixIndex], r, e.func === 'predict_linear');
    if (e.func === 'absent_over_time') return this.absentOverTime(input, r);
    const keepName = e.func === 'last_over_time';
    // Overlapping windows make the plain loop O(window) per step; the deque is O(1).
    const sliding = !input.clip && (e.func === 'max_over_time' || e.func === 'min_over_time');
    const counter = e.func === 'rate' || e.func === 'increase';
    // Window functions only read the context, so one is updated per step rather than one
    // allocated per step per series.
    const ctx: WindowContext = {
      stepTs: 0,
      rangeStart: 0,
      rangeEnd: 0,
      rangeMs: input.rangeMs,
      scalar: 0,
      scalar2: undefined,
      resets: undefined,
    };
    // Every series has the same windows: placed once per call, not once per series.
    const starts = new Float64Array(r.n);
    const ends = new Float64Array(r.n);
    for (let i = 0; i < r.n; i++) {
      let ref = input.ref(i);
      let start = ref - input.rangeMs;
      if (input.clip) {
        start = Math.max(start, input.clip[0]);
        ref = Math.min(ref, input.clip[1]);
      }
      starts[i] = start;
      ends[i] = ref;
    }
    const out: StepSeries[] = [];
    const seen = new Set<string>();
    let res: StepSeries | undefined;
    const byEnds = END_FUNCTIONS.get(e.func);
    for (const s of input.series) {
      this.check();
      if (counter) ctx.resets = counterResets(s.values);
      const extreme = sliding
        ? new SlidingExtreme(s.values, e.func === 'max_over_time')
        : undefined;
      res ??= newStepSeries({}, r.n);
      // The engine asks for ends only where they serve (collectSelectors): a selector with
      // ends anywhere else has lost samples, and no answer is better than a wrong one.
      if (s.ends && (!byEnds || (byEnds.rising && !s.ends.rising) || input.clip))
        throw new Error(`samples of ${e.func}'s windows were read as their ends`);
      const count =
        e.func === 'avg_over_time'
          ? evalAvgWindows(s, starts, ends, r, res)
          : evalWindows(
              s,
              starts,
              ends,
              r,
              fn,
              ctx,
              extreme,
              scalarArg,
              scalarArg2,
              res,
              byEnds?.fn,
            );
      if (count === 0) continue;
      res.labels = keepName ? s.labels : dropMetricName(s.labels);
      const key = labelsKey(res.labels);
      if (seen.has(key)) throw executionError(DUPLICATE_LABELSET);
      seen.add(key);
      this.account(count);
      out.push(res);
      res = undefined;
    }
    return { kind: 'vector', series: out };
  }

  private absentOverTime(input: MatrixInput, r: StepRange): EvalValue {
    const res = newStepSeries(input.absentLabels, r.n);
    let any = false;
    for (let i = 0; i < r.n; i++) {
      const ref = input.ref(i);
      const found = input.series.some((s) => {
        const [lo, hi] = windowBounds(s.timestamps, ref - input.rangeMs, ref);
        return hi > lo;
      });
      if (!found) {
        res.present[i] = 1;
        res.values[i] = 1;
        any = true;
      }
    }
    return { kind: 'vector', series: any ? [res] : [] };
  }
}

/**
 * One series' window function at every step into `res` (its values and present flags, all unset
 * on entry); returns how many steps got a value. Kept apart from `call` so this hot loop is
 * optimised on its own. Windows the series has as ends (SampleSeries.ends; the samples hold
 * none of theirs) are computed from them by `byEnds` (END_FUNCTIONS: no scalar argument, no
 * clipped windows).
 */
function evalWindows(
  s: RawSeries,
  starts: Float64Array,
  ends: Float64Array,
  r: StepRange,
  fn: WindowFunction,
  ctx: WindowContext,
  extreme: SlidingExtreme | undefined,
  scalarArg: Float64Array | undefined,
  scalarArg2: Float64Array | undefined,
  res: StepSeries,
  byEnds?: EndsFunction,
): number {
  const ts = s.timestamps;
  const vs = s.values;
  const n = ts.length;
  const e = byEnds ? s.ends : undefined;
  let lo = 0;
  let hi = 0;
  let count = 0;
  for (let i = 0; i < r.n; i++) {
    const start = starts[i];
    const end = ends[i];
    // Windows only move forward with the steps (or stay, under @), so two cursors find them.
    lo = skipSamples(ts, lo, n, start, false);
    hi = skipSamples(ts, hi, n, end, true);
    let v: number | undefined;
    // The select's window k, when this step's window is one (an @ or offset moves none).
    const k = e ? (end - e.first) / e.step : -1;
    if (
      e &&
      k >= 0 &&
      k < e.n &&
      Number.isInteger(k) &&
      e.data[5 * k] > 0 &&
      end - e.width === start
    ) {
      ctx.stepTs = stepTime(r, i);
      ctx.rangeStart = start;
      ctx.rangeEnd = end;
      v = byEnds!(e.data, 5 * k, ctx);
    } else if (hi <= lo) continue;
    else if (extreme) v = extreme.value(lo, hi);
    else {
      ctx.stepTs = stepTime(r, i);
      ctx.rangeStart = start;
      ctx.rangeEnd = end;
      ctx.scalar = scalarArg ? scalarArg[i] : 0;
      ctx.scalar2 = scalarArg2?.[i];
      v = fn(ts, vs, lo, hi, ctx);
    }
    if (v === undefined) continue;
    res.present[i] = 1;
    res.values[i] = v;
    count++;
  }
  return count;
}

/** The samples in the windows `e` holds. */
export function endsSamples(e: WindowEnds): number {
  let n = 0;
  for (let k = 0; k < e.n; k++) n += e.data[5 * k];
  return n;
}

/**
 * evalWindows for avg_over_time: the windows with samples are found first, then their means
 * computed several at a time (avgOverTimeMany), with the same result.
 */
function evalAvgWindows(
  s: RawSeries,
  starts: Float64Array,
  ends: Float64Array,
  r: StepRange,
  res: StepSeries,
): number {
  const ts = s.timestamps;
  const n = ts.length;
  if (windowLo.length < r.n) {
    windowLo = new Int32Array(r.n);
    windowHi = new Int32Array(r.n);
    windowStep = new Int32Array(r.n);
    windowMean = new Float64Array(r.n);
  }
  let lo = 0;
  let hi = 0;
  let m = 0;
  for (let i = 0; i < r.n; i++) {
    lo = skipSamples(ts, lo, n, starts[i], false);
    hi = skipSamples(ts, hi, n, ends[i], true);
    if (hi <= lo) continue;
    windowLo[m] = lo;
    windowHi[m] = hi;
    windowStep[m++] = i;
  }
  avgOverTimeMany(s.values, windowLo, windowHi, m, windowMean);
  for (let k = 0; k < m; k++) {
    res.present[windowStep[k]] = 1;
    res.values[windowStep[k]] = windowMean[k];
  }
  return m;
}

// evalAvgWindows' scratch, grown to the longest grid seen; evaluation is synchronous.
let windowLo = new Int32Array(0);
let windowHi = new Int32Array(0);
let windowStep = new Int32Array(0);
let windowMean = new Float64Array(0);

/**
 * A staleness test for one series' values: a view over the buffer made once, and the bit check
 * only for NaNs (tsdb's isStaleNaNAt allocates a view per call, too slow per sample).
 */
function staleTester(values: Float64Array): (i: number) => boolean {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  return (i) => {
    const v = values[i];
    return v !== v && words[2 * i] === 0x00000002 && words[2 * i + 1] === 0x7ff00000;
  };
}

/**
 * How many of `values` are staleness markers: staleTester's test in one loop (a 7-day select
 * of 80 series is 440,000 values, nearly never a NaN, and a call per value cost ~0.7 ms).
 */
function countStale(values: Float64Array): number {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let stale = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v && words[2 * i] === 0x00000002 && words[2 * i + 1] === 0x7ff00000) stale++;
  }
  return stale;
}

/**
 * The first index from `from` on (or `n`) whose timestamp is not before `t`, nor at it when
 * `andAt`: a galloping search, for cursors that move forward by a step's worth of samples (40
 * at 30 s samples and a 20-minute step), where a sample-by-sample walk cost as much as the
 * window function.
 */
function skipSamples(ts: Float64Array, from: number, n: number, t: number, andAt: boolean): number {
  if (from >= n || !(ts[from] < t || (andAt && ts[from] === t))) return from;
  // ts[lo] is skipped; find hi, not skipped (or n), then bisect between them.
  let lo = from;
  let stride = 1;
  let hi = from + 1;
  while (hi < n && (ts[hi] < t || (andAt && ts[hi] === t))) {
    lo = hi;
    stride *= 2;
    hi = lo + stride;
  }
  if (hi > n) hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < t || (andAt && ts[mid] === t)) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Indexes [lo, hi) of the samples with start <= t <= end. */
export function windowBounds(ts: Float64Array, start: number, end: number): [number, number] {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  let h = lo;
  let top = ts.length;
  while (h < top) {
    const mid = (h + top) >> 1;
    if (ts[mid] <= end) h = mid + 1;
    else top = mid;
  }
  return [lo, h];
}

function toRaw(s: StepSeries, r: StepRange): RawSeries {
  let n = 0;
  for (let i = 0; i < r.n; i++) n += s.present[i];
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < r.n; i++) {
    if (!s.present[i]) continue;
    timestamps[k] = stepTime(r, i);
    values[k++] = s.values[i];
  }
  return { labels: s.labels, timestamps, values };
}
