import { inlineParams } from '@tocsin/db';
import type { Pool, PoolClient } from 'pg';
import {
  chunkSampleCount,
  decodeChunkEnds,
  decodeChunkInto,
  decodeChunkRanges,
  readRegularChunk,
  type RegularChunk,
} from '../codec/chunk-codec';
import type { Labels, WindowEnds } from '../model';
import { joinLabels } from '../series/labels';
import { type FoundSeries, matchingError } from '../series/series.repository';
import { int8ArrayLiteral } from '../sql-literals';
import { assertOrgId, TsdbInputError } from '../tsdb.errors';
import { BLOCK_MS, DAY_MS, HOUR_MS } from '../tsdb.types';
import { LogGather } from '../write/sample-log';
import { CopyQuery } from './copy-query';
import { releaseSamples, SampleArena } from './sample-pool';

export interface RawSamples {
  timestamps: Float64Array;
  values: Float64Array;
  /** Windows read by their ends (SampleWindows.ends): their samples are not in the arrays. */
  ends?: WindowEnds;
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
  /**
   * Range windows (not lastOnly) that need only their ends may come as RawSamples.ends: those
   * inside one regular sealed chunk, and with 'rising' only those with no counter reset.
   */
  ends?: 'any' | 'rising';
}

const ID_BATCH = 1000;
const EMPTY: RawSamples = { timestamps: new Float64Array(0), values: new Float64Array(0) };

/**
 * Samples of the given series in [start, end] from all three stores, merged by timestamp: the
 * head log's unfolded tail (`sample_log`), the per-sample head (`samples`, written by earlier
 * versions and drained by the compactor) and the per-series chunks. A timestamp in several
 * keeps the chunk's sample, then the head's, then the first-logged one: it was stored first.
 * All three come back in one binary COPY (see samplesCopy), so in one round trip and one
 * snapshot: a flush or compaction moves samples between stores in one transaction, which
 * that snapshot sees whole or not at all. Values are copied as 64-bit words so NaN payloads
 * survive. Runs inside the caller's organization-scoped transaction. The one raw-read path:
 * the engine (through selectSamples), alert evaluation and rollups all read through it.
 */
export async function readSamples(
  client: PoolClient,
  orgId: string,
  seriesIds: number[],
  start: number,
  end: number,
  windows?: SampleWindows,
): Promise<Map<number, RawSamples>> {
  assertOrgId(orgId);
  checkRange(start, end);
  const out = new Map<number, RawSamples>();
  let log: Map<number, RawSamples> | undefined;
  for (let i = 0; i < seriesIds.length; i += ID_BATCH) {
    const ids = seriesIds.slice(i, i + ID_BATCH);
    // Its callers (alert evaluation, rollups) read samples: windows as ends are the engine's.
    const rows = new SampleRows(
      start,
      end,
      effectiveWindows(windows && { ...windows, ends: undefined }),
    );
    // Log rows hold a few seconds of an organization's writes (the flusher folds them): the
    // first batch's read serves every batch.
    const sql = samplesCopy(
      orgId,
      `unnest('${int8ArrayLiteral(ids)}'::bigint[]) AS u(id)`,
      start,
      end,
      i === 0,
    );
    const query = new CopyQuery(`COPY (${sql}) TO STDOUT (FORMAT binary)`, (piece) =>
      rows.push(piece),
    );
    void client.query(query as never);
    await query.done;
    rows.finish();
    log ??= rows.log(Float64Array.from(seriesIds).sort());
    rows.mergeInto(out, ids, log);
  }
  return out;
}

/**
 * The series matching `lookup` (findSeriesQuery's statement) and their samples in [start, end],
 * in one round trip: the look-up is a CTE of the samples COPY, sent in one simple-protocol
 * message after SET TRANSACTION READ ONLY and the organization's set_config, which run as one
 * implicit transaction (see CopyQuery): no BEGIN, no COMMIT. More than `maxSeries` matches is an
 * input error, found before any sample is read.
 */
export async function selectSamples(
  pool: Pool,
  orgId: string,
  lookup: { text: string; values: unknown[] },
  maxSeries: number,
  start: number,
  end: number,
  windows?: SampleWindows,
): Promise<{ found: FoundSeries[]; samples: Map<number, RawSamples> }> {
  assertOrgId(orgId);
  checkRange(start, end);
  if (!Number.isSafeInteger(maxSeries))
    throw new TsdbInputError(`invalid series limit ${maxSeries}`);
  // The engine hands the arrays back once it has evaluated the query (releaseSamples).
  const rows = new SampleRows(start, end, effectiveWindows(windows), new SampleArena());
  const sql = samplesCopy(orgId, 'u', start, end, true);
  const query = new CopyQuery(
    `SET TRANSACTION READ ONLY; SELECT set_config('app.org_id', '${orgId}', true); ` +
      `COPY (WITH found AS MATERIALIZED (${inlineParams(lookup.text, lookup.values)}),
                  u AS (SELECT id FROM found WHERE (SELECT count(*) FROM found) <= ${maxSeries})
              SELECT ${SERIES}::int2, f.id, convert_to(f.labels::text || chr(10) || f.metric, 'UTF8') FROM found f
              UNION ALL ${sql}) TO STDOUT (FORMAT binary)`,
    (piece) => rows.push(piece),
  );
  const client = await pool.connect();
  try {
    void client.query(query as never);
    await query.done;
  } catch (err) {
    // A statement PostgreSQL refused leaves the connection usable (its transaction ended with
    // the message); anything else may not have.
    client.release((err as { severity?: string }).severity ? undefined : (err as Error));
    // Only the look-up has regexes for PostgreSQL to refuse.
    throw matchingError(err);
  }
  client.release();
  rows.finish();
  const found = rows.found;
  if (found.length > maxSeries)
    throw new TsdbInputError(`the selector matches more than ${maxSeries} series`);
  const ids = found.map((f) => f.id);
  const samples = new Map<number, RawSamples>();
  if (!rows.mergeInto(samples, ids, rows.log(Float64Array.from(ids).sort()))) {
    // A head or log sample inside a window read by its ends (a late write not yet flushed
    // into its chunk): that window needs its chunk's samples, which were never decoded. Rare
    // (a backfill's few seconds), so the select is read again, all of it in one snapshot.
    releaseSamples(samples.values());
    return selectSamples(pool, orgId, lookup, maxSeries, start, end, {
      ...windows!,
      ends: undefined,
    });
  }
  return { found, samples };
}

function checkRange(start: number, end: number): void {
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw new TsdbInputError(`invalid time range ${start} .. ${end}`);
}

/** Windows that touch or overlap cover [start, end] whole: nothing to leave out. */
function effectiveWindows(w: SampleWindows | undefined): SampleWindows | undefined {
  return w && (w.lastOnly || w.width < w.step) ? w : undefined;
}

/** The first column of the samples COPY: what the row holds. */
const CHUNKS = 0;
const HEAD = 1;
const LOG = 2;
const SERIES = 3;

/** The stale marker's bits (model.ts), big-endian as float8send writes a value. */
const STALE_BYTES = '\\x7ff0000000000002';

/**
 * The samples COPY's query: rows of (kind, id, data) for the series of `ids` (a FROM item
 * with alias `u` and column `id`), all stores at once —
 * - CHUNKS, per series: its chunks overlapping [start, end], packed (see chunkRows);
 * - HEAD, per series with head rows in range: (ts int8, value float8) pairs, the stale marker
 *   (NULL in the head) as its NaN;
 * - LOG (with `withLog`), per head-log row overlapping [start, end]: id the row's, data as
 *   written (unpacked for the wanted series by LogGather);
 * - SERIES (selectSamples adds them), per series found: its labels as jsonb text, a newline,
 *   then its metric name.
 * Row order does not matter to the reader. COPY takes no bind parameters: the organization id
 * is checked as a UUID and every other value is an integer written by this code.
 */
function samplesCopy(
  orgId: string,
  ids: string,
  start: number,
  end: number,
  withLog: boolean,
): string {
  // Whole milliseconds that contain [start, end]: the samples are filtered exactly in JS.
  const lo = Math.floor(start);
  const hi = Math.ceil(end);
  const parts = [
    chunkRows(orgId, ids, lo, hi),
    `SELECT ${HEAD}::int2, h.series_id,
            string_agg(int8send(h.ts) || coalesce(float8send(h.value), '${STALE_BYTES}'::bytea), ''::bytea ORDER BY h.ts)
       FROM samples h
      WHERE h.org_id = '${orgId}' AND h.series_id IN (SELECT u.id FROM ${ids})
        AND h.ts >= ${lo} AND h.ts <= ${hi}
      GROUP BY h.series_id`,
  ];
  if (withLog)
    parts.push(`SELECT ${LOG}::int2, l.id, l.data FROM sample_log l
                 WHERE l.org_id = '${orgId}' AND l.max_ts >= ${lo} AND l.min_ts <= ${hi}`);
  return parts.join(' UNION ALL ');
}

/**
 * A series' chunks come back as one row: SQL concatenates, in time order, each chunk's header
 * (byte length, min_ts, max_ts, big-endian) and data. A week is 84 chunks per series; a row
 * per chunk cost node-postgres a row, three column parses and a hex decode per chunk (84,000 at
 * a thousand series), and PostgreSQL a sorted merge of them. A day row (`sample_days`, see
 * jobs/day-merge.ts) holds its chunks with those headers already and goes in as it is, ordered
 * before the 2 h rows of its day: a 2 h row there was stored after the day row (a late sample),
 * and the reader's merge lets the earlier-stored sample win (see decodeSeriesChunks).
 */
export const CHUNK_HEADER = 20;

/**
 * The rows travel as a binary COPY rather than a query result: node-postgres receives a
 * bytea as hex text (twice the bytes on the wire, a string to build and a hex parse), and a
 * COPY streams, so each series is decoded as its row arrives while PostgreSQL aggregates the
 * next, and only one packed row is held at a time. One subquery per series (an index probe per
 * partition) starts that stream at once; a GROUP BY over all of them sorted every chunk first.
 */
function chunkRows(orgId: string, ids: string, lo: number, hi: number): string {
  const chunks = `SELECT block_start AS k, int4send(length(data)) || int8send(min_ts) || int8send(max_ts) || data AS data
                    FROM sample_chunks
                   WHERE org_id = '${orgId}' AND series_id = u.id
                     AND block_start > ${lo - BLOCK_MS} AND block_start <= ${hi}
                     AND max_ts >= ${lo} AND min_ts <= ${hi}`;
  // Day rows exist only for days that are over (the compactor merges a day once its last block
  // is sealed), so a range starting today needs no probe of sample_days: a 1-hour query's
  // select was ~15 % slower with one. The hour of margin covers clocks a little ahead of this
  // one's, and the day's last hour, when it would not cover that, still probes.
  const days =
    lo < Math.floor((Date.now() + HOUR_MS) / DAY_MS) * DAY_MS
      ? `SELECT day - 1 AS k, data
           FROM sample_days
          WHERE org_id = '${orgId}' AND series_id = u.id
            AND day > ${lo - DAY_MS} AND day <= ${hi}
            AND max_ts >= ${lo} AND min_ts <= ${hi}
         UNION ALL `
      : '';
  return `SELECT ${CHUNKS}::int2, u.id,
             (SELECT string_agg(c.data, ''::bytea ORDER BY c.k) FROM (${days}${chunks}) c)
        FROM ${ids}`;
}

/**
 * What the samples COPY returns, gathered as its messages arrive: chunk and head rows are
 * decoded on arrival (a view of the driver's buffer, valid only then), log rows and series
 * labels are kept as copies until the end.
 */
class SampleRows {
  readonly chunks = new Map<number, RawSamples>();
  readonly head = new Map<number, RawSamples>();
  readonly found: FoundSeries[] = [];
  private readonly logRows: Array<{ id: number; data: Buffer }> = [];
  private readonly copy = new CopyRows();

  constructor(
    private readonly start: number,
    private readonly end: number,
    private readonly windows: SampleWindows | undefined,
    private readonly arena?: SampleArena,
  ) {}

  push(piece: Buffer): void {
    this.copy.push(piece, (id, data, kind) => {
      if (kind === CHUNKS) {
        const s = decodeSeriesChunks(data, this.start, this.end, this.windows, this.arena);
        if (s) this.chunks.set(id, s);
      } else if (kind === HEAD) {
        const s = decodeHeadRows(data, this.start, this.end, this.windows);
        if (s) this.head.set(id, s);
      } else if (kind === LOG) this.logRows.push({ id, data: Buffer.from(data) });
      else if (kind === SERIES) {
        // jsonb's text has no raw newline (one in a string is escaped); a metric name might.
        const text = data.toString('utf8');
        const nl = text.indexOf('\n');
        const labels = JSON.parse(text.slice(0, nl)) as Labels;
        this.found.push({ id, labels: joinLabels(text.slice(nl + 1), labels) });
      } else throw new Error(`unexpected samples COPY row kind ${kind}`);
    });
  }

  finish(): void {
    if (!this.copy.done) throw new Error('the samples COPY ended before its trailer');
    // The look-up's order (by id), whatever order the COPY sent them in.
    this.found.sort((a, b) => a.id - b.id);
  }

  /** The log rows' samples of the `wanted` series (sorted), the first-logged row first. */
  log(wanted: Float64Array): Map<number, RawSamples> {
    if (this.logRows.length === 0) return new Map();
    this.logRows.sort((a, b) => a.id - b.id);
    const gather = new LogGather(wanted, this.start, this.end);
    for (const r of this.logRows) gather.add(r.data);
    return gather.result();
  }

  /**
   * Each of `ids`' samples from the three stores, merged (chunk, then head, then log); false
   * when a head or log sample falls in a window read by its ends (see selectSamples).
   */
  mergeInto(out: Map<number, RawSamples>, ids: number[], log: Map<number, RawSamples>): boolean {
    let sound = true;
    for (const id of ids) {
      let head = this.head.get(id) ?? EMPTY;
      const l = log.get(id);
      if (l) {
        const merged = mergeSamples(head, l);
        // Filtering each store on its own keeps a superset (a window's newest sample per
        // store), and the merge below still lets the chunk's copy of a timestamp win.
        head = this.windows ? inWindows(merged, this.windows) : merged;
      }
      const chunks = this.chunks.get(id) ?? EMPTY;
      const ends = chunks.ends;
      if (ends && head.timestamps.length > 0 && endsMeet(ends, head.timestamps)) sound = false;
      const merged = mergeSamples(chunks, head);
      if (ends) out.set(id, { timestamps: merged.timestamps, values: merged.values, ends });
      else if (merged.timestamps.length > 0) out.set(id, merged);
    }
    return sound;
  }
}

/** Whether any of `ts` is in a window that `ends` holds. */
function endsMeet(ends: WindowEnds, ts: Float64Array): boolean {
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    const k = t <= ends.first ? 0 : Math.ceil((t - ends.first) / ends.step);
    const ref = ends.first + k * ends.step;
    if (k < ends.n && t >= ref - ends.width && ends.data[5 * k] > 0) return true;
  }
  return false;
}

/** A series' packed head rows (see samplesCopy): the samples in range the windows need. */
function decodeHeadRows(
  packed: Buffer,
  start: number,
  end: number,
  windows: SampleWindows | undefined,
): RawSamples | undefined {
  const n = packed.length >>> 4;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const words = new Uint32Array(values.buffer);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const p = i << 4;
    const t = packed.readInt32BE(p) * 0x1_0000_0000 + packed.readUInt32BE(p + 4);
    if (t < start || t > end) continue;
    timestamps[o] = t;
    words[2 * o] = packed.readUInt32BE(p + 12);
    words[2 * o + 1] = packed.readUInt32BE(p + 8);
    o++;
  }
  if (o === 0) return undefined;
  const r = { timestamps: timestamps.subarray(0, o), values: values.subarray(0, o) };
  return windows ? inWindows(r, windows) : r;
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Rows of a binary COPY of (int8, bytea), or (int2, int8, bytea) — a row kind first — as they
 * arrive in pieces of any size: the header, then per row a field count, and each field's length
 * and bytes; a count of -1 ends it. A NULL or empty bytea is no row. Its errors are plain ones:
 * a malformed COPY is the server's or the driver's fault, not the caller's (TsdbInputError
 * means HTTP 400). A partial row left at the end of a piece is copied, since a driver may reuse
 * the piece's memory once `push` returns.
 */
export class CopyRows {
  done = false;
  private parts: Buffer[] = [];
  private size = 0;
  /** Bytes the next step needs: pieces are only joined once that many have arrived. */
  private need = 19;
  private headerRead = false;

  push(piece: Buffer, onRow: (sid: number, packed: Buffer, kind: number) => void): void {
    if (this.done) return;
    this.size += piece.length;
    if (this.size < this.need) {
      this.parts.push(Buffer.from(piece));
      return;
    }
    this.parts.push(piece);
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
      if (fields !== 2 && fields !== 3) throw new Error(`unexpected COPY row of ${fields} fields`);
      // The kind column (int2: a 4-byte length and 2 bytes) shifts the other two.
      const k = fields === 3 ? 6 : 0;
      if (buf.length - p < 18 + k) {
        this.need = 18 + k;
        break;
      }
      const len = Math.max(buf.readInt32BE(p + 14 + k), 0); // -1 is NULL
      if (buf.length - p < 18 + k + len) {
        this.need = 18 + k + len;
        break;
      }
      if (len > 0)
        onRow(
          Number(buf.readBigInt64BE(p + 6 + k)),
          buf.subarray(p + 18 + k, p + 18 + k + len),
          k ? buf.readInt16BE(p + 6) : 0,
        );
      p += 18 + k + len;
    }
    this.parts = p < buf.length ? [Buffer.from(buf.subarray(p))] : [];
    this.size = buf.length - p;
  }
}

/**
 * One series' packed chunks (see chunkRows): the samples the windows need, or none, in arrays
 * from `arena` when given (fresh ones otherwise). Chunks in time order, the usual case, are
 * gathered into one output; a chunk overlapping those before it (a late sample's chunk in a
 * merged day) sends the series through mergedSeriesChunks. With `windows.ends`, the windows
 * wholly inside one regular chunk come as ends (see readEnds). Exported for its specs.
 */
export function decodeSeriesChunks(
  packed: Buffer,
  start: number,
  end: number,
  windows: SampleWindows | undefined,
  arena?: SampleArena,
): RawSamples | undefined {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.length);
  let total = 0;
  let last = -Infinity;
  for (let p = 0; p < packed.length; p += CHUNK_HEADER + view.getUint32(p)) {
    const min = int64At(view, p + 4);
    if (min <= last) return mergedSeriesChunks(packed, start, end, windows);
    last = int64At(view, p + 12);
    if (windows && !touchesWindow(min, last, windows)) continue;
    // Exactly the chunk's bytes: an open chunk's sample count is its length.
    total += chunkSampleCount(packed, p + CHUNK_HEADER, p + CHUNK_HEADER + view.getUint32(p));
  }
  // Chunks decode into a shared scratch buffer, the samples the query needs are gathered in
  // another, and each series then gets exactly one allocation of its final size.
  if (gatherTs.length < total) {
    gatherTs = new Float64Array(total);
    gatherValues = new Float64Array(total);
    gatherWords = new Uint32Array(gatherValues.buffer);
  }
  const endsMode = windows && !windows.lastOnly ? windows.ends : undefined;
  const nWindows =
    endsMode && windows!.end >= windows!.first
      ? Math.floor((windows!.end - windows!.first) / windows!.step) + 1
      : 0;
  endsData = undefined;
  endsArena = arena;
  endsOwned = 0;
  let o = 0;
  let prevMax = -Infinity;
  for (let p = 0; p < packed.length;) {
    const len = view.getUint32(p);
    const from = p + CHUNK_HEADER;
    const max = int64At(view, p + 12);
    const skip = windows && !touchesWindow(int64At(view, p + 4), max, windows);
    const before = prevMax;
    prevMax = max;
    p = from + len;
    if (skip) continue;
    // A regular scrape's chunk: its windows are placed from the timestamps' closed form and
    // only the samples in them are decoded (a counter's running sum still adds every residual
    // before them, without storing it). Windows wanting most of a chunk (or no windows) decode
    // it whole: element by element is slower per sample than the whole decode.
    if (windows && readRegularChunk(packed, regular, from, p)) {
      const k = selectedRanges(
        undefined,
        regular.first,
        regular.delta,
        regular.n,
        start,
        end,
        windows,
      );
      // Windows wholly inside this chunk (no sample of another chunk in them: chunks here
      // are in time order and apart) are read by their ends, the others from their samples.
      const nextMin = p < packed.length ? int64At(view, p + 4) : Infinity;
      let next =
        nWindows > 0 && k > 0
          ? readEnds(packed, k, before, nextMin, windows, nWindows, endsMode === 'rising', o)
          : NO_ENDS;
      if (next === NO_ENDS) {
        let wanted = 0;
        for (let r = 0; r < k; r++) wanted += ranges[2 * r + 1] - ranges[2 * r];
        next =
          2 * wanted <= regular.n
            ? decodeChunkRanges(packed, regular, ranges, k, gatherTs, gatherValues, o)
            : -1;
      }
      if (next >= 0) {
        o = next;
        continue;
      }
    }
    const data = packed.subarray(from, p);
    const n = chunkSampleCount(data);
    if (scratchTs.length < n) {
      scratchTs = new Float64Array(n);
      scratchValues = new Float64Array(n);
      scratchWords = new Uint32Array(scratchValues.buffer);
    }
    decodeChunkInto(data, scratchTs, scratchValues);
    o = copySelected(scratchTs, scratchWords, n, gatherTs, gatherWords, o, start, end, windows);
  }
  const ends =
    endsOwned > 0
      ? {
          first: windows!.first,
          step: windows!.step,
          width: windows!.width,
          n: nWindows,
          rising: endsMode === 'rising',
          data: endsData!,
        }
      : undefined;
  // Not kept past the series: the arena's arrays are the engine's once returned.
  endsData = endsArena = undefined;
  // slice() and set() between Float64Arrays copy bytes, so NaN payloads survive.
  if (o === 0)
    return ends && { timestamps: new Float64Array(0), values: new Float64Array(0), ends };
  if (!arena) return { timestamps: gatherTs.slice(0, o), values: gatherValues.slice(0, o), ends };
  const timestamps = arena.take(o);
  timestamps.set(gatherTs.subarray(0, o));
  const values = arena.take(o);
  values.set(gatherValues.subarray(0, o));
  return { timestamps, values, ends };
}

/** readEnds' answer when no window is the chunk's own: the chunk is read as before. */
const NO_ENDS = -2;

/**
 * The selectedRanges of a regular chunk (`regular`) that are whole windows of it, no other
 * chunk having samples in them (the chunks before this one end at `before`, those after start
 * at `nextMin`), as ends into endsData; the other ranges' samples appended to the gathered output
 * at `o`. Returns the new end of the output, -1 when the chunk's values cannot be read so
 * (decode it whole), or NO_ENDS when no range is a window of its own.
 */
function readEnds(
  packed: Buffer,
  k: number,
  before: number,
  nextMin: number,
  w: SampleWindows,
  nWindows: number,
  rising: boolean,
  o: number,
): number {
  if (windowOf.length < k) windowOf = new Int32Array(2 * k);
  const { first, delta, n } = regular;
  let any = false;
  for (let r = 0; r < k; r++) {
    const a = ranges[2 * r];
    const b = ranges[2 * r + 1];
    const ta = first + a * delta;
    const x = rangeWindows[r];
    const ref = w.first + x * w.step;
    const lo = ref - w.width;
    // Exactly the chunk's samples in [lo, ref], checked on the closed form's timestamps.
    const own =
      x < nWindows &&
      before < lo &&
      ref < nextMin &&
      ta >= lo &&
      (a === 0 || ta - delta < lo) &&
      first + (b - 1) * delta <= ref &&
      (b === n || first + b * delta > ref);
    windowOf[r] = own ? x : -1;
    any ||= own;
  }
  if (!any) return NO_ENDS;
  // The series' ends are written in place, in an array taken when a chunk first has a window
  // of its own (zeroed: an arena's blocks are reused).
  endsData ??= endsArena ? endsArena.take(5 * nWindows).fill(0) : new Float64Array(5 * nWindows);
  const next = decodeChunkEnds(
    packed,
    regular,
    ranges,
    k,
    windowOf,
    rising,
    endsData,
    gatherTs,
    gatherValues,
    o,
  );
  if (next < 0) return -1;
  for (let r = 0; r < k; r++) if (windowOf[r] >= 0) endsOwned++;
  return next;
}

/**
 * decodeSeriesChunks for chunks out of time order: each chunk's samples on their own, merged
 * in row order, so the earlier row's sample wins a timestamp (chunkRows puts a day row before
 * the 2 h rows stored after it).
 */
function mergedSeriesChunks(
  packed: Buffer,
  start: number,
  end: number,
  windows: SampleWindows | undefined,
): RawSamples | undefined {
  // A window here may have samples in chunks that overlap: it is read from its samples.
  if (windows?.ends) windows = { ...windows, ends: undefined };
  const view = new DataView(packed.buffer, packed.byteOffset, packed.length);
  let out = EMPTY;
  for (let p = 0; p < packed.length; p += CHUNK_HEADER + view.getUint32(p)) {
    const one = decodeSeriesChunks(
      packed.subarray(p, p + CHUNK_HEADER + view.getUint32(p)),
      start,
      end,
      windows,
    );
    if (one) out = mergeSamples(out, one);
  }
  return out.timestamps.length > 0 ? out : undefined;
}

/** A big-endian int8 (a millisecond timestamp, well inside 2^53) at byte `p`. */
export function int64At(view: DataView, p: number): number {
  return view.getInt32(p) * 0x1_0000_0000 + view.getUint32(p + 4);
}

let gatherTs = new Float64Array(1024);
let gatherValues = new Float64Array(1024);
let gatherWords = new Uint32Array(gatherValues.buffer);
let scratchTs = new Float64Array(1024);
let scratchValues = new Float64Array(1024);
let scratchWords = new Uint32Array(scratchValues.buffer);

const regular: RegularChunk = { n: 0, first: 0, delta: 0, values: 0, end: 0 };
/** readEnds' scratch: per range the window it is read as the ends of, or −1. */
let windowOf = new Int32Array(64);
/**
 * A series' windows read by their ends (WindowEnds.data), and how many, as readEnds fills them;
 * the arena the series' arrays come from.
 */
let endsData: Float64Array | undefined;
let endsOwned = 0;
let endsArena: SampleArena | undefined;
/**
 * selectedRanges' output: pairs [lo, hi) of sample indexes, grown as needed, and per pair the
 * index of the window it is the samples of (k for the window ending at first + k·step).
 */
let ranges = new Int32Array(64);
let rangeWindows = new Float64Array(32);

/**
 * Appends the samples in [start, end] that some window needs (all of them without windows) to
 * the output at `o`, copying values as 64-bit words; returns the new end of the output. `ts`
 * is sorted.
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
  const k = selectedRanges(ts, 0, 0, n, start, end, w);
  for (let r = 0; r < k; r++)
    o = copyRange(ts, words, ranges[2 * r], ranges[2 * r + 1], outTs, outWords, o);
  return o;
}

/**
 * The index ranges of the samples in [start, end] that some window needs (all of them without
 * windows), ascending, as pairs in `ranges`; returns how many. The timestamps are `ts` (sorted)
 * or, without it, first + i·delta for i < n (a regular chunk's). It walks windows, not samples:
 * a search finds each window's first and last sample, so the samples between windows (three
 * quarters of a chunk for `[5m]` at a 20-minute step, nearly all of it for an instant selector)
 * are never visited one by one.
 */
function selectedRanges(
  ts: Float64Array | undefined,
  first: number,
  delta: number,
  n: number,
  start: number,
  end: number,
  w: SampleWindows | undefined,
): number {
  let i = atOrAfter(ts, first, delta, 0, n, start);
  const stop = after(ts, first, delta, i, n, end);
  let k = 0;
  if (!w) return i < stop ? pushRange(k, i, stop, 0) : k;
  if (!ts && i < stop) {
    const stride = w.step / delta;
    // Windows a whole number of samples apart (a 20-minute step over a 30 s scrape: 40): the
    // first window's samples are found, and each next window's are the same indexes plus the
    // stride (t + step is exactly the timestamp `stride` samples on), without a division per
    // window. Ascending and apart as the walk below gives them: windows here are apart (width
    // under the step) unless lastOnly, whose one sample a window moves on by the stride.
    if (stride >= 1 && Number.isInteger(stride) && stride * delta === w.step) {
      const t = first + i * delta;
      let x = t <= w.first ? 0 : Math.ceil((t - w.first) / w.step);
      let ref = w.first + x * w.step;
      let lo = atOrAfter(undefined, first, delta, -Infinity, Infinity, ref - w.width);
      let hi = after(undefined, first, delta, -Infinity, Infinity, ref);
      // As the walk below, samples before i are taken: a window that still reaches a sample
      // an earlier one kept (lastOnly's lookback past the chunk's end) adds nothing. Windows
      // starting past the chunk's last sample end the walk (not the query's last window).
      for (
        ;
        ref <= w.end && lo < stop && i < stop;
        x++, ref += w.step, lo += stride, hi += stride
      ) {
        const a = lo > i ? lo : i;
        const b = hi < stop ? hi : stop;
        if (b <= a) continue;
        k = pushRange(k, w.lastOnly ? b - 1 : a, b, x);
        i = b;
      }
      return k;
    }
  }
  while (i < stop) {
    const t = ts ? ts[i] : first + i * delta;
    // The first window ending at or after t.
    const x = t <= w.first ? 0 : Math.ceil((t - w.first) / w.step);
    const ref = w.first + x * w.step;
    if (ref > w.end) break;
    if (t < ref - w.width) {
      i = atOrAfter(ts, first, delta, i, stop, ref - w.width);
      continue;
    }
    const j = after(ts, first, delta, i, stop, ref);
    k = pushRange(k, w.lastOnly ? j - 1 : i, j, x);
    i = j;
  }
  return k;
}

/**
 * selectedRanges' pairs as a fresh array, each followed by its window's index (for tests: both
 * ways of finding them must agree).
 */
export function windowRanges(...args: Parameters<typeof selectedRanges>): number[] {
  const k = selectedRanges(...args); // may grow `ranges`
  const out: number[] = [];
  for (let r = 0; r < k; r++) out.push(ranges[2 * r], ranges[2 * r + 1], rangeWindows[r]);
  return out;
}

/**
 * Sets pair `k` of `ranges` to [lo, hi), the samples of window `x` (without windows, 0),
 * growing the arrays as needed; returns the next pair's index.
 */
function pushRange(k: number, lo: number, hi: number, x: number): number {
  if (2 * k + 2 > ranges.length) {
    const grown = new Int32Array(ranges.length * 2);
    grown.set(ranges);
    ranges = grown;
    const windows = new Float64Array(ranges.length / 2);
    windows.set(rangeWindows);
    rangeWindows = windows;
  }
  ranges[2 * k] = lo;
  ranges[2 * k + 1] = hi;
  rangeWindows[k] = x;
  return k + 1;
}

/** The first index in [lo, hi) whose timestamp (see selectedRanges) is at least x (hi if none). */
function atOrAfter(
  ts: Float64Array | undefined,
  first: number,
  delta: number,
  lo: number,
  hi: number,
  x: number,
): number {
  if (ts) return firstAtOrAfter(ts, lo, hi, x);
  // Closed form, then checked against the exact timestamps either side.
  let i = Math.min(Math.max(Math.ceil((x - first) / delta), lo), hi);
  while (i > lo && first + (i - 1) * delta >= x) i--;
  while (i < hi && first + i * delta < x) i++;
  return i;
}

/** The first index in [lo, hi) whose timestamp (see selectedRanges) is above x (hi if none). */
function after(
  ts: Float64Array | undefined,
  first: number,
  delta: number,
  lo: number,
  hi: number,
  x: number,
): number {
  if (ts) return firstAfter(ts, lo, hi, x);
  let i = Math.min(Math.max(Math.floor((x - first) / delta) + 1, lo), hi);
  while (i > lo && first + (i - 1) * delta > x) i--;
  while (i < hi && first + i * delta <= x) i++;
  return i;
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
