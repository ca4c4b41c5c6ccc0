import type { Labels } from '@tocsin/tsdb';
import { executionError } from '../errors';
import type { Call, Expr } from '../parser/ast';
import type { Evaluator } from './evaluator';
import { bucketQuantile, type Bucket } from './histogram';
import { labelJoiner, labelReplacer } from './label-functions';
import { dropMetricName, labelsKey, without } from './labels';
import type { EvalValue, StepRange, StepSeries } from './types';
import { SeriesCollector, newStepSeries, stepTime } from './types';

const MATH: Record<string, (v: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
  acos: Math.acos,
  acosh: Math.acosh,
  asin: Math.asin,
  asinh: Math.asinh,
  atan: Math.atan,
  atanh: Math.atanh,
  cos: Math.cos,
  cosh: Math.cosh,
  sin: Math.sin,
  sinh: Math.sinh,
  tan: Math.tan,
  tanh: Math.tanh,
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
};

const DAY_MS = 86_400_000;

const DATE: Record<string, (d: Date) => number> = {
  day_of_month: (d) => d.getUTCDate(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_year: (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1,
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  hour: (d) => d.getUTCHours(),
  minute: (d) => d.getUTCMinutes(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

export const INSTANT_FUNCTIONS: ReadonlySet<string> = new Set([
  ...Object.keys(MATH),
  ...Object.keys(DATE),
  'round',
  'clamp',
  'clamp_min',
  'clamp_max',
  'time',
  'pi',
  'vector',
  'scalar',
  'absent',
  'timestamp',
  'sort',
  'sort_desc',
  'label_replace',
  'label_join',
  'histogram_quantile',
]);

/** Functions whose arguments are instant vectors, scalars or strings. */
export function evalInstantFunction(ev: Evaluator, e: Call, r: StepRange): EvalValue {
  const math = MATH[e.func];
  if (math) return vector(mapValues(ev.evalVector(e.args[0], r), r, () => math));
  const date = DATE[e.func];
  if (date) {
    const input = e.args[0] ? ev.evalVector(e.args[0], r) : [timeVector(r)];
    // Go's time.Unix truncates the seconds; out-of-range times come out as NaN here.
    return vector(mapValues(input, r, () => (v) => date(new Date(Math.trunc(v) * 1000))));
  }
  switch (e.func) {
    case 'time': {
      const values = new Float64Array(r.n);
      for (let i = 0; i < r.n; i++) values[i] = stepTime(r, i) / 1000;
      return { kind: 'scalar', values };
    }
    case 'pi':
      return { kind: 'scalar', values: new Float64Array(r.n).fill(Math.PI) };
    case 'round': {
      const to = e.args[1] ? ev.evalScalar(e.args[1], r) : new Float64Array(r.n).fill(1);
      return vector(
        mapValues(ev.evalVector(e.args[0], r), r, (i) => {
          const inverse = 1 / to[i];
          return (v) => Math.floor(v * inverse + 0.5) / inverse;
        }),
      );
    }
    case 'clamp': {
      const input = ev.evalVector(e.args[0], r);
      const min = ev.evalScalar(e.args[1], r);
      const max = ev.evalScalar(e.args[2], r);
      return vector(
        mapValues(input, r, (i) =>
          max[i] < min[i] ? null : (v) => Math.max(min[i], Math.min(max[i], v)),
        ),
      );
    }
    case 'clamp_min': {
      const input = ev.evalVector(e.args[0], r);
      const min = ev.evalScalar(e.args[1], r);
      return vector(mapValues(input, r, (i) => (v) => Math.max(min[i], v)));
    }
    case 'clamp_max': {
      const input = ev.evalVector(e.args[0], r);
      const max = ev.evalScalar(e.args[1], r);
      return vector(mapValues(input, r, (i) => (v) => Math.min(max[i], v)));
    }
    case 'vector': {
      const s = newStepSeries({}, r.n);
      s.values.set(ev.evalScalar(e.args[0], r));
      s.present.fill(1);
      return vector([s]);
    }
    case 'scalar': {
      const input = ev.evalVector(e.args[0], r);
      const values = new Float64Array(r.n);
      for (let i = 0; i < r.n; i++) {
        let count = 0;
        let value = NaN;
        for (const s of input) {
          if (s.present[i]) {
            count++;
            value = s.values[i];
          }
        }
        values[i] = count === 1 ? value : NaN;
      }
      return { kind: 'scalar', values };
    }
    case 'absent':
      return absent(ev.evalVector(e.args[0], r), e.args[0], r);
    case 'timestamp':
      return timestamp(ev, e.args[0], r);
    case 'sort':
    case 'sort_desc':
      return vector(sortByValue(ev.evalVector(e.args[0], r), e.func === 'sort_desc'));
    case 'label_replace': {
      const input = ev.evalVector(e.args[0], r);
      const [dst, repl, src, regex] = e.args.slice(1).map((a) => ev.evalString(a, r));
      return vector(relabel(input, r, labelReplacer(dst, repl, src, regex)));
    }
    case 'label_join': {
      const input = ev.evalVector(e.args[0], r);
      const [dst, sep, ...srcs] = e.args.slice(1).map((a) => ev.evalString(a, r));
      return vector(relabel(input, r, labelJoiner(dst, sep, srcs)));
    }
    case 'histogram_quantile':
      return vector(histogramQuantile(ev.evalScalar(e.args[0], r), ev.evalVector(e.args[1], r), r));
    default:
      throw executionError(`function "${e.func}" is not supported`);
  }
}

function timeVector(r: StepRange): StepSeries {
  const s = newStepSeries({}, r.n);
  for (let i = 0; i < r.n; i++) s.values[i] = stepTime(r, i) / 1000;
  s.present.fill(1);
  return s;
}

function vector(series: StepSeries[]): EvalValue {
  return { kind: 'vector', series };
}

/**
 * Applies a per-step value function and drops the metric name, as Prometheus' simple
 * functions do; `fnAt` returning null drops the whole step (clamp with max < min).
 */
function mapValues(
  input: StepSeries[],
  r: StepRange,
  fnAt: (step: number) => ((v: number) => number) | null,
): StepSeries[] {
  const fns = Array.from({ length: r.n }, (_, i) => fnAt(i));
  const out = new SeriesCollector(r.n);
  for (const s of input) {
    const labels = dropMetricName(s.labels);
    const target = out.target(labels, labelsKey(labels));
    for (let i = 0; i < r.n; i++) {
      const fn = fns[i];
      if (s.present[i] && fn) out.put(target, i, fn(s.values[i]));
    }
  }
  return out.series();
}

function relabel(input: StepSeries[], r: StepRange, fn: (l: Labels) => Labels): StepSeries[] {
  const out = new SeriesCollector(r.n);
  for (const s of input) {
    const labels = fn(s.labels);
    const target = out.target(labels, labelsKey(labels));
    for (let i = 0; i < r.n; i++) if (s.present[i]) out.put(target, i, s.values[i]);
  }
  return out.series();
}

function absent(input: StepSeries[], arg: Expr, r: StepRange): EvalValue {
  // Only a bare selector contributes labels, as in Prometheus' createLabelsForAbsentFunction.
  const labels: Labels = {};
  if (arg.type === 'VectorSelector') {
    const seen = new Set<string>();
    for (const m of arg.matchers) {
      if (m.name === '__name__') continue;
      if (m.op === '=' && !seen.has(m.name)) labels[m.name] = m.value;
      else delete labels[m.name];
      seen.add(m.name);
    }
  }
  const res = newStepSeries(labels, r.n);
  let any = false;
  for (let i = 0; i < r.n; i++) {
    if (!input.some((s) => s.present[i])) {
      res.present[i] = 1;
      res.values[i] = 1;
      any = true;
    }
  }
  return vector(any ? [res] : []);
}

function timestamp(ev: Evaluator, arg: Expr, r: StepRange): EvalValue {
  let inner = arg;
  while (inner.type === 'ParenExpr') inner = inner.expr;
  // A selector's samples carry their own timestamps; any other expression is stamped with
  // the evaluation time, as in Prometheus.
  const input =
    inner.type === 'VectorSelector'
      ? ev.vectorSelector(inner, r, true)
      : ev.evalVector(arg, r).map((s) => {
          const values = new Float64Array(r.n);
          for (let i = 0; i < r.n; i++) values[i] = stepTime(r, i) / 1000;
          return { labels: s.labels, values, present: s.present };
        });
  return vector(mapValues(input, r, () => (v) => v));
}

/** Prometheus' sort/sort_desc order NaN first; only an instant query's order is observable. */
function sortByValue(input: StepSeries[], desc: boolean): StepSeries[] {
  if (input.length === 0 || input[0].values.length !== 1) return input;
  return [...input].sort((a, b) => {
    const x = a.values[0];
    const y = b.values[0];
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
    if (Number.isNaN(y)) return 1;
    return desc ? y - x : x - y;
  });
}

function parseBound(le: string | undefined): number | null {
  if (le === undefined) return null;
  const t = le.toLowerCase();
  if (/^[+]?inf(inity)?$/.test(t)) return Infinity;
  if (/^-inf(inity)?$/.test(t)) return -Infinity;
  if (t === 'nan') return NaN;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/.test(t)) return null;
  return Number(t);
}

function histogramQuantile(q: Float64Array, input: StepSeries[], r: StepRange): StepSeries[] {
  // Bucket series group by all labels but `le`; the result drops `le` and the metric name.
  const groups = new Map<string, { labels: Labels; members: { s: StepSeries; bound: number }[] }>();
  for (const s of input) {
    const bound = parseBound(s.labels.le);
    if (bound === null) continue;
    const key = labelsKey(without(s.labels, ['le']));
    let g = groups.get(key);
    if (!g) {
      g = { labels: without(s.labels, ['le', '__name__']), members: [] };
      groups.set(key, g);
    }
    g.members.push({ s, bound });
  }
  const out = new SeriesCollector(r.n);
  for (const g of groups.values()) {
    const key = labelsKey(g.labels);
    for (let i = 0; i < r.n; i++) {
      const buckets: Bucket[] = [];
      for (const m of g.members) {
        if (m.s.present[i]) buckets.push({ upperBound: m.bound, count: m.s.values[i] });
      }
      if (buckets.length > 0) out.add(g.labels, key, i, bucketQuantile(q[i], buckets));
    }
  }
  return out.series();
}
