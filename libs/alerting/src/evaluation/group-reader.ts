import type { PoolClient } from 'pg';
import {
  collectSelectors,
  DEFAULT_LOOKBACK_DELTA_MS,
  DEFAULT_SUBQUERY_STEP_MS,
  type Expr,
} from '@tocsin/promql';
import {
  findSeries,
  readSamples,
  windowsOf,
  type FoundSeries,
  type LabelMatcher,
  type Labels,
  type SampleSeries,
  type SampleWindows,
  type SelectHints,
  type SeriesReader,
} from '@tocsin/tsdb';

/** One `SeriesReader.select` an instant query makes. */
export interface SelectRequest {
  matchers: LabelMatcher[];
  hints: SelectHints;
}

/** PgSeriesReader's own limit: past it the base reader answers, and fails as it always did. */
const MAX_SERIES = 200_000;

/**
 * The selects the engine makes for an instant query of `ast` at `at` (the engine's defaults:
 * 5 m lookback, 1 m subquery step), and the look-ups a no-data check makes.
 */
export function instantSelects(ast: Expr, at: number): SelectRequest[] {
  return collectSelectors(
    ast,
    { start: at, end: at, step: 1, n: 1 },
    { lookbackMs: DEFAULT_LOOKBACK_DELTA_MS, subqueryStepMs: DEFAULT_SUBQUERY_STEP_MS },
  ).map(({ node, hints }) => ({ matchers: node.matchers, hints }));
}

const selectKey = (matchers: LabelMatcher[], hints: SelectHints) =>
  JSON.stringify([matchers, hints]);
const samplesKey = (hints: SelectHints) =>
  JSON.stringify([hints.start, hints.end, windowsOf(hints) ?? null]);
const findKey = (matchers: LabelMatcher[], start: number) => JSON.stringify([matchers, start]);
const rangeKey = (matchers: LabelMatcher[], start: number, end: number) =>
  JSON.stringify([matchers, start, end]);

/** Matchers this module evaluates itself; regexes go to PostgreSQL's engine through the base. */
function isSimple(matchers: LabelMatcher[]): boolean {
  return matchers.length > 0 && matchers.every((m) => m.op === '=' || m.op === '!=');
}

/** As matchers-sql does it: empty label values are never stored, so absent and "" are equal. */
function matchesSimple(labels: Labels, matchers: LabelMatcher[]): boolean {
  for (const m of matchers) {
    const v = labels[m.name] ?? '';
    if (m.op === '=' ? v !== m.value : v === m.value) return false;
  }
  return true;
}

/**
 * The reader one rule-group evaluation queries through. `prefetch` reads what the group's
 * rules will select in a few statements on the group's own client (one series look-up per
 * distinct range start for all equality/inequality selectors, one sample read per distinct
 * range) instead of a transaction per select; identical selects of several rules are read
 * once. The results are exactly what `PgSeriesReader.select`/`series` return for those
 * arguments; anything not prefetched (regex matchers, a series limit overrun, label APIs) goes
 * to the base reader unchanged.
 */
export class PrefetchedReader implements SeriesReader {
  private readonly selected = new Map<string, SampleSeries[]>();
  private readonly found = new Map<string, Labels[]>();

  constructor(private readonly base: SeriesReader) {}

  /** How many selects were answered from the prefetch (for tests and diagnostics). */
  hits = 0;

  async prefetch(client: PoolClient, orgId: string, requests: SelectRequest[]): Promise<void> {
    const unique = new Map<string, SelectRequest>();
    for (const r of requests)
      if (isSimple(r.matchers)) unique.set(selectKey(r.matchers, r.hints), r);
    if (!unique.size) return;
    // Series look-ups: `findSeries` filters by the range start only, so one query per start.
    const sets = new Map<number, Map<string, LabelMatcher[]>>();
    for (const r of unique.values()) {
      const byStart = sets.get(r.hints.start) ?? new Map<string, LabelMatcher[]>();
      byStart.set(findKey(r.matchers, r.hints.start), r.matchers);
      sets.set(r.hints.start, byStart);
    }
    const foundBy = new Map<string, FoundSeries[]>();
    for (const [start, byKey] of sets) {
      const rows = await findSeries(client, orgId, [...byKey.values()], start, MAX_SERIES + 1);
      if (rows.length > MAX_SERIES) continue;
      for (const [key, matchers] of byKey)
        foundBy.set(
          key,
          rows.filter((f) => matchesSimple(f.labels, matchers)),
        );
    }
    // Samples: one read per distinct range, of every series some select over it needs.
    // Keyed by the step windows too: PgSeriesReader reads only the samples a select's windows
    // need, and a prefetched answer must be the same one.
    const ranges = new Map<
      string,
      { start: number; end: number; windows: SampleWindows | undefined; ids: Set<number> }
    >();
    for (const r of unique.values()) {
      const found = foundBy.get(findKey(r.matchers, r.hints.start));
      if (!found) continue;
      const k = samplesKey(r.hints);
      const range = ranges.get(k) ?? {
        start: r.hints.start,
        end: r.hints.end,
        windows: windowsOf(r.hints),
        ids: new Set<number>(),
      };
      for (const f of found) range.ids.add(f.id);
      ranges.set(k, range);
    }
    const samplesBy = new Map<string, Awaited<ReturnType<typeof readSamples>>>();
    for (const [k, range] of ranges)
      samplesBy.set(
        k,
        range.ids.size
          ? await readSamples(client, orgId, [...range.ids], range.start, range.end, range.windows)
          : new Map(),
      );
    for (const [key, r] of unique) {
      const found = foundBy.get(findKey(r.matchers, r.hints.start));
      if (!found) continue;
      const samples = samplesBy.get(samplesKey(r.hints))!;
      const out: SampleSeries[] = [];
      for (const f of found) {
        const s = samples.get(f.id);
        if (s) out.push({ labels: f.labels, timestamps: s.timestamps, values: s.values });
      }
      this.selected.set(key, out);
      this.found.set(
        rangeKey(r.matchers, r.hints.start, r.hints.end),
        found.map((f) => f.labels),
      );
    }
  }

  select(orgId: string, matchers: LabelMatcher[], hints: SelectHints): Promise<SampleSeries[]> {
    const hit = this.selected.get(selectKey(matchers, hints));
    if (hit) {
      this.hits++;
      return Promise.resolve(hit);
    }
    return this.base.select(orgId, matchers, hints);
  }

  series(
    orgId: string,
    matcherSets: LabelMatcher[][],
    start: number,
    end: number,
  ): Promise<Labels[]> {
    const hit =
      matcherSets.length === 1 ? this.found.get(rangeKey(matcherSets[0], start, end)) : undefined;
    if (hit) {
      this.hits++;
      return Promise.resolve(hit);
    }
    return this.base.series(orgId, matcherSets, start, end);
  }

  labelNames(orgId: string, sets: LabelMatcher[][], start: number, end: number) {
    return this.base.labelNames(orgId, sets, start, end);
  }

  labelValues(orgId: string, name: string, sets: LabelMatcher[][], start: number, end: number) {
    return this.base.labelValues(orgId, name, sets, start, end);
  }
}
