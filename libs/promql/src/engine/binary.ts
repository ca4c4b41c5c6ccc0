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

/** Arithmetic of Prometheus' vectorElemBinop. */
function arith(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return goPow(l, r);
    case 'atan2':
      return Math.atan2(l, r);
    default:
      throw executionError(`operator "${op}" not allowed here`);
  }
}

/** Whether a comparison holds; NaN compares false except under `!=`, as in Go. */
function holds(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    default:
      throw executionError(`operator "${op}" not allowed here`);
  }
}

/**
 * Prometheus' vectorElemBinop, without allocating: comparisons yield the left value when they
 * hold and `DROP` when they do not (under `bool`, 1 or 0).
 */
const DROP = Symbol('drop');
type ElemBinop = (l: number, r: number) => number | typeof DROP;

/** Resolves the operator once, outside the per-sample loops. */
function elemBinopFor(op: BinaryOp, returnBool: boolean): ElemBinop {
  if (!isComparison(op)) return (l, r) => arith(op, l, r);
  if (returnBool) return (l, r) => (holds(op, l, r) ? 1 : 0);
  return (l, r) => (holds(op, l, r) ? l : DROP);
}

/** Arithmetic drops the metric name; plain comparisons filter and keep it. */
/**
 * Prometheus 2.42's shouldDropMetricName: the arithmetic operators drop the metric name, but
 * `atan2` is not among them (so `a atan2 b` keeps `a`'s name there; later versions drop it).
 */
function dropsName(op: BinaryOp): boolean {
  return !isComparison(op) && !isSetOp(op) && op !== 'atan2';
}

export function evalBinary(ev: Evaluator, b: BinaryExpr, r: StepRange): EvalValue {
  const lhs = ev.eval(b.lhs, r);
  const rhs = ev.eval(b.rhs, r);
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const values = new Float64Array(r.n);
    const elemBinop = elemBinopFor(b.op, true);
    for (let i = 0; i < r.n; i++) {
      const v = elemBinop(lhs.values[i], rhs.values[i]);
      values[i] = v === DROP ? 0 : v;
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
  const elemBinop = elemBinopFor(b.op, b.returnBool);
  for (const s of series) {
    const labels = dropsName(b.op) || b.returnBool ? dropMetricName(s.labels) : s.labels;
    const target = out.target(labels, labelsKey(labels));
    for (let i = 0; i < r.n; i++) {
      if (!s.present[i]) continue;
      const own = s.values[i];
      const v = swap ? elemBinop(scalar[i], own) : elemBinop(own, scalar[i]);
      if (v === DROP) continue;
      // A comparison with the scalar on the left still yields the vector's value.
      out.put(target, i, comparison && swap && !b.returnBool ? own : v);
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

/** Interns signature strings as small integers so per-step matching avoids string hashing. */
function internSignatures(sigs: string[], ids: Map<string, number>): Int32Array {
  const out = new Int32Array(sigs.length);
  sigs.forEach((sig, i) => {
    let id = ids.get(sig);
    if (id === undefined) {
      id = ids.size;
      ids.set(sig, id);
    }
    out[i] = id;
  });
  return out;
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
  const ids = new Map<string, number>();
  const oneSigs = internSignatures(
    one.map((s) => sig(s.labels)),
    ids,
  );
  const manySigs = internSignatures(
    many.map((s) => sig(s.labels)),
    ids,
  );
  // Per-signature scratch, valid for the step it is stamped with.
  const oneAt = new Int32Array(ids.size);
  const oneStamp = new Int32Array(ids.size).fill(-1);
  const matchedStamp = new Int32Array(ids.size).fill(-1);
  const insertedBySig = new Map<number, Set<string>>();
  const pairCache = new Map<number, { series: StepSeries; key: string }>();
  const elemBinop = elemBinopFor(b.op, b.returnBool);
  const out = new SeriesCollector(r.n);
  for (let i = 0; i < r.n; i++) {
    ev.check();
    for (let k = 0; k < one.length; k++) {
      const s = one[k];
      if (!s.present[i]) continue;
      const id = oneSigs[k];
      if (oneStamp[id] === i) {
        const prev = one[oneAt[id]];
        const side = swapped ? 'left' : 'right';
        const group = matching.on
          ? keepOnly(s.labels, matching.labels)
          : without(s.labels, [...matching.labels, '__name__']);
        throw executionError(
          `found duplicate series for the match group ${formatLabels(group)} on the ${side} hand-side of the operation: ` +
            `[${formatLabels(s.labels)}, ${formatLabels(prev.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      oneStamp[id] = i;
      oneAt[id] = k;
    }
    if (matching.card !== 'one-to-one') insertedBySig.clear();
    for (let j = 0; j < many.length; j++) {
      const ls = many[j];
      if (!ls.present[i]) continue;
      const id = manySigs[j];
      if (oneStamp[id] !== i) continue;
      const k = oneAt[id];
      const value = swapped
        ? elemBinop(one[k].values[i], ls.values[i])
        : elemBinop(ls.values[i], one[k].values[i]);
      if (value === DROP) continue;
      const pairKey = j * one.length + k;
      let res = pairCache.get(pairKey);
      if (!res) {
        const labels = resultLabels(ls.labels, one[k].labels, b.op, matching, b.returnBool);
        const key = labelsKey(labels);
        res = { series: out.target(labels, key), key };
        pairCache.set(pairKey, res);
      }
      if (matching.card === 'one-to-one') {
        if (matchedStamp[id] === i) {
          throw executionError(
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        }
        matchedStamp[id] = i;
      } else {
        let set = insertedBySig.get(id);
        if (!set) {
          set = new Set();
          insertedBySig.set(id, set);
        } else if (set.has(res.key)) {
          throw executionError(
            'multiple matches for labels: grouping labels must ensure unique matches',
          );
        }
        set.add(res.key);
      }
      out.put(res.series, i, value);
    }
  }
  return out.series();
}
