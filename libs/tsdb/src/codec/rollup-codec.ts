import type { RollupSeries } from '../tsdb.types';
import { BitReader, BitWriter } from './bit-stream';
import { ChunkCodecError, readValues, writeValues } from './chunk-codec';
import { INT_SEQ_LIMIT, readIntSequence, writeIntSequence } from './int-sequence';

// One series' rollup buckets of one UTC day, as one value of rollup_1h.data / rollup_1m.data.
// A row per bucket cost ~200 B (tuple header, key columns, index entry) against ~1.5 B per raw
// sample in the chunks; packed, a day of hours costs a few hundred bytes. Columns share the
// bucket sequence and reuse the chunk codec: integer columns (buckets, counts, timestamps as
// offsets from their bucket) are int-sequences, float columns chunk-style value columns, so
// every double — NaN payloads, -0 — comes back bit for bit.
//
// Format 1 (written here): byte 1, then bits: n (16), the integer columns, the float columns.
// Format 0 (written by the migration that packed the old per-bucket rows, in SQL): byte 0, then
// per bucket 13 big-endian float8 in PLAIN_FIELDS order. Readers accept both; a re-roll writes 1.

export type RollupColumns = Omit<RollupSeries, 'labels'>;

const FORMAT_PLAIN = 0;
const FORMAT_PACKED = 1;
/** A day of minutes is 1,440 buckets. */
const MAX_BUCKETS = 0xffff;

const INT_FIELDS = ['count', 'resets', 'changes'] as const;
const FLOAT_FIELDS = [
  'sum',
  'sumSquares',
  'min',
  'max',
  'firstValue',
  'lastValue',
  'counterCorrection',
] as const;
/** Field order of format 0, the old table's column order. */
const PLAIN_FIELDS = [
  'buckets',
  'count',
  'resets',
  'changes',
  'sum',
  'sumSquares',
  'min',
  'max',
  'firstTs',
  'firstValue',
  'lastTs',
  'lastValue',
  'counterCorrection',
] as const satisfies ReadonlyArray<keyof RollupColumns>;

export function emptyRollupColumns(n: number): RollupColumns {
  const cols = {} as RollupColumns;
  for (const f of PLAIN_FIELDS) cols[f] = new Float64Array(n);
  return cols;
}

/** Encodes `n` buckets (strictly increasing bucket starts) of columns at least `n` long. */
export function encodeRollupBuckets(cols: RollupColumns, n = cols.buckets.length): Uint8Array {
  if (n > MAX_BUCKETS) throw new ChunkCodecError(`${n} rollup buckets in one row`);
  const b = cols.buckets;
  const ints = (xs: ArrayLike<number>, name: string) => {
    for (let i = 0; i < n; i++)
      if (!Number.isSafeInteger(xs[i]) || Math.abs(xs[i]) > INT_SEQ_LIMIT)
        throw new ChunkCodecError(`rollup ${name} ${xs[i]} is not an integer in range`);
  };
  ints(b, 'bucket');
  for (let i = 1; i < n; i++)
    if (b[i] <= b[i - 1]) throw new ChunkCodecError(`rollup buckets must increase (index ${i})`);
  const w = new BitWriter(32 + n * 24);
  w.write(FORMAT_PACKED, 8);
  w.write(n, 16);
  if (n === 0) return w.finish();
  writeIntSequence(w, b.subarray(0, n));
  for (const f of INT_FIELDS) {
    ints(cols[f], f);
    writeIntSequence(w, cols[f].subarray(0, n));
  }
  // Sample timestamps sit inside their bucket: offsets are small, and regular for a steady scrape.
  for (const f of ['firstTs', 'lastTs'] as const) {
    const off = new Float64Array(n);
    for (let i = 0; i < n; i++) off[i] = cols[f][i] - b[i];
    ints(off, f);
    writeIntSequence(w, off);
  }
  for (const f of FLOAT_FIELDS) writeValues(w, cols[f].slice(0, n)); // slice copies bytes: NaN bits kept
  return w.finish();
}

export function decodeRollupBuckets(data: Uint8Array): RollupColumns {
  if (data.length < 1) throw new ChunkCodecError('rollup data too short');
  if (data[0] === FORMAT_PLAIN) return decodePlain(data);
  if (data[0] !== FORMAT_PACKED) throw new ChunkCodecError(`unknown rollup format ${data[0]}`);
  const r = new BitReader(data);
  try {
    r.read(8);
    const n = r.read(16);
    const cols = emptyRollupColumns(n);
    if (n === 0) return cols;
    readIntSequence(r, n, cols.buckets);
    for (const f of INT_FIELDS) readIntSequence(r, n, cols[f]);
    for (const f of ['firstTs', 'lastTs'] as const) {
      readIntSequence(r, n, cols[f]);
      for (let i = 0; i < n; i++) cols[f][i] += cols.buckets[i];
    }
    for (const f of FLOAT_FIELDS) readValues(r, n, cols[f]);
    return cols;
  } catch (err) {
    if (err instanceof RangeError) throw new ChunkCodecError('rollup data truncated or corrupt');
    throw err;
  }
}

function decodePlain(data: Uint8Array): RollupColumns {
  const width = PLAIN_FIELDS.length * 8;
  if ((data.length - 1) % width !== 0) throw new ChunkCodecError('plain rollup data misaligned');
  const n = (data.length - 1) / width;
  const cols = emptyRollupColumns(n);
  const view = new DataView(data.buffer, data.byteOffset + 1, data.length - 1);
  // Word by word, so NaN payloads never pass through a JS number.
  for (let f = 0; f < PLAIN_FIELDS.length; f++) {
    const col = cols[PLAIN_FIELDS[f]];
    const words = new Uint32Array(col.buffer, col.byteOffset, n * 2);
    for (let i = 0; i < n; i++) {
      words[2 * i + 1] = view.getUint32(i * width + f * 8, false);
      words[2 * i] = view.getUint32(i * width + f * 8 + 4, false);
    }
  }
  return cols;
}

/** Format 0, as the migration writes it in SQL (for tests of the reader). */
export function encodePlainRollupBuckets(cols: RollupColumns): Uint8Array {
  const n = cols.buckets.length;
  const width = PLAIN_FIELDS.length * 8;
  const out = new Uint8Array(1 + n * width);
  out[0] = FORMAT_PLAIN;
  const view = new DataView(out.buffer, 1);
  for (let f = 0; f < PLAIN_FIELDS.length; f++) {
    const col = cols[PLAIN_FIELDS[f]];
    const words = new Uint32Array(col.buffer, col.byteOffset, n * 2);
    for (let i = 0; i < n; i++) {
      view.setUint32(i * width + f * 8, words[2 * i + 1], false);
      view.setUint32(i * width + f * 8 + 4, words[2 * i], false);
    }
  }
  return out;
}
