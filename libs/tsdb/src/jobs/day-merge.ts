import type { PoolClient } from 'pg';
import { chunkSampleCount } from '../codec/chunk-codec';
import { CHUNK_HEADER, int64At } from '../read/sample-store';
import { int8ArrayLiteral } from '../sql-literals';
import { BLOCK_MS, DAY_MS } from '../tsdb.types';
import { lockBlock, upsertChunkRows } from './chunk-merge';
import { dayRowChunks, type Piece } from './day-chunks';

/**
 * Once a UTC day is over, a series' sealed 2 h chunks of that day are merged into one
 * `sample_days` row, its "day row" (migration `20261127_s6cold7d_sample_days` says why a table
 * of its own). A 7-day read then fetches 8 rows per series instead of 84: PostgreSQL's side of
 * the read is mostly per row (tuple fetch, the per-chunk aggregation), and so is much of a
 * chunk's size at rest (tuple header, key columns, index entry).
 *
 * A day row's `data` is chunks back to back, each behind the same 20-byte header the reader's
 * packed rows use (byte length, min_ts, max_ts, big-endian), in time order: the reader walks it
 * as it walks 2 h rows concatenated. A run of blocks that is one regular scrape is one chunk,
 * any other block a chunk of its own (day-chunks.ts). Rows written before that layout hold one
 * chunk per block; they read the same, and take the new layout when a late sample's merge
 * rewrites them.
 *
 * A sample written into a merged day later lands in a new 2 h chunk (the flusher finds no
 * `sample_chunks` row for its block); the reader merges that with the day row, the day row's
 * sample winning a timestamp (it was stored first), and the next merge of the day folds it in
 * the same way.
 */

/**
 * Merges the organization's sealed 2 h chunks of the day starting at `dayStart` into day rows
 * (adding to a day row there already), in the caller's organization-scoped transaction; with
 * `fresh` false, only into day rows there already. Open chunks are left alone: the compactor
 * seals them first. Holds every block lock of the day, taken in ascending order as the flusher
 * takes its own, so no cycle can form. Reads and writes `seriesPerMerge` series per statement
 * (the compactor's `seriesBatch`). Returns how many series it wrote and how many 2 h rows it
 * folded.
 */
export async function mergeDay(
  client: PoolClient,
  orgId: string,
  dayStart: number,
  fresh: boolean,
  seriesPerMerge: number,
): Promise<{ series: number; chunks: number }> {
  for (let b = dayStart; b < dayStart + DAY_MS; b += BLOCK_MS) await lockBlock(client, orgId, b);
  // A large organization's whole day (150,000 series × ~4 KB) would not fit a worker's memory
  // at once: its series are merged a batch at a time, in the same transaction.
  const { rows: idRows } = await client.query<[string]>({
    text: `SELECT DISTINCT series_id FROM sample_chunks
            WHERE org_id = $1 AND block_start >= $2 AND block_start < $3 ORDER BY 1`,
    values: [orgId, dayStart, dayStart + DAY_MS],
    rowMode: 'array',
  });
  const total = { series: 0, chunks: 0 };
  for (let i = 0; i < idRows.length; i += seriesPerMerge) {
    const ids = idRows.slice(i, i + seriesPerMerge).map((r) => Number(r[0]));
    const r = await mergeDaySeries(client, orgId, dayStart, fresh, ids);
    total.series += r.series;
    total.chunks += r.chunks;
  }
  return total;
}

async function mergeDaySeries(
  client: PoolClient,
  orgId: string,
  dayStart: number,
  fresh: boolean,
  seriesIds: number[],
): Promise<{ series: number; chunks: number }> {
  // Day rows first per series (kind 0), then the day's sealed 2 h chunks in block order.
  const { rows } = await client.query<[string, number, string, string, string, Buffer]>({
    text: `SELECT series_id, 0, day, min_ts, max_ts, data FROM sample_days
            WHERE org_id = $1 AND day = $2 AND series_id = ANY($4::bigint[])
           UNION ALL
           SELECT series_id, 1, block_start, min_ts, max_ts, data FROM sample_chunks
            WHERE org_id = $1 AND block_start >= $2 AND block_start < $3
              AND series_id = ANY($4::bigint[])
              AND get_byte(data, 0) NOT IN (${0x52}, ${0x53})
           ORDER BY 1, 2, 3`,
    values: [orgId, dayStart, dayStart + DAY_MS, int8ArrayLiteral(seriesIds)],
    rowMode: 'array',
  });
  const ids: number[] = [];
  const minTs: number[] = [];
  const maxTs: number[] = [];
  const counts: number[] = [];
  const datas: Uint8Array[] = [];
  const foldedIds: number[] = [];
  const foldedBlocks: number[] = [];
  for (let i = 0; i < rows.length;) {
    const sid = rows[i][0];
    let dayData: Buffer | null = null;
    const chunks: Piece[] = [];
    const blocks: number[] = [];
    for (; i < rows.length && rows[i][0] === sid; i++) {
      const [, kind, block, min, max, data] = rows[i];
      if (kind === 0) dayData = data;
      else {
        chunks.push({ min: +min, max: +max, data });
        blocks.push(Number(block));
      }
    }
    if (chunks.length === 0 || (!dayData && !fresh)) continue;
    const ordered = dayRowChunks(dayData ? dayRowPieces(dayData) : [], chunks);
    for (const b of blocks) {
      foldedIds.push(Number(sid));
      foldedBlocks.push(b);
    }
    ids.push(Number(sid));
    minTs.push(ordered[0].min);
    maxTs.push(ordered[ordered.length - 1].max);
    counts.push(ordered.reduce((n, p) => n + chunkSampleCount(p.data), 0));
    datas.push(packPieces(ordered));
  }
  if (ids.length === 0) return { series: 0, chunks: 0 };
  await upsertChunkRows(client, 'day', orgId, dayStart, { ids, minTs, maxTs, counts, datas });
  await client.query(
    `DELETE FROM sample_chunks c USING unnest($2::bigint[], $3::bigint[]) AS u(sid, b)
      WHERE c.org_id = $1 AND c.series_id = u.sid AND c.block_start = u.b`,
    [orgId, int8ArrayLiteral(foldedIds), int8ArrayLiteral(foldedBlocks)],
  );
  return { series: ids.length, chunks: foldedIds.length };
}

/** The chunks of a day row (see mergeDay), as views of its bytes. */
function dayRowPieces(data: Uint8Array): Piece[] {
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const out: Piece[] = [];
  for (let p = 0; p < data.length;) {
    const len = view.getUint32(p);
    out.push({
      min: int64At(view, p + 4),
      max: int64At(view, p + 12),
      data: data.subarray(p + CHUNK_HEADER, p + CHUNK_HEADER + len),
    });
    p += CHUNK_HEADER + len;
  }
  return out;
}

function packPieces(pieces: Piece[]): Buffer {
  const out = Buffer.allocUnsafe(pieces.reduce((n, p) => n + CHUNK_HEADER + p.data.length, 0));
  let o = 0;
  for (const p of pieces) {
    out.writeUInt32BE(p.data.length, o);
    writeInt64(out, p.min, o + 4);
    writeInt64(out, p.max, o + 12);
    out.set(p.data, o + CHUNK_HEADER);
    o += CHUNK_HEADER + p.data.length;
  }
  return out;
}

function writeInt64(out: Buffer, v: number, o: number): void {
  out.writeBigInt64BE(BigInt(v), o);
}
