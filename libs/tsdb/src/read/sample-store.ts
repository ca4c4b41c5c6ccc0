import type { PoolClient } from 'pg';
import { decodeChunk } from '../codec/chunk-codec';
import { setStaleNaNAt } from '../model';
import { int8ArrayLiteral } from '../sql-literals';
import { BLOCK_MS } from '../tsdb.types';

export interface RawSamples {
  timestamps: Float64Array;
  values: Float64Array;
}

const ID_BATCH = 1000;
const EMPTY: RawSamples = { timestamps: new Float64Array(0), values: new Float64Array(0) };

/**
 * Samples of the given series in [start, end] from both stores, merged by timestamp. When a
 * timestamp is in a chunk and in the head (a re-sent sample after compaction) the chunk's wins:
 * it was stored first. Values are copied as 64-bit words so NaN payloads survive.
 * Runs inside the caller's organization-scoped transaction.
 */
export async function readSamples(
  client: PoolClient,
  orgId: string,
  seriesIds: number[],
  start: number,
  end: number,
): Promise<Map<number, RawSamples>> {
  const out = new Map<number, RawSamples>();
  for (let i = 0; i < seriesIds.length; i += ID_BATCH) {
    const ids = seriesIds.slice(i, i + ID_BATCH);
    const chunks = await readChunks(client, orgId, ids, start, end);
    const head = await readHead(client, orgId, ids, start, end);
    for (const id of ids) {
      const merged = mergeSamples(chunks.get(id) ?? EMPTY, head.get(id) ?? EMPTY);
      if (merged.timestamps.length > 0) out.set(id, merged);
    }
  }
  return out;
}

async function readChunks(
  client: PoolClient,
  orgId: string,
  ids: number[],
  start: number,
  end: number,
): Promise<Map<number, RawSamples>> {
  const { rows } = await client.query<[string, Buffer]>({
    text: `SELECT series_id, data FROM sample_chunks
            WHERE org_id = $1 AND series_id = ANY($2::bigint[])
              AND block_start > $3::bigint - ${BLOCK_MS} AND block_start <= $4::bigint
              AND max_ts >= $3::bigint AND min_ts <= $4::bigint
            ORDER BY series_id, block_start`,
    values: [orgId, int8ArrayLiteral(ids), start, end],
    rowMode: 'array',
  });
  const parts = new Map<number, RawSamples[]>();
  for (const [sid, data] of rows) {
    const id = Number(sid);
    const decoded = decodeChunk(data);
    const list = parts.get(id);
    if (list) list.push(decoded);
    else parts.set(id, [decoded]);
  }
  const out = new Map<number, RawSamples>();
  for (const [id, list] of parts) out.set(id, clip(concat(list), start, end));
  return out;
}

async function readHead(
  client: PoolClient,
  orgId: string,
  ids: number[],
  start: number,
  end: number,
): Promise<Map<number, RawSamples>> {
  const { rows } = await client.query<[string, string, number | null]>({
    text: `SELECT series_id, ts, value FROM samples
            WHERE org_id = $1 AND series_id = ANY($2::bigint[]) AND ts >= $3 AND ts <= $4
            ORDER BY series_id, ts`,
    values: [orgId, int8ArrayLiteral(ids), start, end],
    rowMode: 'array',
  });
  const out = new Map<number, RawSamples>();
  let i = 0;
  while (i < rows.length) {
    const sid = rows[i][0];
    let j = i;
    while (j < rows.length && rows[j][0] === sid) j++;
    const timestamps = new Float64Array(j - i);
    const values = new Float64Array(j - i);
    for (let k = i; k < j; k++) {
      timestamps[k - i] = Number(rows[k][1]);
      const v = rows[k][2];
      // NULL is how the head stores the staleness marker.
      if (v === null) setStaleNaNAt(values, k - i);
      else values[k - i] = v;
    }
    out.set(Number(sid), { timestamps, values });
    i = j;
  }
  return out;
}

function concat(list: RawSamples[]): RawSamples {
  if (list.length === 1) return list[0];
  const n = list.reduce((s, r) => s + r.timestamps.length, 0);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let o = 0;
  for (const r of list) {
    timestamps.set(r.timestamps, o);
    values.set(r.values, o); // same-type set copies bytes, payloads included
    o += r.timestamps.length;
  }
  return { timestamps, values };
}

function clip(r: RawSamples, start: number, end: number): RawSamples {
  let a = 0;
  let b = r.timestamps.length;
  while (a < b && r.timestamps[a] < start) a++;
  while (b > a && r.timestamps[b - 1] > end) b--;
  if (a === 0 && b === r.timestamps.length) return r;
  return { timestamps: r.timestamps.subarray(a, b), values: r.values.subarray(a, b) };
}

/** Merges two sorted sample lists; on equal timestamps `first` wins. */
export function mergeSamples(first: RawSamples, second: RawSamples): RawSamples {
  if (second.timestamps.length === 0) return first;
  if (first.timestamps.length === 0) return second;
  const n = first.timestamps.length + second.timestamps.length;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const out = new Uint32Array(values.buffer);
  const a = new Uint32Array(first.values.buffer, first.values.byteOffset, first.values.length * 2);
  const b = new Uint32Array(
    second.values.buffer,
    second.values.byteOffset,
    second.values.length * 2,
  );
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < first.timestamps.length || j < second.timestamps.length) {
    const ta = i < first.timestamps.length ? first.timestamps[i] : Infinity;
    const tb = j < second.timestamps.length ? second.timestamps[j] : Infinity;
    if (ta <= tb) {
      timestamps[k] = ta;
      out[2 * k] = a[2 * i];
      out[2 * k + 1] = a[2 * i + 1];
      i++;
      if (ta === tb) j++;
    } else {
      timestamps[k] = tb;
      out[2 * k] = b[2 * j];
      out[2 * k + 1] = b[2 * j + 1];
      j++;
    }
    k++;
  }
  return { timestamps: timestamps.subarray(0, k), values: values.subarray(0, k) };
}
