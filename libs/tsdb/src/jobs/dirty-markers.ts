import type { PoolClient } from 'pg';
import { int8ArrayLiteral } from '../sql-literals';

export type DirtyKind = 'compact' | '1m' | '1h';

export interface DirtyMark {
  kind: DirtyKind;
  bucket: number;
}

/**
 * Marks work for the jobs, as the last statement of the writer's transaction. DO UPDATE (not DO
 * NOTHING) on purpose: it holds the marker's row lock until the writer commits, so a job that
 * claims the marker (SELECT … FOR UPDATE) waits for those samples and then sees them; and the
 * new marked_at (clock_timestamp, unique in practice) tells the job that work arrived after its
 * claim, so it leaves the marker for the next run. Sorted, so concurrent writers lock in the
 * same order and cannot deadlock.
 */
export async function markDirty(
  client: PoolClient,
  orgId: string,
  marks: DirtyMark[],
): Promise<void> {
  if (marks.length === 0) return;
  await client.query(MARK_DIRTY_SQL, [orgId, ...markParams(sortMarks(marks))]);
}

/** Upserts markers: $1 org, $2 kinds (text[]), $3 buckets (bigint[] literal), already sorted. */
export const MARK_DIRTY_SQL = `INSERT INTO tsdb_dirty (org_id, kind, bucket, marked_at)
     SELECT $1, k, b, clock_timestamp() FROM unnest($2::text[], $3::bigint[]) AS u(k, b)
     ON CONFLICT (org_id, kind, bucket) DO UPDATE SET marked_at = clock_timestamp()`;

export function sortMarks(marks: DirtyMark[]): DirtyMark[] {
  return [...marks].sort((a, b) =>
    a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.bucket - b.bucket,
  );
}

export function markParams(sorted: DirtyMark[]): [string[], string] {
  return [sorted.map((m) => m.kind), int8ArrayLiteral(sorted.map((m) => m.bucket))];
}

export interface Claim {
  bucket: number;
  markedAt: string;
}

/** Claims the markers in [from, to): waits for writers still holding them, returns their versions. */
export async function claimDirty(
  client: PoolClient,
  orgId: string,
  kind: DirtyKind,
  from: number,
  to: number,
): Promise<Claim[]> {
  const { rows } = await client.query<{ bucket: string; marked_at: string }>(
    `SELECT bucket, marked_at::text FROM tsdb_dirty
      WHERE org_id = $1 AND kind = $2 AND bucket >= $3 AND bucket < $4 ORDER BY bucket FOR UPDATE`,
    [orgId, kind, from, to],
  );
  return rows.map((r) => ({ bucket: Number(r.bucket), markedAt: r.marked_at }));
}

/** Removes claimed markers unless a writer re-marked them since the claim. */
export async function releaseDirty(
  client: PoolClient,
  orgId: string,
  kind: DirtyKind,
  claims: Claim[],
): Promise<void> {
  if (claims.length === 0) return;
  await client.query(
    `DELETE FROM tsdb_dirty d USING unnest($3::bigint[], $4::timestamptz[]) AS c(bucket, marked_at)
      WHERE d.org_id = $1 AND d.kind = $2 AND d.bucket = c.bucket AND d.marked_at = c.marked_at`,
    [orgId, kind, int8ArrayLiteral(claims.map((c) => c.bucket)), claims.map((c) => c.markedAt)],
  );
}

/** Due markers of one kind for an organization, oldest first. */
export async function dueDirty(
  client: PoolClient,
  orgId: string,
  kind: DirtyKind,
  before: number,
  limit: number,
): Promise<number[]> {
  const { rows } = await client.query<{ bucket: string }>(
    `SELECT bucket FROM tsdb_dirty WHERE org_id = $1 AND kind = $2 AND bucket < $3 ORDER BY bucket LIMIT $4`,
    [orgId, kind, before, limit],
  );
  return rows.map((r) => Number(r.bucket));
}
