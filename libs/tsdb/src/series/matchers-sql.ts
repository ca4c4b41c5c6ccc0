import type { LabelMatcher } from '../model';
import { TsdbInputError } from '../tsdb.errors';
import { literalAlternatives, re2ToPostgres } from './re2-to-postgres';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Collects positional parameters while a WHERE clause is built. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * One matcher set as a SQL condition over `series s`. Empty label values are never stored, so
 * "absent" and "empty" are the same, as in Prometheus. Equality uses jsonb containment (GIN);
 * regexes use `~` with full anchoring; a regex that is only literal alternatives becomes `= ANY`.
 */
export function matchersToSql(matchers: LabelMatcher[], params: SqlParams): string {
  if (!Array.isArray(matchers)) throw new TsdbInputError('matchers must be an array');
  const parts = matchers.map((m) => matcherToSql(m, params));
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

/** Matcher sets OR-ed together (the `match[]` of the series and label APIs); none means all. */
export function matcherSetsToSql(sets: LabelMatcher[][], params: SqlParams): string {
  if (!Array.isArray(sets)) throw new TsdbInputError('matcher sets must be an array');
  if (sets.length === 0) return 'TRUE';
  return sets.map((set) => `(${matchersToSql(set, params)})`).join(' OR ');
}

function matcherToSql(m: LabelMatcher, params: SqlParams): string {
  if (!m || typeof m.name !== 'string' || typeof m.value !== 'string') {
    throw new TsdbInputError('a matcher needs a string name and value');
  }
  if (!LABEL_NAME.test(m.name))
    throw new TsdbInputError(`invalid label name ${JSON.stringify(m.name)}`);
  const isName = m.name === '__name__';
  // A function, so a parameter is only added when the SQL uses it (an unused one has no type).
  const value = () => (isName ? 's.metric' : `coalesce(s.labels->>${params.add(m.name)}, '')`);
  switch (m.op) {
    case '=':
      if (isName) return `s.metric = ${params.add(m.value)}`;
      if (m.value === '') return `NOT (s.labels ? ${params.add(m.name)})`;
      return `s.labels @> ${params.add(JSON.stringify({ [m.name]: m.value }))}::jsonb`;
    case '!=':
      if (!isName && m.value === '') return `s.labels ? ${params.add(m.name)}`;
      return `${value()} <> ${params.add(m.value)}`;
    case '=~':
      return regexToSql(m, value, isName, params);
    case '!~':
      return `NOT (${regexToSql(m, value, isName, params)})`;
    default:
      throw new TsdbInputError(
        `unknown matcher operator ${JSON.stringify((m as { op: unknown }).op)}`,
      );
  }
}

function regexToSql(
  m: LabelMatcher,
  value: () => string,
  isName: boolean,
  params: SqlParams,
): string {
  // Grafana's "All" and friends: no regex engine needed.
  if (m.value === '.*') return 'TRUE';
  if (m.value === '.+') return isName ? 'TRUE' : `s.labels ? ${params.add(m.name)}`;
  const literals = literalAlternatives(m.value);
  if (literals) return `${value()} = ANY(${params.add(literals)}::text[])`;
  return `${value()} ~ ${params.add(re2ToPostgres(m.value))}`;
}
