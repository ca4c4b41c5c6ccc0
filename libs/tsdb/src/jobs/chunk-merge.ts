import type { PoolClient } from 'pg';
import {
  decodeChunk,
  encodeChunk,
  encodeRawChunk,
  isRawChunk,
  OPEN_RECORD_BYTES,
  writeOpenRecords,
} from '../codec/chunk-codec';
import { mergeSamples, type RawSamples } from '../read/sample-store';
import { int8ArrayLiteral } from '../sql-literals';

const EMPTY: RawSamples = { timestamps: new Float64Array(0), values: new Float64Array(0) };

/**
 * Merges samples into the series' chunks of one 2 h block and upserts them: the chunk's sample
 * wins a timestamp (it was stored first). 'sealed' writes compressed chunks (the compactor);
 * 'keep' (the flusher, which rewrites chunks every few seconds) writes uncompressed ones except
 * where the chunk is sealed already (late samples into a compacted block). The caller holds the
 * (organization, block) lock (`lockBlock`), so two merges into one chunk never race. Returns how
 * many series it wrote.
 *
 * In 'keep' mode, samples that all come after an open chunk's last one (a scrape's next samples:
 * the usual case) are appended to it in SQL, so a flush sends and the flusher handles only the
 * new samples, not the whole chunk; the rest (new chunks, out-of-order or duplicate timestamps,
 * sealed chunks, chunks of the older open layout) are merged and rewritten whole.
 */
export async function mergeIntoChunks(
  client: PoolClient,
  orgId: string,
  blockStart: number,
  samples: Map<number, RawSamples>,
  mode: 'sealed' | 'keep' = 'sealed',
): Promise<number> {
  const touched = [...samples.keys()].filter((id) => samples.get(id)!.timestamps.length > 0);
  if (touched.length === 0) return 0;
  touched.sort((a, b) => a - b);
  const appended =
    mode === 'keep' ? await appendToOpenChunks(client, orgId, blockStart, touched, samples) : null;
  const rest = appended ? touched.filter((id) => !appended.has(id)) : touched;
  if (rest.length > 0) await rewriteChunks(client, orgId, blockStart, rest, samples, mode);
  return touched.length;
}

/**
 * Appends each series' samples to its open chunk where they all follow the chunk's last sample
 * (`max_ts`); returns the series appended to. Chunks that are missing, sealed, of the older
 * open layout, or that have a sample at or after the new first one are left alone.
 */
async function appendToOpenChunks(
  client: PoolClient,
  orgId: string,
  blockStart: number,
  ids: number[],
  samples: Map<number, RawSamples>,
): Promise<Set<number>> {
  let total = 0;
  for (const id of ids) total += samples.get(id)!.timestamps.length;
  const data = Buffer.allocUnsafe(total * OPEN_RECORD_BYTES);
  const offsets: number[] = new Array(ids.length);
  const lengths: number[] = new Array(ids.length);
  const minTs: number[] = new Array(ids.length);
  const maxTs: number[] = new Array(ids.length);
  const counts: number[] = new Array(ids.length);
  let o = 0;
  for (let i = 0; i < ids.length; i++) {
    const s = samples.get(ids[i])!;
    const n = s.timestamps.length;
    writeOpenRecords(s.timestamps, s.values, data, o);
    offsets[i] = o + 1;
    lengths[i] = n * OPEN_RECORD_BYTES;
    minTs[i] = s.timestamps[0];
    maxTs[i] = s.timestamps[n - 1];
    counts[i] = n;
    o += lengths[i];
  }
  // The planner takes `get_byte(...) = ...` to keep 0.5 % of the chunks, estimates one, and
  // then loops over the whole unnest for each chunk (10,000 series: 10⁸ comparisons, 30 s per
  // flush). The ids bound the chunk scan to index lookups, and without nested loops the join
  // is a hash join whatever the estimate.
  await client.query('SET LOCAL enable_nestloop = off');
  const { rows } = await client.query<[string]>({
    text: `UPDATE sample_chunks c
              SET data = c.data || substring($3::bytea FROM u.o FOR u.l), max_ts = u.hi, count = c.count + u.n
             FROM unnest($4::bigint[], $5::bigint[], $6::bigint[], $7::int[], $8::int[], $9::int[]) AS u(sid, lo, hi, n, o, l)
            WHERE c.org_id = $1 AND c.block_start = $2 AND c.series_id = ANY($4::bigint[])
              AND c.series_id = u.sid AND c.max_ts < u.lo AND get_byte(c.data, 0) = ${0x53}
           RETURNING c.series_id`,
    values: [
      orgId,
      blockStart,
      data,
      int8ArrayLiteral(ids),
      int8ArrayLiteral(minTs),
      int8ArrayLiteral(maxTs),
      int8ArrayLiteral(counts),
      int8ArrayLiteral(offsets),
      int8ArrayLiteral(lengths),
    ],
    rowMode: 'array',
  });
  await client.query('RESET enable_nestloop');
  return new Set(rows.map((r) => Number(r[0])));
}

/** Reads the chunks of `touched`, merges the samples in and writes them whole. */
async function rewriteChunks(
  client: PoolClient,
  orgId: string,
  blockStart: number,
  touched: number[],
  samples: Map<number, RawSamples>,
  mode: 'sealed' | 'keep',
): Promise<void> {
  const existing = new Map<number, RawSamples>();
  const sealed = new Set<number>();
  const prev = await client.query<[string, Buffer]>({
    text: `SELECT series_id, data FROM sample_chunks WHERE org_id = $1 AND block_start = $2 AND series_id = ANY($3::bigint[])`,
    values: [orgId, blockStart, int8ArrayLiteral(touched)],
    rowMode: 'array',
  });
  for (const [sid, data] of prev.rows) {
    existing.set(Number(sid), decodeChunk(data));
    if (!isRawChunk(data)) sealed.add(Number(sid));
  }

  const minTs: number[] = [];
  const maxTs: number[] = [];
  const counts: number[] = [];
  const datas: Uint8Array[] = [];
  for (const id of touched) {
    const merged = mergeSamples(existing.get(id) ?? EMPTY, samples.get(id)!);
    const open = mode === 'keep' && !sealed.has(id);
    datas.push((open ? encodeRawChunk : encodeChunk)(merged.timestamps, merged.values));
    minTs.push(merged.timestamps[0]);
    maxTs.push(merged.timestamps[merged.timestamps.length - 1]);
    counts.push(merged.timestamps.length);
  }
  await upsertChunkRows(client, 'block', orgId, blockStart, {
    ids: touched,
    minTs,
    maxTs,
    counts,
    datas,
  });
}

/**
 * Seals the open chunks of one block (see encodeRawChunk); the caller holds the block's lock. Returns how many it sealed.
 */
export async function sealChunks(
  client: PoolClient,
  orgId: string,
  blockStart: number,
): Promise<number> {
  const { rows } = await client.query<[string, Buffer]>({
    text: `SELECT series_id, data FROM sample_chunks
            WHERE org_id = $1 AND block_start = $2 AND get_byte(data, 0) IN (${0x52}, ${0x53})`,
    values: [orgId, blockStart],
    rowMode: 'array',
  });
  if (rows.length === 0) return 0;
  const ids: number[] = [];
  const datas: Uint8Array[] = [];
  for (const [sid, raw] of rows) {
    const d = decodeChunk(raw);
    datas.push(encodeChunk(d.timestamps, d.values));
    ids.push(Number(sid));
  }
  const packed = packBytes(datas);
  await client.query(
    `UPDATE sample_chunks c SET data = substring($4::bytea FROM u.o FOR u.l)
       FROM unnest($3::bigint[], $5::int[], $6::int[]) AS u(sid, o, l)
      WHERE c.org_id = $1 AND c.block_start = $2 AND c.series_id = u.sid`,
    [
      orgId,
      blockStart,
      int8ArrayLiteral(ids),
      packed.data,
      int8ArrayLiteral(packed.offsets),
      int8ArrayLiteral(packed.lengths),
    ],
  );
  return ids.length;
}

/** Whole chunk rows of one key: a series' 2 h block in `sample_chunks`, or its day in `sample_days`. */
export interface ChunkRows {
  ids: number[];
  minTs: number[];
  maxTs: number[];
  counts: number[];
  datas: Uint8Array[];
}

const CHUNK_ROW_TARGETS = {
  block: { table: 'sample_chunks', key: 'block_start' },
  day: { table: 'sample_days', key: 'day' },
} as const;

/** Inserts or replaces the rows in one statement, their bytes sent as one binary parameter. */
export async function upsertChunkRows(
  client: PoolClient,
  target: keyof typeof CHUNK_ROW_TARGETS,
  orgId: string,
  keyValue: number,
  rows: ChunkRows,
): Promise<void> {
  const { table, key } = CHUNK_ROW_TARGETS[target];
  const packed = packBytes(rows.datas);
  await client.query(
    `INSERT INTO ${table} (org_id, series_id, ${key}, min_ts, max_ts, count, data)
     SELECT $1, sid, $2, lo, hi, n, substring($7::bytea FROM o FOR l)
       FROM unnest($3::bigint[], $4::bigint[], $5::bigint[], $6::int[], $8::int[], $9::int[]) AS u(sid, lo, hi, n, o, l)
     ON CONFLICT (series_id, ${key}) DO UPDATE
       SET min_ts = excluded.min_ts, max_ts = excluded.max_ts, count = excluded.count, data = excluded.data`,
    [
      orgId,
      keyValue,
      int8ArrayLiteral(rows.ids),
      int8ArrayLiteral(rows.minTs),
      int8ArrayLiteral(rows.maxTs),
      int8ArrayLiteral(rows.counts),
      packed.data,
      int8ArrayLiteral(packed.offsets),
      int8ArrayLiteral(packed.lengths),
    ],
  );
}

/** The transaction-scoped lock every writer of one (organization, block)'s chunks takes. */
export async function lockBlock(
  client: PoolClient,
  orgId: string,
  blockStart: number,
): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(7287201, hashtext($1 || ':' || $2::text))`, [
    orgId,
    blockStart,
  ]);
}

/**
 * Many byte strings as one binary parameter plus 1-based offsets and lengths for SQL's
 * substring: node-postgres sends a bytea[] as hex text (twice the bytes, and encoding and
 * parsing it was a large share of a flush), but a single Buffer parameter in binary.
 */
export function packBytes(parts: Uint8Array[]): {
  data: Buffer;
  offsets: number[];
  lengths: number[];
} {
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const data = Buffer.allocUnsafe(total);
  const offsets: number[] = new Array(parts.length);
  const lengths: number[] = new Array(parts.length);
  let o = 0;
  for (let i = 0; i < parts.length; i++) {
    data.set(parts[i], o);
    offsets[i] = o + 1;
    lengths[i] = parts[i].byteLength;
    o += parts[i].byteLength;
  }
  return { data, offsets, lengths };
}
