import type { Labels } from '@tocsin/tsdb';
import { executionError } from '../errors';
import type { BinaryExpr, BinaryOp, VectorMatching } from '../parser/ast';
import { isComparison, isSetOp } from '../parser/ast';
import type { Evaluator } from './evaluator';
import {
  dropMetricName,
  formatLabels,
  keepOnly,
  keyOn,
  keyWithout,
  labelsKey,
  without,
} from './labels';
import type { EvalValue, StepRange, StepSeries } from './types';
import { SeriesCollector } from './types';

/** Go's math.Pow differs from `**` where the base is 1 or -1 (Pow(1, NaN) = 1). */
function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

/** Prometheus' vectorElemBinop: the value, and whether a comparison holds. */
function elemBinop(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+':
      return [l + r, true];
    case '-':
      return [l - r, true];
    case '*':
      return [l * r, true];
    case '/':
      return [l / r, true];
    case '%':
      return [l % r, true];
    case '^':
      return [goPow(l, r), true];
    case 'atan2':
      return [Math.atan2(l, r), true];
    case '==':
      return [l, l === r];
    case '!=':
      return [l, l !== r];
    case '>':
      return [l, l > r];
    case '<':
      return [l, l < r];
    case '>=':
      return [l, l >= r];
    case '<=':
      return [l, l <= r];
    default:
      throw executionError(`operator "${op}" not allowed here`);
  }
}

/** Arithmetic drops the metric name; plain comparisons filter and keep it. */
function dropsName(op: BinaryOp): boolean {
  return !isComparison(op) && !isSetOp(op);
}

export function evalBinary(ev: Evaluator, b: BinaryExpr, r: StepRange): EvalValue {
  const lhs = ev.eval(b.lhs, r);
  const rhs = ev.eval(b.rhs, r);
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const values = new Float64Array(r.n);
    for (let i = 0; i < r.n; i++) {
      const [v, keep] = elemBinop(b.op, lhs.values[i], rhs.values[i]);
      values[i] = isComparison(b.op) ? (keep ? 1 : 0) : v;
    }
    return { kind: 'scalar', values };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar') {
    return vectorScalar(b, lhs.series, rhs.values, false, r);
  }
  if (lhs.kind === 'scalar' && rhs.kind === 'vector') {
    return vectorScalar(b, rhs.series, lhs.values, true, r);
  }
  if (lhs.kind === 'vector' && rhs.kind === 'vector') {
    const matching = b.matching!;
    if (isSetOp(b.op))
      return { kind: 'vector', series: setOp(b.op, lhs.series, rhs.series, matching, r) };
    return { kind: 'vector', series: vectorVector(ev, b, lhs.series, rhs.series, matching, r) };
  }
  throw executionError('binary expression must contain only scalar and instant vector types');
}

function vectorScalar(
  b: BinaryExpr,
  series: StepSeries[],
  scalar: Float64Array,
  swap: boolean,
  r: StepRange,
): EvalValue {
  const out = new SeriesCollector(r.n);
  const comparison = isComparison(b.op);
  for (const s of series) {
    const labels = dropsName(b.op) || b.returnBool ? dropMetricName(s.labels) : s.labels;
    const key = labelsKey(labels);
    for (let i = 0; i < r.n; i++) {
      if (!s.present[i]) continue;
      let l = s.values[i];
      let rv = scalar[i];
      if (swap) [l, rv] = [rv, l];
      let [value, keep] = elemBinop(b.op, l, rv);
      // A comparison with the scalar on the left still yields the vector's value.
      if (comparison && swap) value = rv;
      if (b.returnBool) value = keep ? 1 : 0;
      else if (!keep) continue;
      out.add(labels, key, i, value);
    }
  }
  return { kind: 'vector', series: out.series() };
}

function signatureFn(matching: VectorMatching): (l: Labels) => string {
  return matching.on ? (l) => keyOn(l, matching.labels) : (l) => keyWithout(l, matching.labels);
}

function setOp(
  op: BinaryOp,
  lhs: StepSeries[],
  rhs: StepSeries[],
  matching: VectorMatching,
  r: StepRange,
): StepSeries[] {
  const sig = signatureFn(matching);
  const lsigs = lhs.map((s) => sig(s.labels));
  const rsigs = rhs.map((s) => sig(s.labels));
  const lkeys = lhs.map((s) => labelsKey(s.labels));
  const rkeys = rhs.map((s) => labelsKey(s.labels));
  const out = new SeriesCollector(r.n);
  for (let i = 0; i < r.n; i++) {
    if (op === 'or') {
      const leftSigs = new Set<string>();
      lhs.forEach((s, j) => {
        if (!s.present[i]) return;
        leftSigs.add(lsigs[j]);
        out.add(s.labels, lkeys[j], i, s.values[i]);
      });
      rhs.forEach((s, j) => {
        if (s.present[i] && !leftSigs.has(rsigs[j])) out.add(s.labels, rkeys[j], i, s.values[i]);
      });
      continue;
    }
    const rightSigs = new Set<string>();
    rhs.forEach((s, j) => {
      if (s.present[i]) rightSigs.add(rsigs[j]);
    });
    const wantMatch = op === 'and';
    lhs.forEach((s, j) => {
      if (s.present[i] && rightSigs.has(lsigs[j]) === wantMatch)
        out.add(s.labels, lkeys[j], i, s.values[i]);
    });
  }
  return out.series();
}

/** Prometheus' resultMetric: the labels of one matched pair's result. */
function resultLabels(
  l: Labels,
  rOne: Labels,
  op: BinaryOp,
  matching: VectorMatching,
  returnBool: boolean,
): Labels {
  let labels = dropsName(op) || returnBool ? dropMetricName(l) : { ...l };
  if (matching.card === 'one-to-one') {
    labels = matching.on ? keepOnly(labels, matching.labels) : without(labels, matching.labels);
  }
  for (const name of matching.include) {
    const v = rOne[name];
    if (v !== undefined && v !== '') labels[name] = v;
    else delete labels[name];
  }
  return labels;
}

function vectorVector(
  ev: Evaluator,
  b: BinaryExpr,
  lhsIn: StepSeries[],
  rhsIn: StepSeries[],
  matching: VectorMatching,
  r: StepRange,
): StepSeries[] {
  const sig = signatureFn(matching);
  // Evaluate one-to-many as many-to-one with the sides swapped, as Prometheus does.
  const swapped = matching.card === 'one-to-many';
  const many = swapped ? rhsIn : lhsIn;
  const one = swapped ? lhsIn : rhsIn;
  const manySigs = many.map((s) => sig(s.labels));
  const oneSigs = one.map((s) => sig(s.labels));
  const pairCache = new Map<string, { labels: Labels; key: string }>();
  const out = new SeriesCollector(r.n);
  for (let i = 0; i < r.n; i++) {
    ev.check();
    const oneBySig = new Map<string, number>();
    one.forEach((s, j) => {
      if (!s.present[i]) return;
      const prev = oneBySig.get(oneSigs[j]);
      if (prev !== undefined) {
        const side = swapped ? 'left' : 'right';
        const group = matching.on
          ? keepOnly(s.labels, matching.labels)
          : without(s.labels, [...matching.labels, '__name__']);
        throw executionError(
          `found duplicate series for the match group ${formatLabels(group)} on the ${side} hand-side of the operation: ` +
            `[${formatLabels(s.labels)}, ${formatLabels(one[prev].labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      oneBySig.set(oneSigs[j], j);
    });
    const matched = new Map<string, Set<string> | null>();
    for (let j = 0; j < many.length; j++) {
      const ls = many[j];
      if (!ls.present[i]) continue;
      const sigj = manySigs[j];
      const k = oneBySig.get(sigj);
      if (k === undefined) continue;
      let vl = ls.values[i];
      let vr = one[k].values[i];
      if (swapped) [vl, vr] = [vr, vl];
      let [value, keep] = elemBinop(b.op, vl, vr);
      if (b.returnBool) value = keep ? 1 : 0;
      else if (!keep) continue;
      const pairKey = `${j}:${k}`;
      let res = pairCache.get(pairKey);
      if (!res) {
        const labels = resultLabels(ls.labels, one[k].labels, b.op, matching, b.returnBool);
        res = { labels, key: labelsKey(labels) };
        pairCache.set(pairKey, res);
      }
      const inserted = matched.get(sigj);
      if (matching.card === 'one-to-one') {
        if (inserted !== undefined) {
          throw executionError(
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        }
        matched.set(sigj, null);
      } else {
        let set = inserted;
        if (!set) {
          set = new Set();
          matched.set(sigj, set);
        } else if (set.has(res.key)) {
          throw executionError(
            'multiple matches for labels: grouping labels must ensure unique matches',
          );
        }
        set.add(res.key);
      }
      out.add(res.labels, res.key, i, value);
    }
  }
  return out.series();
}
