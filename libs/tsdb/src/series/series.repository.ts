import type { PoolClient } from 'pg';
import type { LabelMatcher, Labels } from '../model';
import { TsdbInputError } from '../tsdb.errors';
import { joinLabels } from './labels';
import { matcherSetsToSql, SqlParams } from './matchers-sql';

export interface FoundSeries {
  id: number;
  labels: Labels;
}

/**
 * `last_seen` is bumped at write time, at most every few minutes, and a sample may be written
 * up to the writer's future window ahead; a series is a candidate for a range if it was seen
 * no earlier than this much before the range starts.
 */
export const LAST_SEEN_SLACK_MS = 60 * 60_000;

/** The only place that reads `series` by matchers. Always filters by org as well as RLS does. */
export async function findSeries(
  client: PoolClient,
  orgId: string,
  matcherSets: LabelMatcher[][],
  since: number | null,
  limit?: number,
): Promise<FoundSeries[]> {
  const { text, values } = findSeriesQuery(orgId, matcherSets, since, limit);
  return foundSeries((await queryMatching<SeriesRow>(client, text, values)).rows);
}

export type SeriesRow = { id: string; metric: string; labels: Labels };

/** `findSeries`' statement, for a caller that sends it itself (see `withOrgClient`'s `first`). */
export function findSeriesQuery(
  orgId: string,
  matcherSets: LabelMatcher[][],
  since: number | null,
  limit?: number,
): { text: string; values: unknown[] } {
  const params = new SqlParams();
  const org = params.add(orgId);
  const where = [`s.org_id = ${org}`, `(${matcherSetsToSql(matcherSets, params)})`];
  if (since !== null)
    where.push(`s.last_seen >= to_timestamp(${params.add((since - LAST_SEEN_SLACK_MS) / 1000)})`);
  const text = `SELECT s.id, s.metric, s.labels FROM series s WHERE ${where.join(' AND ')} ORDER BY s.id${
    limit ? ` LIMIT ${params.add(limit)}` : ''
  }`;
  return { text, values: params.values };
}

export function foundSeries(rows: SeriesRow[]): FoundSeries[] {
  return rows.map((r) => ({ id: Number(r.id), labels: joinLabels(r.metric, r.labels) }));
}

/** Runs a matcher query, turning PostgreSQL's regex errors into input errors. */
export async function queryMatching<R extends object>(
  client: PoolClient,
  sql: string,
  values: unknown[],
): Promise<{ rows: R[] }> {
  try {
    return await client.query<R>(sql, values);
  } catch (err) {
    throw matchingError(err);
  }
}

/** A matcher query's error, as an input error when PostgreSQL refused a regex. */
export function matchingError(err: unknown): unknown {
  const code = (err as { code?: string }).code;
  // 2201B invalid_regular_expression; 54001 statement_too_complex.
  if (code === '2201B' || code === '54001')
    return new TsdbInputError(`invalid regex matcher: ${(err as Error).message}`);
  return err;
}

export { matcherSetsToSql, SqlParams };
