import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { chunkSampleCount, decodeChunkInto } from '../codec/chunk-codec';
import { setStaleNaNAt } from '../model';
import { int8ArrayLiteral } from '../sql-literals';
import { assertOrgId, TsdbInputError } from '../tsdb.errors';
import { BLOCK_MS } from '../tsdb.types';
import { LogGather } from '../write/sample-log';

export interface RawSamples {
  timestamps: Float64Array;
  values: Float64Array;
}

/**
 * The part of [start, end] a query reads: windows [t − width, t] for t = first, first + step, …
 * up to `end` (a range selector's windows, or an instant selector's lookback). With `lastOnly`
 * only the newest sample of each window matters. Reads may keep more samples than these (a
 * superset), never fewer.
 */
export interface SampleWindows {
  first: number;
  step: number;
  width: number;
  end: number;
  lastOnly: boolean;
}

const ID_BATCH = 1000;
const EMPTY: RawSamples = { timestamps: new Float64Array(0), values: new Float64Array(0) };

/**
 * Samples of the given series in [start, end] from all three stores, merged by timestamp: the
 * head log's unfolded tail (`sample_log`), the per-sample head (`samples`, written by earlier
 * versions and drained by the compactor) and the per-series chunks. A timestamp in several
 * keeps the chunk's sample, then the head's, then the first-logged one: it was stored first.
 * The stores are read in the order a flush or compaction moves samples (log, head, then
 * chunks), each statement seeing the latest commits, so a sample moved between two reads is
 * seen twice (and kept once), never missed. Values are copied as 64-bit words so NaN payloads
 * survive. Runs inside the caller's organization-scoped transaction. The one raw-read path:
 * the engine, alert evaluation and rollups all read through it.
 */
export async function readSamples(
  client: PoolClient,
  orgId: string,
  seriesIds: number[],
  start: number,
  end: number,
  windows?: SampleWindows,
): Promise<Map<number, RawSamples>> {
  const out = new Map<number, RawSamples>();
  // Windows that touch or overlap cover [start, end] whole: nothing to leave out.
  const w = windows && (windows.lastOnly || windows.width < windows.step) ? windows : undefined;
  let log = new Map<number, RawSamples>();
  for (let i = 0; i < seriesIds.length; i += ID_BATCH) {
    const ids = seriesIds.slice(i, i + ID_BATCH);
    let head: Map<number, RawSamples>;
    if (i === 0) ({ head, log } = await readHeadAndLog(client, orgId, ids, seriesIds, start, end));
    else head = await readHead(client, orgId, ids, start, end);
    const chunks = await readChunks(client, orgId, ids, start, end, w);
    if (log.size > 0) {
      for (const id of ids) {
        const l = log.get(id);
        if (l) head.set(id, mergeSamples(head.get(id) ?? EMPTY, l));
      }
    }
    if (w) {
      // Filtering each store on its own keeps a superset (a window's newest sample per store),
      // and the merge below still lets the chunk's copy of a timestamp win.
      const filtered = new Map<number, RawSamples>();
      for (const [id, r] of head) filtered.set(id, inWindows(r, w));
      head = filtered;
    }
    for (const id of ids) {
      const merged = mergeSamples(chunks.get(id) ?? EMPTY, head.get(id) ?? EMPTY);
      if (merged.timestamps.length > 0) out.set(id, merged);
    }
  }
  return out;
}

/**
 * The head rows of the first id batch and the unfolded log rows overlapping [start, end]
 * (unpacked for all the given series), in one statement: one round trip, one snapshot. Log rows
 * hold a few seconds of an organization's writes (the flusher folds them), so this one read
 * serves every id batch.
 */
async function readHeadAndLog(
  client: PoolClient,
  orgId: string,
  ids: number[],
  seriesIds: number[],
  start: number,
  end: number,
): Promise<{ head: Map<number, RawSamples>; log: Map<number, RawSamples> }> {
  const { rows } = await client.query<HeadRow & { 4: Buffer | null }>({
    text: `SELECT series_id, ts, value, 0 AS k, NULL::bytea AS data, 0::bigint AS o FROM samples
            WHERE org_id = $1 AND series_id = ANY($2::bigint[]) AND ts >= $3 AND ts <= $4
           UNION ALL
           SELECT NULL, NULL, NULL, 1, data, id FROM sample_log
            WHERE org_id = $1 AND max_ts >= $3 AND min_ts <= $4
           ORDER BY 4, 1, 2, 6`,
    values: [orgId, int8ArrayLiteral(ids), start, end],
    rowMode: 'array',
  });
  let firstLog = rows.length;
  while (firstLog > 0 && rows[firstLog - 1][3] === 1) firstLog--;
  const head = groupHeadRows(rows, firstLog);
  if (firstLog === rows.length) return { head, log: new Map() };
  const wanted = Float64Array.from(seriesIds).sort();
  const gather = new LogGather(wanted, start, end);
  for (let r = firstLog; r < rows.length; r++) gather.add(rows[r][4]!);
  return { head, log: gather.result() };
}

/**
 * A series' chunks come back as one row: SQL concatenates, in block order, each chunk's header
 * (byte length, min_ts, max_ts, big-endian) and data. A week is 84 chunks per series; a row
 * per chunk cost node-postgres a row, three column parses and a hex decode per chunk (84,000 at
 * a thousand series), and PostgreSQL a sorted merge of them.
 */
const CHUNK_HEADER = 20;

/**
 * The rows travel as a binary COPY rather than a query result: node-postgres receives a
 * bytea as hex text (twice the bytes on the wire, a string to build and a hex parse), and a
 * COPY streams, so each series is decoded as its row arrives while PostgreSQL aggregates the
 * next, and only one packed row is held at a time. One subquery per series (an index probe per
 * partition) starts that stream at once; a GROUP BY over all of them sorted every chunk first.
 * COPY takes no bind parameters: the organization id is checked as a UUID and every other
 * value is an integer written by this code.
 */
async function readChunks(
  client: PoolClient,
  orgId: string,
  ids: number[],
  start: number,
  end: number,
  windows?: SampleWindows,
): Promise<Map<number, RawSamples>> {
  assertOrgId(orgId);
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw new TsdbInputError(`invalid time range ${start} .. ${end}`);
  // Whole milliseconds that contain [start, end]: the samples are filtered exactly below.
  const lo = Math.floor(start);
  const hi = Math.ceil(end);
  const stream = client.query(
    copyTo(`COPY (
      SELECT u.id,
             (SELECT string_agg(int4send(length(data)) || int8send(min_ts) || int8send(max_ts) || data,
                                ''::bytea ORDER BY block_start)
                FROM sample_chunks
               WHERE org_id = '${orgId}' AND series_id = u.id
                 AND block_start > ${lo - BLOCK_MS} AND block_start <= ${hi}
                 AND max_ts >= ${lo} AND min_ts <= ${hi})
        FROM unnest('${int8ArrayLiteral(ids)}'::bigint[]) AS u(id)) TO STDOUT (FORMAT binary)`),
  );
  const out = new Map<number, RawSamples>();
  const rows = new CopyRows();
  let failure: unknown;
  for await (const piece of stream as AsyncIterable<Buffer>) {
    // A decode error must not leave the COPY half read (the connection would stay in copy
    // mode): the rest is drained and the error thrown after it.
    if (failure !== undefined) continue;
    try {
      rows.push(piece, (sid, packed) => {
        const s = decodeSeriesChunks(packed, start, end, windows);
        if (s) out.set(sid, s);
      });
    } catch (err) {
      failure = err;
    }
  }
  if (failure !== undefined) throw failure;
  if (!rows.done) throw new Error('the chunk COPY ended before its trailer');
  return out;
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Rows of a binary COPY of (int8, bytea) as they arrive in pieces of any size: the header,
 * then per row a field count, and each field's length and bytes; a count of -1 ends it. Its
 * errors are plain ones: a malformed COPY is the server's or the driver's fault, not the
 * caller's (TsdbInputError means HTTP 400).
 */
export class CopyRows {
  done = false;
  private parts: Buffer[] = [];
  private size = 0;
  /** Bytes the next step needs: pieces are only joined once that many have arrived. */
  private need = 19;
  private headerRead = false;

  push(piece: Buffer, onRow: (sid: number, packed: Buffer) => void): void {
    if (this.done) return;
    this.parts.push(piece);
    this.size += piece.length;
    if (this.size < this.need) return;
    const buf = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
    let p = 0;
    this.need = 0;
    if (!this.headerRead) {
      if (!buf.subarray(0, 11).equals(COPY_SIGNATURE)) throw new Error('unexpected COPY header');
      const extension = buf.readUInt32BE(15);
      if (buf.length < 19 + extension) this.need = 19 + extension;
      else {
        p = 19 + extension;
        this.headerRead = true;
      }
    }
    while (this.headerRead && !this.done) {
      if (buf.length - p < 2) {
        this.need = 2;
        break;
      }
      const fields = buf.readInt16BE(p);
      if (fields === -1) {
        this.done = true;
        p += 2;
        break;
      }
      if (fields !== 2) throw new Error(`unexpected COPY row of ${fields} fields`);
      if (buf.length - p < 18) {
        this.need = 18;
        break;
      }
      const len = Math.max(buf.readInt32BE(p + 14), 0); // -1 is NULL
      if (buf.length - p < 18 + len) {
        this.need = 18 + len;
        break;
      }
      if (len > 0) onRow(Number(buf.readBigInt64BE(p + 6)), buf.subarray(p + 18, p + 18 + len));
      p += 18 + len;
    }
    this.parts = p < buf.length ? [buf.subarray(p)] : [];
    this.size = buf.length - p;
  }
}

/** One series' packed chunks (see readChunks): the samples the windows need, or none. */
function decodeSeriesChunks(
  packed: Buffer,
  start: number,
  end: number,
  windows: SampleWindows | undefined,
): RawSamples | undefined {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.length);
  let total = 0;
  for (let p = 0; p < packed.length; p += CHUNK_HEADER + view.getUint32(p)) {
    if (windows && !touchesWindow(int64At(view, p + 4), int64At(view, p + 12), windows)) continue;
    // Exactly the chunk's bytes: an open chunk's sample count is its length.
    total += chunkSampleCount(
      packed.subarray(p + CHUNK_HEADER, p + CHUNK_HEADER + view.getUint32(p)),
    );
  }
  // Chunks decode into a shared scratch buffer, the samples the query needs are gathered in
  // another, and each series then gets exactly one allocation of its final size.
  if (gatherTs.length < total) {
    gatherTs = new Float64Array(total);
    gatherValues = new Float64Array(total);
    gatherWords = new Uint32Array(gatherValues.buffer);
  }
  let o = 0;
  for (let p = 0; p < packed.length;) {
    const len = view.getUint32(p);
    const data = packed.subarray(p + CHUNK_HEADER, p + CHUNK_HEADER + len);
    const skip = windows && !touchesWindow(int64At(view, p + 4), int64At(view, p + 12), windows);
    p += CHUNK_HEADER + len;
    if (skip) continue;
    const n = chunkSampleCount(data);
    if (scratchTs.length < n) {
      scratchTs = new Float64Array(n);
      scratchValues = new Float64Array(n);
      scratchWords = new Uint32Array(scratchValues.buffer);
    }
    decodeChunkInto(data, scratchTs, scratchValues);
    o = copySelected(scratchTs, scratchWords, n, gatherTs, gatherWords, o, start, end, windows);
  }
  // slice() of a Float64Array copies bytes, so NaN payloads survive.
  if (o === 0) return undefined;
  return { timestamps: gatherTs.slice(0, o), values: gatherValues.slice(0, o) };
}

/** A big-endian int8 (a millisecond timestamp, well inside 2^53) at byte `p`. */
function int64At(view: DataView, p: number): number {
  return view.getInt32(p) * 0x1_0000_0000 + view.getUint32(p + 4);
}

let gatherTs = new Float64Array(1024);
let gatherValues = new Float64Array(1024);
let gatherWords = new Uint32Array(gatherValues.buffer);
let scratchTs = new Float64Array(1024);
let scratchValues = new Float64Array(1024);
let scratchWords = new Uint32Array(scratchValues.buffer);

/**
 * Appends the samples in [start, end] that some window needs (all of them without windows) to
 * the output at `o`, copying values as 64-bit words; returns the new end of the output. `ts`
 * is sorted. It walks windows, not samples: a binary search finds each window's first and
 * last sample, so the samples between windows (three quarters of a chunk for `[5m]` at a
 * 20-minute step, nearly all of it for an instant selector) are never visited one by one.
 */
function copySelected(
  ts: Float64Array,
  words: Uint32Array,
  n: number,
  outTs: Float64Array,
  outWords: Uint32Array,
  o: number,
  start: number,
  end: number,
  w: SampleWindows | undefined,
): number {
  let i = firstAtOrAfter(ts, 0, n, start);
  const stop = firstAfter(ts, i, n, end);
  if (!w) return copyRange(ts, words, i, stop, outTs, outWords, o);
  while (i < stop) {
    const t = ts[i];
    // The first window ending at or after t.
    const ref = t <= w.first ? w.first : w.first + Math.ceil((t - w.first) / w.step) * w.step;
    if (ref > w.end) break;
    if (t < ref - w.width) {
      i = firstAtOrAfter(ts, i, stop, ref - w.width);
      continue;
    }
    const j = firstAfter(ts, i, stop, ref);
    o = copyRange(ts, words, w.lastOnly ? j - 1 : i, j, outTs, outWords, o);
    i = j;
  }
  return o;
}

/** The first index in [lo, hi) whose timestamp is at least x (hi if none). */
function firstAtOrAfter(ts: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index in [lo, hi) whose timestamp is above x (hi if none). */
function firstAfter(ts: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function copyRange(
  ts: Float64Array,
  words: Uint32Array,
  from: number,
  to: number,
  outTs: Float64Array,
  outWords: Uint32Array,
  o: number,
): number {
  for (let i = from; i < to; i++, o++) {
    outTs[o] = ts[i];
    outWords[2 * o] = words[2 * i];
    outWords[2 * o + 1] = words[2 * i + 1];
  }
  return o;
}

async function readHead(
  client: PoolClient,
  orgId: string,
  ids: number[],
  start: number,
  end: number,
): Promise<Map<number, RawSamples>> {
  const { rows } = await client.query<HeadRow>({
    text: `SELECT series_id, ts, value FROM samples
            WHERE org_id = $1 AND series_id = ANY($2::bigint[]) AND ts >= $3 AND ts <= $4
            ORDER BY series_id, ts`,
    values: [orgId, int8ArrayLiteral(ids), start, end],
    rowMode: 'array',
  });
  return groupHeadRows(rows, rows.length);
}

type HeadRow = [string, string, number | null, ...unknown[]];

/** Head rows 0..n (sorted by series, then ts) as samples per series. */
function groupHeadRows(rows: HeadRow[], n: number): Map<number, RawSamples> {
  const out = new Map<number, RawSamples>();
  let i = 0;
  while (i < n) {
    const sid = rows[i][0];
    let j = i;
    while (j < n && rows[j][0] === sid) j++;
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

/** Whether any window meets [min, max]: the first window ending at or after `min` starts by `max`. */
function touchesWindow(min: number, max: number, w: SampleWindows): boolean {
  const k = min <= w.first ? 0 : Math.ceil((min - w.first) / w.step);
  const t = w.first + k * w.step;
  return t <= w.end && t - w.width <= max;
}

/**
 * The samples inside some window (or, with lastOnly, the newest of each window), copied into
 * fresh arrays as 64-bit words so NaN payloads survive.
 */
export function inWindows(r: RawSamples, w: SampleWindows): RawSamples {
  const n = r.timestamps.length;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const kept = copySelected(
    r.timestamps,
    new Uint32Array(r.values.buffer, r.values.byteOffset, n * 2),
    n,
    timestamps,
    new Uint32Array(values.buffer),
    0,
    -Infinity,
    Infinity,
    w,
  );
  if (kept === n) return r;
  return { timestamps: timestamps.subarray(0, kept), values: values.subarray(0, kept) };
}

/** Merges two sorted sample lists; on equal timestamps `first` wins. */
export function mergeSamples(first: RawSamples, second: RawSamples): RawSamples {
  if (second.timestamps.length === 0) return first;
  if (first.timestamps.length === 0) return second;
  if (first.timestamps[first.timestamps.length - 1] < second.timestamps[0]) {
    // The usual case, chunks then the head: a byte copy of each.
    const n1 = first.timestamps.length;
    const timestamps = new Float64Array(n1 + second.timestamps.length);
    const values = new Float64Array(timestamps.length);
    timestamps.set(first.timestamps);
    timestamps.set(second.timestamps, n1);
    values.set(first.values);
    values.set(second.values, n1);
    return { timestamps, values };
  }
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
