import type { PoolClient } from 'pg';
import {
  collectSelectors,
  DEFAULT_LOOKBACK_DELTA_MS,
  DEFAULT_SUBQUERY_STEP_MS,
  type Expr,
} from '@tocsin/promql';
import {
  findSeries,
  re2ToPostgres,
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

/**
 * How a select can be prefetched: `simple` (only `=`/`!=`, decided here), `regex` (also
 * `=~`/`!~`, decided by PostgreSQL's regex engine on the translation the select path uses), or
 * null (no matchers, or a regex the translator refuses: the base reader answers, and fails as
 * it always did).
 */
function prefetchKind(matchers: LabelMatcher[]): 'simple' | 'regex' | null {
  if (!matchers.length) return null;
  let kind: 'simple' | 'regex' = 'simple';
  for (const m of matchers) {
    if (m.op === '=' || m.op === '!=') continue;
    if (m.op !== '=~' && m.op !== '!~') return null;
    try {
      re2ToPostgres(m.value);
    } catch {
      return null;
    }
    kind = 'regex';
  }
  return kind;
}

/**
 * Which label values each regex matches, as `value ~ re2ToPostgres(regex)` — the condition
 * matchers-sql writes for `=~` (its `.*`, `.+` and literal-alternative shortcuts are the same
 * predicate, without the regex engine). Filled by one statement over all (regex, value) pairs
 * the group needs, so a series is in a regex select's answer exactly when PostgreSQL would have
 * selected it.
 */
class RegexVerdicts {
  private readonly needed = new Map<string, Set<string>>();
  private readonly matched = new Map<string, Set<string>>();

  need(regex: string, value: string): void {
    const values = this.needed.get(regex) ?? new Set<string>();
    values.add(value);
    this.needed.set(regex, values);
  }

  async resolve(client: PoolClient): Promise<void> {
    const patterns: string[] = [];
    const values: string[] = [];
    const regexes: string[] = [];
    // Grouped by pattern: PostgreSQL caches only a few compiled regexes per backend.
    for (const [regex, vs] of this.needed) {
      const pattern = re2ToPostgres(regex);
      for (const v of vs) {
        patterns.push(pattern);
        values.push(v);
        regexes.push(regex);
      }
    }
    if (!patterns.length) return;
    const { rows } = await client.query<{ i: string }>(
      'SELECT p.i FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(re, v, i) WHERE p.v ~ p.re',
      [patterns, values],
    );
    for (const { i } of rows) {
      const k = Number(i) - 1;
      const set = this.matched.get(regexes[k]) ?? new Set<string>();
      set.add(values[k]);
      this.matched.set(regexes[k], set);
    }
  }

  matches(regex: string, value: string): boolean {
    return this.matched.get(regex)?.has(value) ?? false;
  }
}

/** As matchers-sql does it: empty label values are never stored, so absent and "" are equal. */
function matchesSimple(labels: Labels, matchers: LabelMatcher[]): boolean {
  for (const m of matchers) {
    if (m.op !== '=' && m.op !== '!=') continue;
    const v = labels[m.name] ?? '';
    if (m.op === '=' ? v !== m.value : v === m.value) return false;
  }
  return true;
}

function matchesRegex(labels: Labels, matchers: LabelMatcher[], verdicts: RegexVerdicts): boolean {
  for (const m of matchers) {
    if (m.op !== '=~' && m.op !== '!~') continue;
    if (verdicts.matches(m.value, labels[m.name] ?? '') !== (m.op === '=~')) return false;
  }
  return true;
}

interface Prefetched {
  selected: Map<string, SampleSeries[]>;
  found: Map<string, Labels[]>;
}

/**
 * The answers to `unique` (by select key) in a few statements on `client`: one series look-up
 * per distinct range start for all selects (their matcher sets OR-ed, so PostgreSQL applies
 * each set's conditions as matchers-sql writes them), one statement deciding every
 * (regex, label value) pair those series need, one sample read per distinct range.
 */
async function readSelects(
  client: PoolClient,
  orgId: string,
  unique: Map<string, SelectRequest>,
): Promise<Prefetched> {
  // Series look-ups: `findSeries` filters by the range start only, so one query per start.
  const sets = new Map<number, Map<string, LabelMatcher[]>>();
  for (const r of unique.values()) {
    const byStart = sets.get(r.hints.start) ?? new Map<string, LabelMatcher[]>();
    byStart.set(findKey(r.matchers, r.hints.start), r.matchers);
    sets.set(r.hints.start, byStart);
  }
  const candidates = new Map<string, { matchers: LabelMatcher[]; found: FoundSeries[] }>();
  const verdicts = new RegexVerdicts();
  for (const [start, byKey] of sets) {
    const rows = await findSeries(client, orgId, [...byKey.values()], start, MAX_SERIES + 1);
    if (rows.length > MAX_SERIES) continue;
    for (const [key, matchers] of byKey) {
      const found = rows.filter((f) => matchesSimple(f.labels, matchers));
      for (const m of matchers)
        if (m.op === '=~' || m.op === '!~')
          for (const f of found) verdicts.need(m.value, f.labels[m.name] ?? '');
      candidates.set(key, { matchers, found });
    }
  }
  await verdicts.resolve(client);
  const foundBy = new Map<string, FoundSeries[]>();
  for (const [key, { matchers, found }] of candidates)
    foundBy.set(
      key,
      found.filter((f) => matchesRegex(f.labels, matchers, verdicts)),
    );
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
  const out: Prefetched = { selected: new Map(), found: new Map() };
  for (const [key, r] of unique) {
    const found = foundBy.get(findKey(r.matchers, r.hints.start));
    if (!found) continue;
    const samples = samplesBy.get(samplesKey(r.hints))!;
    const series: SampleSeries[] = [];
    for (const f of found) {
      const s = samples.get(f.id);
      if (s) series.push({ labels: f.labels, timestamps: s.timestamps, values: s.values });
    }
    out.selected.set(key, series);
    out.found.set(
      rangeKey(r.matchers, r.hints.start, r.hints.end),
      found.map((f) => f.labels),
    );
  }
  return out;
}

/**
 * The reader one rule-group evaluation queries through. `prefetch` reads what the group's
 * rules will select in a few statements on the group's own client (see `readSelects`; regex
 * selects add a savepoint and one statement deciding their regexes) instead of a transaction
 * per select; identical selects of several rules are read once. The results are exactly what
 * `PgSeriesReader.select`/`series` return for those arguments; anything not prefetched (a regex
 * the translator refuses, a series limit overrun, label APIs) goes to the base reader unchanged.
 */
export class PrefetchedReader implements SeriesReader {
  private readonly selected = new Map<string, SampleSeries[]>();
  private readonly found = new Map<string, Labels[]>();

  constructor(private readonly base: SeriesReader) {}

  /** How many selects were answered from the prefetch (for tests and diagnostics). */
  hits = 0;

  /** `client` must be in a transaction (the group's, from `withOrgClient`): regexes use a savepoint. */
  async prefetch(client: PoolClient, orgId: string, requests: SelectRequest[]): Promise<void> {
    const unique = new Map<string, SelectRequest>();
    let regex = false;
    for (const r of requests) {
      const kind = prefetchKind(r.matchers);
      if (!kind) continue;
      regex ||= kind === 'regex';
      unique.set(selectKey(r.matchers, r.hints), r);
    }
    if (!unique.size) return;
    if (!regex) return this.keep(await readSelects(client, orgId, unique));
    // A translated regex PostgreSQL still rejects (or finds too complex) fails its statement,
    // and a failed statement aborts the group's transaction. So regexes are read under a
    // savepoint; if that fails, only the other selects are prefetched and the base reader
    // answers the regex ones on its own connection — failing the rule as it always did.
    await client.query('SAVEPOINT prefetch_regex');
    let read: Prefetched | undefined;
    try {
      read = await readSelects(client, orgId, unique);
    } catch {
      await client.query('ROLLBACK TO SAVEPOINT prefetch_regex');
      for (const [key, r] of unique) if (prefetchKind(r.matchers) !== 'simple') unique.delete(key);
      if (unique.size) read = await readSelects(client, orgId, unique);
    }
    await client.query('RELEASE SAVEPOINT prefetch_regex');
    if (read) this.keep(read);
  }

  private keep(read: Prefetched): void {
    for (const [k, v] of read.selected) this.selected.set(k, v);
    for (const [k, v] of read.found) this.found.set(k, v);
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
