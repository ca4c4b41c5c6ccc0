import type { LabelMatcher, Labels, SampleSeries, SelectHints, SeriesReader } from '@tocsin/tsdb';
import { setStaleNaNAt } from '@tocsin/tsdb';
import { compileAnchoredRegex } from '../parser/literals';

interface StoredSeries {
  labels: Labels;
  timestamps: number[];
  /** Kept in a typed array so staleness markers keep their NaN payload. */
  values: Float64Array;
  length: number;
}

/** A sample to load: `stale: true` writes Prometheus' staleness marker instead of `value`. */
export interface MemorySample {
  t: number;
  v?: number;
  stale?: boolean;
}

function keyOf(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

/** Whether a label set satisfies a matcher; a missing label reads as the empty string. */
export function matchesLabel(labels: Labels, m: LabelMatcher, re?: RegExp): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return (re ?? compileAnchoredRegex(m.value)).test(v);
    case '!~':
      return !(re ?? compileAnchoredRegex(m.value)).test(v);
  }
}

/**
 * An in-memory SeriesReader for tests of the engine and of anything built on it. Tenants are
 * kept apart exactly as the real reader must: a select only ever sees its own orgId's series.
 */
export class MemorySeriesReader implements SeriesReader {
  private readonly orgs = new Map<string, Map<string, StoredSeries>>();
  /** Every select() call, for tests that check hints. */
  readonly selects: { orgId: string; matchers: LabelMatcher[]; hints: SelectHints }[] = [];

  /** Appends samples (must be in time order per series) to a series, creating it if needed. */
  add(orgId: string, labels: Labels, samples: MemorySample[]): this {
    let org = this.orgs.get(orgId);
    if (!org) {
      org = new Map();
      this.orgs.set(orgId, org);
    }
    const key = keyOf(labels);
    let s = org.get(key);
    if (!s) {
      s = { labels: { ...labels }, timestamps: [], values: new Float64Array(16), length: 0 };
      org.set(key, s);
    }
    for (const sample of samples) {
      const last = s.timestamps[s.length - 1];
      if (last !== undefined && sample.t <= last) {
        throw new Error(`out-of-order sample at ${sample.t} for ${key}`);
      }
      if (s.length === s.values.length) {
        const grown = new Float64Array(s.values.length * 2);
        grown.set(s.values);
        s.values = grown;
      }
      s.timestamps.push(sample.t);
      if (sample.stale) setStaleNaNAt(s.values, s.length);
      else s.values[s.length] = sample.v ?? 0;
      s.length++;
    }
    return this;
  }

  private matching(orgId: string, matchers: LabelMatcher[]): StoredSeries[] {
    const res = matchers.map((m) =>
      m.op === '=~' || m.op === '!~' ? compileAnchoredRegex(m.value) : undefined,
    );
    return [...(this.orgs.get(orgId)?.values() ?? [])].filter((s) =>
      matchers.every((m, i) => matchesLabel(s.labels, m, res[i])),
    );
  }

  async select(
    orgId: string,
    matchers: LabelMatcher[],
    hints: SelectHints,
  ): Promise<SampleSeries[]> {
    this.selects.push({ orgId, matchers, hints });
    const out: SampleSeries[] = [];
    for (const s of this.matching(orgId, matchers)) {
      let lo = 0;
      while (lo < s.length && s.timestamps[lo] < hints.start) lo++;
      let hi = lo;
      while (hi < s.length && s.timestamps[hi] <= hints.end) hi++;
      if (hi === lo) continue;
      out.push({
        labels: { ...s.labels },
        timestamps: Float64Array.from(s.timestamps.slice(lo, hi)),
        values: s.values.slice(lo, hi),
      });
    }
    return out;
  }

  private inRange(s: StoredSeries, start: number, end: number): boolean {
    for (let i = 0; i < s.length; i++)
      if (s.timestamps[i] >= start && s.timestamps[i] <= end) return true;
    return false;
  }

  private seriesIn(
    orgId: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): StoredSeries[] {
    const sets = matcherSets.length > 0 ? matcherSets : [[]];
    const found = new Map<string, StoredSeries>();
    for (const ms of sets) {
      for (const s of this.matching(orgId, ms)) {
        if (this.inRange(s, start, end)) found.set(keyOf(s.labels), s);
      }
    }
    return [...found.values()];
  }

  async series(
    orgId: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): Promise<Labels[]> {
    return this.seriesIn(orgId, matcherSets, start, end).map((s) => ({ ...s.labels }));
  }

  async labelNames(
    orgId: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): Promise<string[]> {
    const names = new Set<string>();
    for (const s of this.seriesIn(orgId, matcherSets, start, end))
      Object.keys(s.labels).forEach((n) => names.add(n));
    return [...names].sort();
  }

  async labelValues(
    orgId: string,
    name: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): Promise<string[]> {
    const values = new Set<string>();
    for (const s of this.seriesIn(orgId, matcherSets, start, end)) {
      if (s.labels[name] !== undefined && s.labels[name] !== '') values.add(s.labels[name]);
    }
    return [...values].sort();
  }
}
