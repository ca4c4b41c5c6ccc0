import type { Labels, WindowEnds } from '@tocsin/tsdb';
import { executionError } from '../errors';

/** The evaluation grid: `n` steps from `start`, `step` ms apart. */
export interface StepRange {
  start: number;
  end: number;
  step: number;
  n: number;
}

export function stepRange(start: number, end: number, step: number): StepRange {
  const n = end < start ? 0 : Math.floor((end - start) / step) + 1;
  return { start, end, step, n };
}

export function stepTime(r: StepRange, i: number): number {
  return r.start + i * r.step;
}

/** One output series of an instant-vector expression over all steps of the grid. */
export interface StepSeries {
  labels: Labels;
  values: Float64Array;
  present: Uint8Array;
}

/** Samples of a range vector, oldest first, staleness markers removed. */
export interface RawSeries {
  labels: Labels;
  timestamps: Float64Array;
  values: Float64Array;
  /** Windows read by their ends (see END_FUNCTIONS); their samples are not in the arrays. */
  ends?: WindowEnds;
}

export type EvalValue =
  | { kind: 'scalar'; values: Float64Array }
  | { kind: 'string'; value: string }
  | { kind: 'vector'; series: StepSeries[] }
  | { kind: 'matrix'; series: RawSeries[] };

export function newStepSeries(labels: Labels, n: number): StepSeries {
  return { labels, values: new Float64Array(n), present: new Uint8Array(n) };
}

export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';

/**
 * Gathers output samples by label set across steps, the way Prometheus' rangeEval merges each
 * step's vector into series, and rejects two samples with one label set at one step.
 */
export class SeriesCollector {
  private readonly byKey = new Map<string, StepSeries>();

  constructor(private readonly n: number) {}

  add(labels: Labels, key: string, step: number, value: number): void {
    this.put(this.target(labels, key), step, value);
  }

  /** The output series for a label set, for callers that write many steps to it. */
  target(labels: Labels, key: string): StepSeries {
    let s = this.byKey.get(key);
    if (!s) {
      s = newStepSeries(labels, this.n);
      this.byKey.set(key, s);
    }
    return s;
  }

  put(s: StepSeries, step: number, value: number): void {
    if (s.present[step]) throw executionError(DUPLICATE_LABELSET);
    s.present[step] = 1;
    s.values[step] = value;
  }

  /** The output, leaving out series that were never written (a target nothing was put to). */
  series(): StepSeries[] {
    return [...this.byKey.values()].filter((s) => s.present.some((p) => p === 1));
  }
}
