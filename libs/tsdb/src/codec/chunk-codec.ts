import { BitReader, BitWriter } from './bit-stream';

// Gorilla-style chunk (Pelkonen et al., VLDB 2015; the variant Prometheus ships): timestamps as
// delta-of-delta in Prometheus's millisecond buckets, values as XOR against the previous value.
// Values are copied as raw 64-bit words, never through a JS number, so every NaN payload (the
// staleness marker in particular) comes back bit for bit.

const VERSION = 1;
const TWO_32 = 0x1_0000_0000;

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

/** Encodes strictly increasing integer millisecond timestamps and their values. */
export function encodeChunk(timestamps: Float64Array, values: Float64Array): Uint8Array {
  const n = timestamps.length;
  if (values.length !== n) throw new ChunkCodecError('timestamps and values differ in length');
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  // Regular scrapes cost about one bit per timestamp and a few per value.
  const w = new BitWriter(16 + n * 2);
  w.write(VERSION, 8);
  w.write(n, 32);
  if (n === 0) return w.finish();

  const t0 = timestamps[0];
  checkTimestamp(t0);
  writeSigned64(w, t0);
  let prevLo = words[0];
  let prevHi = words[1];
  w.write64(prevHi, prevLo);

  let prevT = t0;
  let prevDelta = 0;
  let leading = -1;
  let trailing = 0;
  for (let i = 1; i < n; i++) {
    const t = timestamps[i];
    checkTimestamp(t);
    const delta = t - prevT;
    if (delta <= 0) throw new ChunkCodecError(`timestamps must increase strictly (index ${i})`);
    writeDod(w, delta - prevDelta);
    prevDelta = delta;
    prevT = t;

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
  return w.finish();
}

export function decodeChunk(data: Uint8Array): DecodedChunk {
  if (data.length < 5) throw new ChunkCodecError('chunk too short');
  const r = new BitReader(data);
  const version = r.read(8);
  if (version !== VERSION) throw new ChunkCodecError(`unknown chunk version ${version}`);
  const n = r.read(32);
  // Each sample takes at least two bits, so a count beyond that is corruption, not a big chunk.
  if (n > data.length * 4 + 1) throw new ChunkCodecError('chunk count exceeds its size');
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  if (n === 0) return { timestamps, values };
  const words = new Uint32Array(values.buffer, 0, n * 2);
  try {
    let t = readSigned64(r);
    timestamps[0] = t;
    let prevHi = r.read(32);
    let prevLo = r.read(32);
    words[0] = prevLo;
    words[1] = prevHi;
    let delta = 0;
    let leading = 0;
    let trailing = 0;
    for (let i = 1; i < n; i++) {
      delta += readDod(r);
      t += delta;
      timestamps[i] = t;
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
  } catch (err) {
    if (err instanceof RangeError) throw new ChunkCodecError('chunk truncated');
    throw err;
  }
  return { timestamps, values };
}

/** Number of samples in an encoded chunk, without decoding it. */
export function chunkSampleCount(data: Uint8Array): number {
  if (data.length < 5) throw new ChunkCodecError('chunk too short');
  return ((data[1] << 24) | (data[2] << 16) | (data[3] << 8) | data[4]) >>> 0;
}

function checkTimestamp(t: number): void {
  if (!Number.isSafeInteger(t)) throw new ChunkCodecError(`timestamp ${t} is not an integer millisecond`);
}

// Prometheus's buckets for millisecond delta-of-deltas: 14, 17 and 20 bits, else a full 64.
function writeDod(w: BitWriter, dod: number): void {
  if (dod === 0) {
    w.write(0, 1);
  } else if (dod >= -8191 && dod <= 8192) {
    w.write(0b10, 2);
    w.write(dod & 0x3fff, 14);
  } else if (dod >= -65535 && dod <= 65536) {
    w.write(0b110, 3);
    w.write(dod & 0x1ffff, 17);
  } else if (dod >= -524287 && dod <= 524288) {
    w.write(0b1110, 4);
    w.write(dod & 0xfffff, 20);
  } else {
    w.write(0b1111, 4);
    writeSigned64(w, dod);
  }
}

function readDod(r: BitReader): number {
  if (r.readBit() === 0) return 0;
  if (r.readBit() === 0) return signExtend(r.read(14), 14);
  if (r.readBit() === 0) return signExtend(r.read(17), 17);
  if (r.readBit() === 0) return signExtend(r.read(20), 20);
  return readSigned64(r);
}

function signExtend(v: number, bits: number): number {
  const half = 1 << (bits - 1);
  return v > half ? v - (1 << bits) : v;
}

function writeSigned64(w: BitWriter, v: number): void {
  const hi = Math.floor(v / TWO_32);
  const lo = v - hi * TWO_32;
  w.write64(hi >>> 0, lo >>> 0);
}

function readSigned64(r: BitReader): number {
  let hi = r.read(32);
  const lo = r.read(32);
  if (hi >= 0x8000_0000) hi -= TWO_32;
  return hi * TWO_32 + lo;
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
