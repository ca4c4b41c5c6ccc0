import type { Labels } from '@tocsin/tsdb';
import { executionError } from '../errors';
import type { AggregateExpr } from '../parser/ast';
import type { Evaluator } from './evaluator';
import { formatFloatPlain, formatGoBeyondInt64 } from './format';
import { isValidLabelName } from './label-functions';
import { keepOnly, keyOn, keyWithout, labelsKey, without } from './labels';
import { quantileOf } from './range-functions';
import type { StepRange, StepSeries } from './types';
import { SeriesCollector } from './types';

interface Group {
  labels: Labels;
  key: string;
  members: number[];
}

/** Aggregation operators with by/without, following Prometheus 2.42's aggregation(). */
export function evalAggregate(ev: Evaluator, a: AggregateExpr, r: StepRange): StepSeries[] {
  const param = a.param && a.op !== 'count_values' ? ev.evalScalar(a.param, r) : undefined;
  const input = ev.evalVector(a.expr, r);
  const grouping = a.grouping;
  if (a.op === 'count_values') {
    const label = ev.evalString(a.param!, r);
    if (!isValidLabelName(label)) throw executionError(`invalid label name "${label}"`);
    return countValues(input, a, label, r);
  }
  if (a.op === 'topk' || a.op === 'bottomk') return topk(input, a, param!, r);

  const groups = groupSeries(input, grouping, a.without);
  const out = new SeriesCollector(r.n);
  // Only quantile keeps a step's values: emptying an array per step and group was an eighth of
  // a 7-day `max by` (20,000 steps of one-member groups).
  const quantile = a.op === 'quantile';
  const vals: number[] = [];
  for (const g of groups) {
    const target = out.target(g.labels, g.key);
    for (let i = 0; i < r.n; i++) {
      ev.check();
      let count = 0;
      let value = 0;
      let mean = 0;
      if (quantile) vals.length = 0;
      for (const idx of g.members) {
        const s = input[idx];
        if (!s.present[i]) continue;
        const v = s.values[i];
        count++;
        if (count === 1) {
          value = a.op === 'stddev' || a.op === 'stdvar' ? 0 : a.op === 'group' ? 1 : v;
          mean = v;
          if (quantile) vals.push(v);
          continue;
        }
        switch (a.op) {
          case 'sum':
            value += v;
            break;
          case 'avg':
            if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
              if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) break;
              if (Number.isFinite(v)) break;
            }
            // Dividing each side first avoids overflowing float64 on large values.
            mean += v / count - mean / count;
            break;
          case 'max':
            if (value < v || Number.isNaN(value)) value = v;
            break;
          case 'min':
            if (value > v || Number.isNaN(value)) value = v;
            break;
          case 'stddev':
          case 'stdvar': {
            const delta = v - mean;
            mean += delta / count;
            value += delta * (v - mean);
            break;
          }
          case 'quantile':
            vals.push(v);
            break;
          default:
            break;
        }
      }
      if (count === 0) continue;
      let result: number;
      switch (a.op) {
        case 'avg':
          result = mean;
          break;
        case 'count':
          result = count;
          break;
        case 'stdvar':
          result = value / count;
          break;
        case 'stddev':
          result = Math.sqrt(value / count);
          break;
        case 'quantile':
          result = quantileOf(param![i], vals);
          break;
        default:
          result = value;
      }
      out.put(target, i, result);
    }
  }
  return out.series();
}

function groupSeries(input: StepSeries[], grouping: string[], isWithout: boolean): Group[] {
  const groups = new Map<string, Group>();
  input.forEach((s, idx) => {
    const key = isWithout ? keyWithout(s.labels, grouping) : keyOn(s.labels, grouping);
    let g = groups.get(key);
    if (!g) {
      const labels = isWithout
        ? without(s.labels, [...grouping, '__name__'])
        : keepOnly(s.labels, grouping);
      g = { labels, key: labelsKey(labels), members: [] };
      groups.set(key, g);
    }
    g.members.push(idx);
  });
  return [...groups.values()];
}

/**
 * topk/bottomk with Prometheus' exact heap procedure (container/heap over the input order), so
 * that ties pick the same series Prometheus picks.
 */
function topk(
  input: StepSeries[],
  a: AggregateExpr,
  param: Float64Array,
  r: StepRange,
): StepSeries[] {
  const groups = groupSeries(input, a.grouping, a.without);
  const bottom = a.op === 'bottomk';
  const out = new SeriesCollector(r.n);
  const keys = input.map((s) => labelsKey(s.labels));
  for (let i = 0; i < r.n; i++) {
    // Prometheus converts k to an int64 at every step, input or not, and fails the query on
    // a k that does not convert (its convertibleToInt64 bounds).
    if (!(param[i] <= 9223372036854774784 && param[i] >= -9223372036854775808))
      throw executionError(`Scalar value ${formatGoBeyondInt64(param[i])} overflows int64`);
    const k = Math.trunc(param[i]);
    if (!(k >= 1)) continue;
    const value = (idx: number) => input[idx].values[i];
    // The heap keeps the element to evict next on top: the smallest for topk.
    const less = (x: number, y: number) => {
      const vx = value(x);
      if (Number.isNaN(vx)) return true;
      return bottom ? vx > value(y) : vx < value(y);
    };
    for (const g of groups) {
      const heap: number[] = [];
      for (const idx of g.members) {
        if (!input[idx].present[i]) continue;
        const v = value(idx);
        const top = heap.length > 0 ? value(heap[0]) : NaN;
        if (heap.length < k || (bottom ? top > v : top < v) || Number.isNaN(top)) {
          if (heap.length === k) {
            if (k === 1) {
              heap[0] = idx;
              continue;
            }
            // heap.Pop: move the top to the end, restore the heap, drop it.
            [heap[0], heap[heap.length - 1]] = [heap[heap.length - 1], heap[0]];
            heapDown(heap, 0, heap.length - 1, less);
            heap.pop();
          }
          heap.push(idx);
          heapUp(heap, heap.length - 1, less);
        }
      }
      // Best first, as Prometheus reverse-sorts the heap; only an instant query shows the order.
      heap.sort((x, y) => (less(x, y) ? 1 : less(y, x) ? -1 : 0));
      for (const idx of heap) out.add(input[idx].labels, keys[idx], i, value(idx));
    }
  }
  return out.series();
}

function heapUp(h: number[], j: number, less: (a: number, b: number) => boolean): void {
  for (;;) {
    const i = Math.trunc((j - 1) / 2);
    if (i === j || !less(h[j], h[i])) break;
    [h[i], h[j]] = [h[j], h[i]];
    j = i;
  }
}

function heapDown(
  h: number[],
  i0: number,
  n: number,
  less: (a: number, b: number) => boolean,
): boolean {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n) break;
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && less(h[j2], h[j1])) j = j2;
    if (!less(h[j], h[i])) break;
    [h[i], h[j]] = [h[j], h[i]];
    i = j;
  }
  return i > i0;
}

function countValues(
  input: StepSeries[],
  a: AggregateExpr,
  label: string,
  r: StepRange,
): StepSeries[] {
  const grouping = a.without ? a.grouping : [...a.grouping, label];
  const out = new SeriesCollector(r.n);
  for (let i = 0; i < r.n; i++) {
    const counts = new Map<string, { labels: Labels; n: number }>();
    for (const s of input) {
      if (!s.present[i]) continue;
      const withValue = { ...s.labels, [label]: formatFloatPlain(s.values[i]) };
      const labels = a.without
        ? without(withValue, [...grouping, '__name__'])
        : keepOnly(withValue, grouping);
      const key = labelsKey(labels);
      const c = counts.get(key);
      if (c) c.n++;
      else counts.set(key, { labels, n: 1 });
    }
    for (const [key, c] of counts) out.add(c.labels, key, i, c.n);
  }
  return out.series();
}
