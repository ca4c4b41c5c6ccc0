import { executionError } from '../errors';
import { RunningMeans } from './running-means';

// Functions over one series' samples in one range window, transcribed from Prometheus 2.42's
// promql/functions.go. `lo`..`hi` (exclusive) index the window in `ts` (ms) / `vs`.

export interface WindowContext {
  /** The evaluation time of the step (enh.Ts in Prometheus). */
  stepTs: number;
  /** Window bounds in ms: [rangeStart, rangeEnd]. */
  rangeStart: number;
  rangeEnd: number;
  rangeMs: number;
  /** The scalar argument at this step (quantile_over_time's φ, predict_linear's t). */
  scalar: number;
  /** A second scalar argument (holt_winters' trend factor). */
  scalar2?: number;
  /** The series' counter resets so far, from `counterResets` (rate and increase only). */
  resets?: Int32Array;
}

export type WindowFunction = (
  ts: Float64Array,
  vs: Float64Array,
  lo: number,
  hi: number,
  ctx: WindowContext,
) => number | undefined;

function extrapolatedRate(isCounter: boolean, isRate: boolean): WindowFunction {
  return (ts, vs, lo, hi, ctx) => {
    const count = hi - lo;
    if (count < 2) return undefined;
    const first = vs[lo];
    let result = vs[hi - 1] - first;
    // Consecutive windows overlap almost whole; the reset count tells in O(1) whether this one
    // has any, and only then is it walked, adding in Prometheus' order (same float result).
    const resets = ctx.resets;
    if (isCounter && (!resets || resets[hi - 1] !== resets[lo])) {
      let prev = first;
      for (let i = lo + 1; i < hi; i++) {
        if (vs[i] < prev) result += prev;
        prev = vs[i];
      }
    }
    return extrapolate(result, count, ts[lo], first, ts[hi - 1], ctx, isCounter, isRate);
  };
}

/** `out[i]`: how many of vs[1..i] are below their predecessor (a NaN never is, nor follows one). */
export function counterResets(vs: Float64Array): Int32Array {
  const out = new Int32Array(vs.length);
  let n = 0;
  for (let i = 1; i < vs.length; i++) {
    if (vs[i] < vs[i - 1]) n++;
    out[i] = n;
  }
  return out;
}

/**
 * The tail of Prometheus' extrapolatedRate, from the window's raw increase (`result`), sample
 * count and first/last samples; shared by the raw and the rollup paths so both do the same
 * float operations in the same order.
 */
export function extrapolate(
  result: number,
  count: number,
  firstTs: number,
  first: number,
  lastTs: number,
  ctx: { rangeStart: number; rangeEnd: number; rangeMs: number },
  isCounter: boolean,
  isRate: boolean,
): number {
  let durationToStart = (firstTs - ctx.rangeStart) / 1000;
  const durationToEnd = (ctx.rangeEnd - lastTs) / 1000;
  const sampledInterval = (lastTs - firstTs) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (count - 1);
  if (isCounter && result > 0 && first >= 0) {
    // A counter cannot go below zero, so never extrapolate past the point where it would.
    const durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval +=
    durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval +=
    durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
  let factor = extrapolateToInterval / sampledInterval;
  if (isRate) factor /= ctx.rangeMs / 1000;
  return result * factor;
}

/**
 * A range function of a window from its ends alone: sample count, first and last samples'
 * timestamps and values, at data[p…p+4] (tsdb's WindowEnds). The same doubles the function
 * gives from the samples, with the same operations in the same order, for a window without
 * staleness markers and, where the function counts resets, without a reset.
 */
export type EndsFunction = (
  data: Float64Array,
  p: number,
  ctx: WindowContext,
) => number | undefined;

function extrapolatedRateOfEnds(isCounter: boolean, isRate: boolean): EndsFunction {
  return (data, p, ctx) => {
    const count = data[p];
    if (count < 2) return undefined;
    const first = data[p + 2];
    // No reset in the window: extrapolatedRate adds no counter correction.
    const result = data[p + 4] - first;
    return extrapolate(result, count, data[p + 1], first, data[p + 3], ctx, isCounter, isRate);
  };
}

/**
 * The functions whose windows may be read by their ends, and what of them: with `rising` only
 * windows without a counter reset (tsdb's SelectHints.ends).
 */
export const END_FUNCTIONS = new Map<string, { fn: EndsFunction; rising: boolean }>([
  ['rate', { fn: extrapolatedRateOfEnds(true, true), rising: true }],
  ['increase', { fn: extrapolatedRateOfEnds(true, false), rising: true }],
  ['delta', { fn: extrapolatedRateOfEnds(false, false), rising: false }],
  ['resets', { fn: () => 0, rising: true }],
  ['count_over_time', { fn: (data, p) => data[p], rising: false }],
  ['present_over_time', { fn: () => 1, rising: false }],
]);

function instantValue(isRate: boolean): WindowFunction {
  return (ts, vs, lo, hi) => {
    if (hi - lo < 2) return undefined;
    const last = vs[hi - 1];
    const previous = vs[hi - 2];
    let result = last - previous;
    if (isRate && last < previous) result = last;
    const interval = ts[hi - 1] - ts[hi - 2];
    if (interval === 0) return undefined;
    if (isRate) result /= interval / 1000;
    return result;
  };
}

/** Kahan–Neumaier summation step, as Prometheus' kahanSumInc. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

function linearRegression(
  ts: Float64Array,
  vs: Float64Array,
  lo: number,
  hi: number,
  interceptTime: number,
): [number, number] {
  let n = 0;
  let sumX = 0,
    cX = 0,
    sumY = 0,
    cY = 0,
    sumXY = 0,
    cXY = 0,
    sumX2 = 0,
    cX2 = 0;
  const initY = vs[lo];
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const v = vs[i];
    if (constY && i > lo && v !== initY) constY = false;
    n += 1;
    const x = (ts[i] - interceptTime) / 1e3;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(v, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * v, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

/** Prometheus' quantile over values (sorted in place): linear interpolation between ranks. */
export function quantileOf(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b));
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower] * (1 - weight) + values[upper] * weight;
}

function avgOverTime(vs: Float64Array, lo: number, hi: number): number {
  let mean = 0;
  let count = 0;
  for (let i = lo; i < hi; i++) {
    const v = vs[i];
    count++;
    if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
      if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    mean += v / count - mean / count;
  }
  return mean;
}

/**
 * avg_over_time of many windows of one series (window k is vs[lo[k]..hi[k])), into out[k]:
 * the same running mean as avgOverTime, eight windows at a time (in WebAssembly, two to a
 * division), then four. Each window's mean is one chain of dependent divisions, so one window
 * at a time waits on every division in turn; independent chains in one loop keep the divider
 * busy. Each window still does exactly avgOverTime's operations in its order (windows of a
 * step grid have equal counts step by step, so one counter serves a group). The chains skip avgOverTime's infinity branch, which
 * only matters once a mean is ±Inf; from there a mean can only end ±Inf or NaN, so any window
 * ending non-finite is computed again by avgOverTime itself.
 */
export function avgOverTimeMany(
  vs: Float64Array,
  lo: Int32Array,
  hi: Int32Array,
  m: number,
  out: Float64Array,
): void {
  let k = 0;
  const kernel = m >= 8 && vs.length <= KERNEL_MAX_VALUES ? runningMeansKernel() : undefined;
  if (kernel) {
    // Eight windows at a time in WebAssembly (running-means.ts): the same chains, two to a
    // division.
    kernel.load(vs);
    const means = kernel.means;
    for (; k + 8 <= m; k += 8) {
      let common = hi[k] - lo[k];
      for (let w = 1; w < 8; w++) common = Math.min(common, hi[k + w] - lo[k + w]);
      kernel.run(lo, k, common);
      for (let w = 0; w < 8; w++)
        out[k + w] = meanTail(vs, lo[k + w], hi[k + w] - lo[k + w], common, means[w]);
    }
  }
  for (; k + 4 <= m; k += 4) {
    const l0 = lo[k];
    const l1 = lo[k + 1];
    const l2 = lo[k + 2];
    const l3 = lo[k + 3];
    const n0 = hi[k] - l0;
    const n1 = hi[k + 1] - l1;
    const n2 = hi[k + 2] - l2;
    const n3 = hi[k + 3] - l3;
    const common = Math.min(n0, n1, n2, n3);
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    let j = 0;
    for (; j < common; j++) {
      const c = j + 1;
      m0 += vs[l0 + j] / c - m0 / c;
      m1 += vs[l1 + j] / c - m1 / c;
      m2 += vs[l2 + j] / c - m2 / c;
      m3 += vs[l3 + j] / c - m3 / c;
    }
    out[k] = meanTail(vs, l0, n0, j, m0);
    out[k + 1] = meanTail(vs, l1, n1, j, m1);
    out[k + 2] = meanTail(vs, l2, n2, j, m2);
    out[k + 3] = meanTail(vs, l3, n3, j, m3);
  }
  for (; k < m; k++) out[k] = avgOverTime(vs, lo[k], hi[k]);
}

/**
 * The kernel's memory holds a series' values and never shrinks, so a longer series (8 MB of
 * values here) takes the JavaScript chains instead of keeping that much for good.
 */
const KERNEL_MAX_VALUES = 1 << 20;

// Made on first use; evaluation is synchronous, so one serves every query. `null` once it has
// failed to instantiate (WebAssembly off, as under --jitless, or without SIMD): the JavaScript
// chains below give the same bits.
let runningMeans: RunningMeans | null | undefined;

function runningMeansKernel(): RunningMeans | undefined {
  if (runningMeans === undefined) {
    try {
      runningMeans = new RunningMeans();
    } catch {
      runningMeans = null;
    }
  }
  return runningMeans ?? undefined;
}

/** The rest of one window's running mean from its j-th sample on; see avgOverTimeMany. */
function meanTail(vs: Float64Array, lo: number, n: number, j: number, mean: number): number {
  for (; j < n; j++) {
    const c = j + 1;
    mean += vs[lo + j] / c - mean / c;
  }
  return Number.isFinite(mean) ? mean : avgOverTime(vs, lo, lo + n);
}

function variance(vs: Float64Array, lo: number, hi: number): number {
  let count = 0;
  let mean = 0,
    cMean = 0,
    aux = 0,
    cAux = 0;
  for (let i = lo; i < hi; i++) {
    const v = vs[i];
    count++;
    const delta = v - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (v - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

/** Double exponential smoothing, as Prometheus 2.42's holt_winters. */
const holtWinters: WindowFunction = (_ts, vs, lo, hi, ctx) => {
  const sf = ctx.scalar;
  const tf = ctx.scalar2 ?? NaN;
  if (!(sf > 0 && sf < 1))
    throw executionError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf}`);
  if (!(tf > 0 && tf < 1))
    throw executionError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf}`);
  if (hi - lo < 2) return undefined;
  let s0 = 0;
  let s1 = vs[lo];
  let b = vs[lo + 1] - vs[lo];
  for (let i = 1; i < hi - lo; i++) {
    const x = sf * vs[lo + i];
    if (i - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
};

export const WINDOW_FUNCTIONS: Record<string, WindowFunction> = {
  holt_winters: holtWinters,
  rate: extrapolatedRate(true, true),
  increase: extrapolatedRate(true, false),
  delta: extrapolatedRate(false, false),
  irate: instantValue(true),
  idelta: instantValue(false),
  deriv: (ts, vs, lo, hi) => {
    if (hi - lo < 2) return undefined;
    return linearRegression(ts, vs, lo, hi, ts[lo])[0];
  },
  predict_linear: (ts, vs, lo, hi, ctx) => {
    if (hi - lo < 2) return undefined;
    const [slope, intercept] = linearRegression(ts, vs, lo, hi, ctx.stepTs);
    return slope * ctx.scalar + intercept;
  },
  resets: (_ts, vs, lo, hi) => {
    let n = 0;
    for (let i = lo + 1; i < hi; i++) if (vs[i] < vs[i - 1]) n++;
    return n;
  },
  changes: (_ts, vs, lo, hi) => {
    let n = 0;
    for (let i = lo + 1; i < hi; i++) {
      const cur = vs[i];
      const prev = vs[i - 1];
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) n++;
    }
    return n;
  },
  avg_over_time: (_ts, vs, lo, hi) => avgOverTime(vs, lo, hi),
  // `x !== x` is the NaN test; it keeps these hot loops free of calls.
  min_over_time: (_ts, vs, lo, hi) => {
    let min = vs[lo];
    for (let i = lo + 1; i < hi; i++) {
      const v = vs[i];
      if (v < min || min !== min) min = v;
    }
    return min;
  },
  max_over_time: (_ts, vs, lo, hi) => {
    let max = vs[lo];
    for (let i = lo + 1; i < hi; i++) {
      const v = vs[i];
      if (v > max || max !== max) max = v;
    }
    return max;
  },
  sum_over_time: (_ts, vs, lo, hi) => {
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += vs[i];
    return sum;
  },
  count_over_time: (_ts, _vs, lo, hi) => hi - lo,
  last_over_time: (_ts, vs, _lo, hi) => vs[hi - 1],
  present_over_time: () => 1,
  stdvar_over_time: (_ts, vs, lo, hi) => variance(vs, lo, hi),
  stddev_over_time: (_ts, vs, lo, hi) => Math.sqrt(variance(vs, lo, hi)),
  quantile_over_time: (_ts, vs, lo, hi, ctx) =>
    quantileOf(ctx.scalar, Array.from(vs.subarray(lo, hi))),
};

/**
 * max_over_time/min_over_time over windows that only move forward, in amortised O(1) per step
 * with a monotonic deque. Same result as the plain loop: the extreme of the non-NaN values
 * (the earliest of equal ones, so 0 and -0 resolve alike), or NaN when all are NaN.
 */
export class SlidingExtreme {
  private readonly dq: Int32Array;
  private head = 0;
  private tail = 0;
  private pushed = 0;

  constructor(
    private readonly vs: Float64Array,
    private readonly max: boolean,
  ) {
    this.dq = new Int32Array(vs.length);
  }

  /** The extreme of vs[lo..hi); lo and hi must never decrease between calls. */
  value(lo: number, hi: number): number {
    const { vs, dq } = this;
    while (this.pushed < hi) {
      const i = this.pushed++;
      const v = vs[i];
      if (v !== v) continue;
      while (
        this.tail > this.head &&
        (this.max ? vs[dq[this.tail - 1]] < v : vs[dq[this.tail - 1]] > v)
      ) {
        this.tail--;
      }
      dq[this.tail++] = i;
    }
    while (this.head < this.tail && dq[this.head] < lo) this.head++;
    return this.head < this.tail ? vs[dq[this.head]] : NaN;
  }
}
