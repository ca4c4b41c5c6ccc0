import type { PoolClient } from 'pg';
import {
  decodeRollupBuckets,
  emptyRollupColumns,
  encodeRollupBuckets,
  type RollupColumns,
} from '../codec/rollup-codec';
import { int8ArrayLiteral } from '../sql-literals';
import { DAY_MS } from '../tsdb.types';
import type { BucketAggregate } from './rollup-math';

export type RollupTable = 'rollup_1m' | 'rollup_1h';

/**
 * Writes freshly rolled buckets into the packed day rows (one row per series per UTC day, see
 * codec/rollup-codec.ts): each affected row is read, its buckets replaced by the new ones of
 * the same start (others kept, as the per-bucket upsert did), and written back. Rolling the
 * same samples again writes the same row, so re-runs stay idempotent. Read-modify-write would
 * let two runs rolling different hours of one day lose each other's buckets, so a transaction
 * holds an advisory lock per (table, organization, day), taken in day order (no deadlocks)
 * and released at commit. Returns the day rows written.
 */
export async function storeRollups(
  client: PoolClient,
  table: RollupTable,
  orgId: string,
  rows: Array<[number, BucketAggregate]>,
): Promise<number> {
  const byDay = new Map<number, Map<number, BucketAggregate[]>>();
  for (const [id, agg] of rows) {
    const day = agg.bucket - (agg.bucket % DAY_MS);
    let series = byDay.get(day);
    if (!series) byDay.set(day, (series = new Map()));
    let list = series.get(id);
    if (!list) series.set(id, (list = []));
    list.push(agg);
  }
  let written = 0;
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const series = byDay.get(day)!;
    const ids = [...series.keys()].sort((a, b) => a - b);
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1), $2)`, [
      `${table}:${orgId}`,
      day / DAY_MS,
    ]);
    const { rows: existing } = await client.query<{ series_id: string; data: Buffer }>(
      `SELECT series_id, data FROM ${table}
        WHERE org_id = $1 AND series_id = ANY($2::bigint[]) AND day = $3`,
      [orgId, int8ArrayLiteral(ids), day],
    );
    const old = new Map(existing.map((r) => [Number(r.series_id), r.data]));
    const data = ids.map((id) => {
      const prev = old.get(id);
      const fresh = series.get(id)!.sort((a, b) => a.bucket - b.bucket);
      return Buffer.from(
        encodeRollupBuckets(mergeBuckets(prev ? decodeRollupBuckets(prev) : undefined, fresh)),
      );
    });
    await client.query(
      `INSERT INTO ${table} (org_id, series_id, day, data)
       SELECT $1, u.id, $3, u.data FROM unnest($2::bigint[], $4::bytea[]) AS u(id, data)
       ON CONFLICT (series_id, day) DO UPDATE SET data = excluded.data`,
      [orgId, int8ArrayLiteral(ids), day, data],
    );
    written += ids.length;
  }
  return written;
}

const AGG_FIELDS = [
  ['buckets', 'bucket'],
  ['count', 'count'],
  ['sum', 'sum'],
  ['sumSquares', 'sumSq'],
  ['min', 'min'],
  ['max', 'max'],
  ['firstTs', 'firstTs'],
  ['firstValue', 'firstValue'],
  ['lastTs', 'lastTs'],
  ['lastValue', 'lastValue'],
  ['resets', 'resets'],
  ['changes', 'changes'],
  ['counterCorrection', 'counterCorrection'],
] as const satisfies ReadonlyArray<readonly [keyof RollupColumns, keyof BucketAggregate]>;

/** Stored buckets and fresh ones (sorted), by bucket start; a fresh one replaces its stored one. */
export function mergeBuckets(
  stored: RollupColumns | undefined,
  fresh: BucketAggregate[],
): RollupColumns {
  const n = stored ? stored.buckets.length : 0;
  const out = emptyRollupColumns(n + fresh.length);
  let i = 0;
  let d = 0;
  let k = 0;
  while (i < n || d < fresh.length) {
    const sb = i < n ? stored!.buckets[i] : Infinity;
    const fb = d < fresh.length ? fresh[d].bucket : Infinity;
    if (fb <= sb) {
      for (const [col, key] of AGG_FIELDS) out[col][k] = fresh[d][key];
      d++;
      if (fb === sb) i++;
    } else {
      // set() copies bytes, so stored NaN payloads stay as they were.
      for (const [col] of AGG_FIELDS) out[col].set(stored![col].subarray(i, i + 1), k);
      i++;
    }
    k++;
  }
  for (const [col] of AGG_FIELDS) out[col] = out[col].subarray(0, k);
  return out;
}
