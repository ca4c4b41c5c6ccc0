import { BitReader, BitWriter } from './bit-stream';
import {
  INT_SEQ_LIMIT,
  lastSequenceSparseOrder,
  readArithmeticSequence,
  readIntSequence,
  readIntSequenceRanges,
  readSequenceHeader,
  risesOver,
  writeIntSequence,
} from './int-sequence';

// One series' samples of one block. Gorilla's ideas (Pelkonen et al., VLDB 2015: delta-of-delta
// timestamps, XOR values) with VictoriaMetrics's observation that most monitoring values are
// short decimals, which compress far better as scaled integers than as XORed doubles.
// Non-integer-representable values are copied as raw 64-bit words, never through a JS number,
// so every NaN payload (the staleness marker in particular) comes back bit for bit.

const VERSION = 2;
/**
 * An open chunk of the first layout: header with the count, then n float64 timestamps and n
 * value words. Written before the appendable layout below; still read (and sealed, and
 * rewritten as OPEN_VERSION by the next flush that touches it).
 */
const RAW_VERSION = 0x52;
/**
 * An open chunk: the block is still being written, so it is stored uncompressed (encoding
 * costs a search over encodings per sequence, at every flush). One version byte, then n
 * 16-byte records (float64 timestamp, value word), with no count: the count is the length, so
 * records of later samples concatenate onto the chunk (`data || segment` in SQL) and a flush
 * sends only what it adds. The compactor seals it (encodeChunk) once the block is over.
 */
const OPEN_VERSION = 0x53;
/** Bytes per sample of an open chunk (OPEN_VERSION). */
export const OPEN_RECORD_BYTES = 16;
const MAX_SAMPLES = 1 << 24;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('tsdb chunk codec assumes a little-endian platform');
}

export interface DecodedChunk {
  timestamps: Float64Array;
  values: Float64Array;
}

export class ChunkCodecError extends Error {
  override readonly name = 'ChunkCodecError';
}

/**
 * Encodes strictly increasing integer millisecond timestamps and their values. Timestamps are an
 * integer sequence (int-sequence.ts). Values take whichever is smaller: Gorilla XOR, or — when
 * every finite value is a decimal with at most 9 fractional digits that round-trips exactly —
 * those decimals scaled to integers as an integer sequence, with NaNs, infinities and -0 kept
 * apart as raw 64-bit exceptions.
 */
export function encodeChunk(timestamps: Float64Array, values: Float64Array): Uint8Array {
  const n = timestamps.length;
  if (values.length !== n) throw new ChunkCodecError('timestamps and values differ in length');
  for (let i = 0; i < n; i++) {
    const t = timestamps[i];
    if (!Number.isSafeInteger(t) || Math.abs(t) > INT_SEQ_LIMIT)
      throw new ChunkCodecError(`timestamp ${t} is not an integer millisecond in range`);
    if (i > 0 && t <= timestamps[i - 1])
      throw new ChunkCodecError(`timestamps must increase strictly (index ${i})`);
  }
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const xor = encodeWith(timestamps, (w) => writeXorColumn(w, words, n));
  const scaled = n > 0 ? scaleToIntegers(values, words) : null;
  if (!scaled) return xor;
  const dec = encodeWith(timestamps, (w) => writeScaledColumn(w, scaled, words));
  return dec.length < xor.length ? dec : xor;
}

/**
 * A column of values alone, chosen as a chunk's values are (Gorilla XOR or scaled decimals,
 * whichever is smaller) and bit-exact in the same way: for packed rollups, whose columns share
 * one bucket sequence. Read back with readValues and the same count.
 */
export function writeValues(w: BitWriter, values: Float64Array): void {
  const n = values.length;
  if (n === 0) return;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const xor = new BitWriter(16 + n * 2);
  writeXorColumn(xor, words, n);
  const scaled = scaleToIntegers(values, words);
  if (scaled) {
    const dec = new BitWriter(16 + n * 2);
    writeScaledColumn(dec, scaled, words);
    if (dec.bitLength < xor.bitLength) return w.append(dec);
  }
  w.append(xor);
}

function writeXorColumn(w: BitWriter, words: Uint32Array, n: number): void {
  w.write(0, 1);
  writeXorValues(w, words, n);
}

function writeScaledColumn(w: BitWriter, scaled: Scaled, words: Uint32Array): void {
  w.write(1, 1);
  w.write(scaled.digits, 4);
  w.write(scaled.exceptions.length, 32);
  for (const i of scaled.exceptions) {
    w.write(i, 32);
    w.write64(words[2 * i + 1], words[2 * i]);
  }
  writeIntSequence(w, scaled.ints);
}

function encodeWith(timestamps: Float64Array, writeValues: (w: BitWriter) => void): Uint8Array {
  const n = timestamps.length;
  const w = new BitWriter(16 + n * 2);
  w.write(VERSION, 8);
  w.write(n, 32);
  if (n === 0) return w.finish();
  writeIntSequence(w, timestamps);
  writeValues(w);
  return w.finish();
}

interface Scaled {
  digits: number;
  ints: number[];
  exceptions: number[];
}

/** The fewest decimal digits (0..9) at which every finite value round-trips through an integer. */
function scaleToIntegers(values: Float64Array, words: Uint32Array): Scaled | null {
  const n = values.length;
  const exceptions: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // Non-finite values (and -0, which an integer cannot carry) keep their exact bits apart.
    if (!Number.isFinite(v) || (v === 0 && words[2 * i + 1] !== 0)) exceptions.push(i);
  }
  if (exceptions.length * 8 > n) return null;
  for (let digits = 0; digits <= 9; digits++) {
    const scale = 10 ** digits;
    const ints: number[] = [];
    let e = 0;
    let ok = true;
    for (let i = 0; i < n; i++) {
      if (e < exceptions.length && exceptions[e] === i) {
        e++;
        continue;
      }
      const v = values[i];
      const x = Math.round(v * scale);
      if (Math.abs(x) > INT_SEQ_LIMIT || (digits === 0 ? x !== v : x / scale !== v)) {
        ok = false;
        break;
      }
      ints.push(x);
    }
    if (ok) return { digits, ints, exceptions };
  }
  return null;
}

/** An open (uncompressed) chunk of the same samples; see OPEN_VERSION. */
export function encodeRawChunk(timestamps: Float64Array, values: Float64Array): Uint8Array {
  const out = new Uint8Array(1 + OPEN_RECORD_BYTES * timestamps.length);
  out[0] = OPEN_VERSION;
  writeOpenRecords(timestamps, values, out, 1);
  return out;
}

/**
 * The records of samples to append to an open chunk whose last timestamp is below
 * `timestamps[0]` (the caller checks that, in SQL), as `out` at byte `offset`; see OPEN_VERSION.
 */
export function writeOpenRecords(
  timestamps: Float64Array,
  values: Float64Array,
  out: Uint8Array,
  offset: number,
): void {
  const n = timestamps.length;
  if (values.length !== n) throw new ChunkCodecError('timestamps and values differ in length');
  for (let i = 0; i < n; i++) {
    const t = timestamps[i];
    if (!Number.isSafeInteger(t))
      throw new ChunkCodecError(`timestamp ${t} is not an integer millisecond`);
    if (i > 0 && t <= timestamps[i - 1])
      throw new ChunkCodecError(`timestamps must increase strictly (index ${i})`);
  }
  if (out.length < offset + OPEN_RECORD_BYTES * n)
    throw new ChunkCodecError(`${n} records do not fit the output`);
  // Words, not numbers: a value's NaN payload survives.
  const tw = new Uint32Array(timestamps.buffer, timestamps.byteOffset, 2 * n);
  const vw = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  const view = new DataView(out.buffer, out.byteOffset + offset, OPEN_RECORD_BYTES * n);
  for (let i = 0, o = 0; i < n; i++, o += OPEN_RECORD_BYTES) {
    view.setUint32(o, tw[2 * i], true);
    view.setUint32(o + 4, tw[2 * i + 1], true);
    view.setUint32(o + 8, vw[2 * i], true);
    view.setUint32(o + 12, vw[2 * i + 1], true);
  }
}

/** Whether a chunk is open (written by the flusher, not sealed by the compactor yet). */
export function isRawChunk(data: Uint8Array): boolean {
  return (
    (data.length >= 5 && data[0] === RAW_VERSION) || (data.length >= 1 && data[0] === OPEN_VERSION)
  );
}

export function decodeChunk(data: Uint8Array): DecodedChunk {
  const n = chunkSampleCount(data);
  if (n > MAX_SAMPLES) throw new ChunkCodecError(`chunk claims ${n} samples`);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  decodeChunkInto(data, timestamps, values);
  return { timestamps, values };
}

/**
 * Decodes into the start of caller-owned arrays (at least `chunkSampleCount(data)` long), so a
 * reader decoding thousands of chunks reuses one scratch buffer; returns the sample count.
 */
export function decodeChunkInto(
  data: Uint8Array,
  timestamps: Float64Array,
  values: Float64Array,
): number {
  if (data[0] === OPEN_VERSION) return decodeOpenInto(data, timestamps, values);
  if (data.length < 5) throw new ChunkCodecError('chunk too short');
  if (data[0] === RAW_VERSION) return decodeRawInto(data, timestamps, values);
  const r = new BitReader(data);
  const version = r.read(8);
  if (version !== VERSION) throw new ChunkCodecError(`unknown chunk version ${version}`);
  const n = r.read(32);
  // A regular constant series costs no bits per sample, so the size bounds nothing; this only
  // stops a corrupt count from allocating gigabytes.
  if (n > MAX_SAMPLES) throw new ChunkCodecError(`chunk claims ${n} samples`);
  if (timestamps.length < n || values.length < n)
    throw new ChunkCodecError(`chunk of ${n} samples does not fit the output`);
  if (n === 0) return 0;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  try {
    readIntSequence(r, n, timestamps);
    readValueColumn(r, n, values, words);
  } catch (err) {
    if (err instanceof RangeError) throw new ChunkCodecError('chunk truncated or corrupt');
    throw err;
  }
  return n;
}

/**
 * A sealed chunk whose timestamps are a regular scrape's, t_i = first + i·delta (delta > 0), as
 * readRegularChunk finds it: what a reader needs to place windows without decoding, and where
 * its values start.
 */
export interface RegularChunk {
  n: number;
  first: number;
  delta: number;
  /** Bit position of the value column, from the start of the array the chunk is in. */
  values: number;
  /** The byte after the chunk. */
  end: number;
}

/**
 * Whether `data` (or its bytes [from, to): a chunk inside a packed row) is a sealed chunk of
 * regular timestamps (see RegularChunk), filling `into` when it is. Reads only the chunk's
 * header and its timestamps' sequence header.
 */
export function readRegularChunk(
  data: Uint8Array,
  into: RegularChunk,
  from = 0,
  to = data.length,
): boolean {
  if (to - from < 5 || data[from] !== VERSION) return false;
  const r = new BitReader(data, from, to);
  r.read(8);
  const n = r.read(32);
  if (n === 0 || n > MAX_SAMPLES) return false;
  try {
    if (!readArithmeticSequence(r, n, into)) return false;
  } catch (err) {
    if (err instanceof RangeError) throw new ChunkCodecError('chunk truncated or corrupt');
    throw err;
  }
  into.n = n;
  into.values = r.position;
  into.end = to;
  return true;
}

/**
 * Decodes only the samples of a regular chunk (readRegularChunk) at the index ranges
 * [ranges[2k], ranges[2k+1]) (ascending, apart), appended to the outputs at `o`; returns the new
 * end of the output, or -1 when the value column is not one this reads sparsely (Gorilla XOR,
 * exceptions, fields over 24 bits wide: the caller decodes the chunk whole). Timestamps and
 * values are the same doubles decodeChunkInto gives at those indexes.
 */
export function decodeChunkRanges(
  data: Uint8Array,
  chunk: RegularChunk,
  ranges: Int32Array,
  nRanges: number,
  timestamps: Float64Array,
  values: Float64Array,
  o: number,
): number {
  const r = new BitReader(data, 0, chunk.end);
  let end: number;
  let digits: number;
  try {
    digits = scaledColumn(r, chunk);
    if (digits < 0) return -1;
    end = readIntSequenceRanges(r, chunk.n, ranges, nRanges, values, o);
  } catch (err) {
    if (err instanceof RangeError) throw new ChunkCodecError('chunk truncated or corrupt');
    throw err;
  }
  if (end < 0) return -1;
  if (digits !== 0) {
    const scale = 10 ** digits;
    for (let i = o; i < end; i++) values[i] = values[i] / scale;
  }
  for (let k = 0, i = o; k < nRanges; k++)
    for (let j = ranges[2 * k]; j < ranges[2 * k + 1]; j++)
      timestamps[i++] = chunk.first + j * chunk.delta;
  return end;
}

/**
 * Moves `r` to a regular chunk's value column and past its head when it is scaled decimals
 * without exceptions, the column read sparsely; returns its digits, or -1 for any other.
 */
/**
 * The order of a chunk's value sequence (0: raw values, 1 and 2: running sums) when
 * decodeChunkRanges reads it at its windows' samples alone — a regular chunk, a scaled column
 * without exceptions, fields of at most 24 bits — or −1 when it is decoded whole.
 */
export function sparseValueOrder(data: Uint8Array): number {
  if (!readRegularChunk(data, probe)) return -1;
  const r = new BitReader(data, 0, probe.end);
  try {
    if (scaledColumn(r, probe) < 0) return -1;
    readSequenceHeader(r, probe.n);
  } catch (err) {
    if (err instanceof RangeError) throw new ChunkCodecError('chunk truncated or corrupt');
    throw err;
  }
  return lastSequenceSparseOrder();
}

const probe: RegularChunk = { n: 0, first: 0, delta: 0, values: 0, end: 0 };

function scaledColumn(r: BitReader, chunk: RegularChunk): number {
  r.seek(chunk.values);
  if (r.readBit() === 0) return -1;
  const digits = r.read(4);
  return r.read(32) === 0 ? digits : -1;
}

/**
 * decodeChunkRanges for windows some of which need only their ends (rate, increase …): of the
 * index ranges [ranges[2k], ranges[2k+1]) (ascending, apart, non-empty) of a regular chunk,
 * those with windowOf[k] ≥ 0 are read as the ends of that window, into ends[5·windowOf[k] …]
 * as WindowEnds.data holds them (the sample count, then the first sample's timestamp and
 * value, then the last's); the others' samples are appended to the outputs at `o`. With
 * `rising`, a range whose values may decrease (a counter reset, see risesOver) is read as
 * samples instead and its windowOf[k] set to −1. Returns the new end of the output, or -1 as
 * decodeChunkRanges does. One pass: the running sum adds the residuals up to each end a byte
 * at a time (readIntSequenceRanges), and the values are decodeChunkInto's doubles.
 */
export function decodeChunkEnds(
  data: Uint8Array,
  chunk: RegularChunk,
  ranges: Int32Array,
  nRanges: number,
  windowOf: Int32Array,
  rising: boolean,
  ends: Float64Array,
  timestamps: Float64Array,
  values: Float64Array,
  o: number,
): number {
  const r = new BitReader(data, 0, chunk.end);
  let digits: number;
  try {
    digits = scaledColumn(r, chunk);
    if (digits < 0) return -1;
    // The header first: it tells which ranges may hold a reset.
    readSequenceHeader(r, chunk.n);
    if (rising)
      for (let k = 0; k < nRanges; k++)
        if (windowOf[k] >= 0 && !risesOver(ranges[2 * k], ranges[2 * k + 1])) windowOf[k] = -1;
    // At most every sample of the chunk.
    if (endValues.length < chunk.n) endValues = new Float64Array(chunk.n);
    if (readIntSequenceRanges(r, chunk.n, ranges, nRanges, endValues, 0, true, windowOf) < 0)
      return -1;
  } catch (err) {
    if (err instanceof RangeError) throw new ChunkCodecError('chunk truncated or corrupt');
    throw err;
  }
  // The division decodeChunkInto does, on the same integers: the same doubles.
  const scale = 10 ** digits;
  const { first, delta } = chunk;
  let j = 0;
  for (let k = 0; k < nRanges; k++) {
    const lo = ranges[2 * k];
    const hi = ranges[2 * k + 1];
    const x = windowOf[k];
    if (x >= 0) {
      const d = 5 * x;
      ends[d] = hi - lo;
      ends[d + 1] = first + lo * delta;
      ends[d + 2] = digits === 0 ? endValues[j] : endValues[j] / scale;
      j += hi - lo > 1 ? 2 : 1;
      ends[d + 3] = first + (hi - 1) * delta;
      ends[d + 4] = digits === 0 ? endValues[j - 1] : endValues[j - 1] / scale;
      continue;
    }
    for (let i = lo; i < hi; i++, o++) {
      values[o] = digits === 0 ? endValues[j++] : endValues[j++] / scale;
      timestamps[o] = first + i * delta;
    }
  }
  return o;
}

let endValues = new Float64Array(64);

/** Reads a column written by writeValues (n values) into the start of `values`. */
export function readValues(r: BitReader, n: number, values: Float64Array): void {
  if (n === 0) return;
  if (values.length < n) throw new ChunkCodecError(`${n} values do not fit the output`);
  try {
    readValueColumn(r, n, values, new Uint32Array(values.buffer, values.byteOffset, n * 2));
  } catch (err) {
    if (err instanceof RangeError) throw new ChunkCodecError('values truncated or corrupt');
    throw err;
  }
}

function readValueColumn(r: BitReader, n: number, values: Float64Array, words: Uint32Array): void {
  if (r.readBit() === 0) {
    readXorValues(r, words, n);
  } else {
    const digits = r.read(4);
    const scale = 10 ** digits;
    const nExc = r.read(32);
    if (nExc > n) throw new ChunkCodecError('corrupt exception count');
    const excIndex: number[] = [];
    const excWords: number[] = [];
    for (let k = 0; k < nExc; k++) {
      excIndex.push(r.read(32));
      excWords.push(r.read(32), r.read(32));
    }
    // The integers land densely at the front of `values`, then spread out from the back to
    // their positions around the exceptions (j ≤ i throughout, so nothing is overwritten
    // before it is read).
    readIntSequence(r, n - nExc, values);
    // Without exceptions every integer is in place already: integers stay, decimals are scaled.
    if (nExc === 0) {
      if (digits !== 0) for (let i = 0; i < n; i++) values[i] = values[i] / scale;
      return;
    }
    let e = nExc - 1;
    let j = n - nExc - 1;
    for (let i = n - 1; i >= 0; i--) {
      if (e >= 0 && excIndex[e] === i) {
        words[2 * i + 1] = excWords[2 * e];
        words[2 * i] = excWords[2 * e + 1];
        e--;
      } else {
        values[i] = digits === 0 ? values[j--] : values[j--] / scale;
      }
    }
  }
}

function writeXorValues(w: BitWriter, words: Uint32Array, n: number): void {
  let prevLo = words[0];
  let prevHi = words[1];
  w.write64(prevHi, prevLo);
  let leading = -1;
  let trailing = 0;
  for (let i = 1; i < n; i++) {
    const lo = words[2 * i];
    const hi = words[2 * i + 1];
    const xLo = (lo ^ prevLo) >>> 0;
    const xHi = (hi ^ prevHi) >>> 0;
    prevLo = lo;
    prevHi = hi;
    if (xLo === 0 && xHi === 0) {
      w.write(0, 1);
      continue;
    }
    w.write(1, 1);
    let lz = xHi !== 0 ? Math.clz32(xHi) : 32 + Math.clz32(xLo);
    const tz = xLo !== 0 ? ctz32(xLo) : 32 + ctz32(xHi);
    if (lz > 31) lz = 31; // 5 bits hold the leading count; the rest becomes significant bits.
    if (leading >= 0 && lz >= leading && tz >= trailing) {
      w.write(0, 1);
      writeBitRange(w, xHi, xLo, 63 - leading, trailing);
    } else {
      leading = lz;
      trailing = tz;
      const sig = 64 - leading - trailing;
      w.write(1, 1);
      w.write(leading, 5);
      w.write(sig === 64 ? 0 : sig, 6);
      writeBitRange(w, xHi, xLo, 63 - leading, trailing);
    }
  }
}

function readXorValues(r: BitReader, words: Uint32Array, n: number): void {
  let prevHi = r.read(32);
  let prevLo = r.read(32);
  words[0] = prevLo;
  words[1] = prevHi;
  let leading = 0;
  let trailing = 0;
  for (let i = 1; i < n; i++) {
    if (r.readBit() === 1) {
      if (r.readBit() === 1) {
        leading = r.read(5);
        let sig = r.read(6);
        if (sig === 0) sig = 64;
        trailing = 64 - leading - sig;
        if (trailing < 0) throw new ChunkCodecError('corrupt value header');
      }
      const top = 63 - leading;
      let xHi = 0;
      let xLo = 0;
      if (top >= 32) {
        const bottomHi = trailing > 32 ? trailing : 32;
        xHi = shl(r.read(top - bottomHi + 1), bottomHi - 32);
      }
      if (trailing < 32) {
        const topLo = top < 31 ? top : 31;
        xLo = shl(r.read(topLo - trailing + 1), trailing);
      }
      prevHi = (prevHi ^ xHi) >>> 0;
      prevLo = (prevLo ^ xLo) >>> 0;
    }
    words[2 * i] = prevLo;
    words[2 * i + 1] = prevHi;
  }
}

function decodeRawInto(data: Uint8Array, timestamps: Float64Array, values: Float64Array): number {
  const n = chunkSampleCount(data);
  if (data.length !== 5 + 16 * n) throw new ChunkCodecError('open chunk of the wrong length');
  if (timestamps.length < n || values.length < n)
    throw new ChunkCodecError(`chunk of ${n} samples does not fit the output`);
  // Byte copies (the data is not 8-byte aligned): NaN payloads survive.
  new Uint8Array(timestamps.buffer, timestamps.byteOffset, 8 * n).set(data.subarray(5, 5 + 8 * n));
  new Uint8Array(values.buffer, values.byteOffset, 8 * n).set(data.subarray(5 + 8 * n));
  return n;
}

function decodeOpenInto(data: Uint8Array, timestamps: Float64Array, values: Float64Array): number {
  const n = chunkSampleCount(data);
  if (timestamps.length < n || values.length < n)
    throw new ChunkCodecError(`chunk of ${n} samples does not fit the output`);
  // The records as 32-bit words: a view where they are 4-byte aligned, else one byte copy (pg
  // hands back Buffers at any offset). Words, not numbers, so NaN payloads survive.
  const start = data.byteOffset + 1;
  let src: Uint32Array;
  if (start % 4 === 0) src = new Uint32Array(data.buffer, start, 4 * n);
  else {
    if (openScratch.length < 4 * n) openScratch = new Uint32Array(4 * n);
    new Uint8Array(openScratch.buffer, 0, OPEN_RECORD_BYTES * n).set(data.subarray(1));
    src = openScratch;
  }
  const tw = new Uint32Array(timestamps.buffer, timestamps.byteOffset, 2 * n);
  const vw = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    tw[2 * i] = src[4 * i];
    tw[2 * i + 1] = src[4 * i + 1];
    vw[2 * i] = src[4 * i + 2];
    vw[2 * i + 1] = src[4 * i + 3];
  }
  return n;
}

let openScratch = new Uint32Array(4096);

/**
 * Number of samples in an encoded chunk, without decoding it: `data`, or its bytes [from, to)
 * (a chunk inside a packed row, without a view of it).
 */
export function chunkSampleCount(data: Uint8Array, from = 0, to = data.length): number {
  const length = to - from;
  if (length >= 1 && data[from] === OPEN_VERSION) {
    const n = (length - 1) / OPEN_RECORD_BYTES;
    if (!Number.isInteger(n)) throw new ChunkCodecError('open chunk of the wrong length');
    return n;
  }
  if (length < 5) throw new ChunkCodecError('chunk too short');
  const n =
    ((data[from + 1] << 24) | (data[from + 2] << 16) | (data[from + 3] << 8) | data[from + 4]) >>>
    0;
  // Readers size their buffers by this count before decoding.
  if (n > MAX_SAMPLES) throw new ChunkCodecError(`chunk claims ${n} samples`);
  return n;
}

/** Writes bits `top` down to `bottom` (63 = most significant) of the 64-bit word hi:lo. */
function writeBitRange(w: BitWriter, hi: number, lo: number, top: number, bottom: number): void {
  if (top >= 32) {
    const b = bottom > 32 ? bottom : 32;
    const n = top - b + 1;
    w.write(mask(hi >>> (b - 32), n), n);
  }
  if (bottom < 32) {
    const t = top < 31 ? top : 31;
    const n = t - bottom + 1;
    w.write(mask(lo >>> bottom, n), n);
  }
}

function mask(v: number, n: number): number {
  return n >= 32 ? v >>> 0 : (v & ((1 << n) - 1)) >>> 0;
}

function shl(v: number, n: number): number {
  return n >= 32 ? 0 : (v << n) >>> 0;
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}
