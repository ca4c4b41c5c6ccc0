import {
  chunkSampleCount,
  decodeChunkInto,
  encodeChunk,
  sparseValueOrder,
} from '../codec/chunk-codec';
import { CHUNK_HEADER, mergeSamples, type RawSamples } from '../read/sample-store';
import { BLOCK_MS } from '../tsdb.types';

/** One chunk of a day row, with the bounds its header carries. */
export interface Piece {
  min: number;
  max: number;
  data: Uint8Array;
}

/**
 * The chunks of a series' day row: the samples of the row there is (`stored`, its chunks in
 * time order, or none) and of the day's 2 h chunks stored after it (`late`, in block order),
 * a stored sample winning a timestamp, laid out as layDay says.
 */
export function dayRowChunks(stored: Piece[], late: Piece[]): Piece[] {
  const samples = mergeSamples(decodePieces(stored), decodePieces(late));
  return layDay(samples, lonePieces([...stored, ...late]));
}

/**
 * A day's samples as chunks. Each run of 2 h blocks that together are one regular scrape —
 * timestamps first + i·delta across the block boundaries (same delta, the next block's first
 * sample one delta after the previous block's last) and values the reader decodes at its
 * windows' samples alone (see decodeChunkRanges) — is ONE chunk: a 7-day read of a regular
 * series then parses 8 chunk headers and places its windows 8 times, instead of 84. Any other
 * block (a gap or a jitter in it, values with NaNs or infinities) is a chunk of its own, as are
 * the blocks on either side of a gap or a changed interval, so nothing that reads fast as 2 h
 * chunks reads slower in a day row. Blocks are not joined where the one chunk would not read
 * sparsely (Gorilla-coded values, fields over 24 bits: read whole, a day of them costs what its
 * blocks cost and loses the reader's skipping of blocks no window touches), would be running
 * sums where a block was raw values (see `joined`), or would take more bytes than the chunks it
 * replaces (one block's wide increments would widen the whole day's).
 * The layout depends only on the samples, so a re-merge of a day (a late sample folded in)
 * lays it out as a first merge would.
 *
 * `alone` (lonePieces) holds stored chunks by first timestamp whose bytes are exactly some
 * samples here: a chunk of the same bounds and count is reused rather than encoded again.
 */
export function layDay(samples: RawSamples, alone: Map<number, Piece>): Piece[] {
  const ts = samples.timestamps;
  const n = ts.length;
  const words = new Uint32Array(samples.values.buffer, samples.values.byteOffset, 2 * n);
  const out: Piece[] = [];
  // The run being gathered: its blocks' first sample indexes, and its delta (NaN while it is
  // one sample long; 0 when it is a block that joins nothing).
  let starts: number[] = [];
  let delta = 0;
  for (let a = 0; a < n;) {
    const b = blockEnd(ts, a);
    const d = regularDelta(ts, words, a, b);
    const gap = a > 0 ? ts[a] - ts[a - 1] : NaN;
    const joins =
      starts.length > 0 &&
      delta !== 0 &&
      d !== 0 &&
      (Number.isNaN(delta) || delta === gap) &&
      (Number.isNaN(d) || d === gap);
    if (joins) delta = gap;
    else {
      if (starts.length > 0) layRun(samples, starts, a, alone, out);
      starts = [];
      delta = d;
    }
    starts.push(a);
    a = b;
  }
  if (starts.length > 0) layRun(samples, starts, n, alone, out);
  return out;
}

/** The run of blocks starting at `starts` (sample indexes) and ending before `end`, onto `out`. */
function layRun(
  s: RawSamples,
  starts: number[],
  end: number,
  alone: Map<number, Piece>,
  out: Piece[],
): void {
  const ends = starts.map((_, k) => (k + 1 < starts.length ? starts[k + 1] : end));
  const blocks = starts.map((a, k) => chunkOf(s, a, ends[k], alone));
  if (blocks.length === 1) return void out.push(blocks[0]);
  const whole = joined(s, starts[0], end, blocks, alone);
  if (whole) return void out.push(whole);
  // Some block does not suit the others (a restart that changes the values' divisor, wide
  // increments for a while): blocks are joined one by one onto the chunk before them while
  // that still pays. Only such runs take the extra encodings, and only blocks that read
  // sparsely themselves are tried (a Gorilla-coded gauge's day costs one encoding, not twelve).
  let group = blocks[0];
  let from = starts[0];
  for (let k = 1; k < blocks.length; k++) {
    const next =
      sparseValueOrder(group.data) >= 0 && sparseValueOrder(blocks[k].data) >= 0
        ? joined(s, from, ends[k], [group, blocks[k]], alone)
        : undefined;
    if (next) group = next;
    else {
      out.push(group);
      group = blocks[k];
      from = starts[k];
    }
  }
  out.push(group);
}

/**
 * Samples [a, b) as one chunk when the reader decodes it sparsely, at least as directly as each
 * of `parts` (the chunks it would replace), and in no more bytes than they take.
 */
function joined(
  s: RawSamples,
  a: number,
  b: number,
  parts: Piece[],
  alone: Map<number, Piece>,
): Piece | undefined {
  const one = chunkOf(s, a, b, alone);
  let apart = 0;
  for (const p of parts) apart += CHUNK_HEADER + p.data.length;
  if (CHUNK_HEADER + one.data.length > apart) return undefined;
  const order = sparseValueOrder(one.data);
  // Raw values (order 0) are read at the wanted indexes alone; running sums (a gauge the
  // encoder found cheaper as deltas over a whole day) add every residual before them: an
  // instant selector's one sample per step would cost a sum over the day.
  if (order < 0 || (order > 0 && parts.some((p) => sparseValueOrder(p.data) === 0)))
    return undefined;
  return one;
}

/** Samples [a, b) as one chunk: a stored one of exactly those samples, else encoded. */
function chunkOf(s: RawSamples, a: number, b: number, alone: Map<number, Piece>): Piece {
  const min = s.timestamps[a];
  const max = s.timestamps[b - 1];
  const held = alone.get(min);
  if (held && held.max === max && chunkSampleCount(held.data) === b - a) return held;
  return { min, max, data: encodeChunk(s.timestamps.subarray(a, b), s.values.subarray(a, b)) };
}

/** The index after the last sample of the 2 h block holding sample `a`. */
function blockEnd(ts: Float64Array, a: number): number {
  const t = ts[a];
  const end = t - (((t % BLOCK_MS) + BLOCK_MS) % BLOCK_MS) + BLOCK_MS;
  let b = a + 1;
  while (b < ts.length && ts[b] < end) b++;
  return b;
}

/**
 * The delta of samples [a, b) when their timestamps are a regular scrape's and every value is
 * finite and not −0 (so a scaled column needs no exceptions); NaN for one such sample, 0 when
 * they are not regular.
 */
function regularDelta(ts: Float64Array, words: Uint32Array, a: number, b: number): number {
  for (let i = a; i < b; i++) {
    const hi = words[2 * i + 1];
    // Exponent all ones: an infinity or a NaN (the staleness marker among them); −0: sign alone.
    if ((hi & 0x7ff00000) === 0x7ff00000 || (hi === 0x80000000 && words[2 * i] === 0)) return 0;
  }
  if (b - a === 1) return NaN;
  const d = ts[a + 1] - ts[a];
  for (let i = a + 2; i < b; i++) if (ts[i] - ts[i - 1] !== d) return 0;
  return d;
}

/** Chunks in time order, apart, decoded into one sample list. */
function decodePieces(pieces: Piece[]): RawSamples {
  let total = 0;
  for (const p of pieces) total += chunkSampleCount(p.data);
  const timestamps = new Float64Array(total);
  const values = new Float64Array(total);
  let o = 0;
  for (const p of pieces) {
    const at = o;
    o += decodeChunkInto(p.data, timestamps.subarray(o), values.subarray(o));
    // Not after the chunk before it (only a row written wrongly): merged, the first one winning.
    if (at > 0 && timestamps[at] <= timestamps[at - 1]) return mergedPieces(pieces);
  }
  return { timestamps, values };
}

function mergedPieces(pieces: Piece[]): RawSamples {
  let out: RawSamples = { timestamps: new Float64Array(0), values: new Float64Array(0) };
  for (const p of pieces) {
    const n = chunkSampleCount(p.data);
    const one = { timestamps: new Float64Array(n), values: new Float64Array(n) };
    decodeChunkInto(p.data, one.timestamps, one.values);
    out = mergeSamples(out, one);
  }
  return out;
}

/**
 * The pieces whose [min, max] meets no other piece's, by min: the merged samples in that span
 * are exactly such a piece's own, so its bytes can stand for them.
 */
export function lonePieces(pieces: Piece[]): Map<number, Piece> {
  const sorted = [...pieces].sort((a, b) => a.min - b.min);
  const out = new Map<number, Piece>();
  let reach = -Infinity; // the latest max of the pieces before
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i];
    if (reach < p.min && (i + 1 === sorted.length || sorted[i + 1].min > p.max)) out.set(p.min, p);
    reach = Math.max(reach, p.max);
  }
  return out;
}
