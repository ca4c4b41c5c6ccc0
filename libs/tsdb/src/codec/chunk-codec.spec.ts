import { isStaleNaNAt, setStaleNaNAt } from '../model';
import {
  ChunkCodecError,
  chunkSampleCount,
  decodeChunk,
  decodeChunkEnds,
  decodeChunkInto,
  decodeChunkRanges,
  encodeChunk,
  encodeRawChunk,
  isRawChunk,
  OPEN_RECORD_BYTES,
  readRegularChunk,
  type RegularChunk,
  writeOpenRecords,
} from './chunk-codec';

function bits(values: Float64Array): string[] {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const out: string[] = [];
  for (let i = 0; i < values.length; i++)
    out.push(`${words[2 * i + 1].toString(16)}:${words[2 * i].toString(16)}`);
  return out;
}

function roundTrip(ts: number[], vs: Float64Array): void {
  const timestamps = Float64Array.from(ts);
  // Sealed and open chunks alike; an open one decoded from an unaligned offset too (pg hands
  // back Buffers at any offset).
  for (const encode of [encodeChunk, encodeRawChunk]) {
    const data = encode(timestamps, vs);
    expect(isRawChunk(data)).toBe(encode === encodeRawChunk);
    expect(chunkSampleCount(data)).toBe(ts.length);
    const out = decodeChunk(data);
    expect(Array.from(out.timestamps)).toEqual(ts);
    expect(bits(out.values)).toEqual(bits(vs));
    const shifted = new Uint8Array(data.length + 3);
    shifted.set(data, 3);
    const t2 = new Float64Array(ts.length);
    const v2 = new Float64Array(ts.length);
    expect(decodeChunkInto(shifted.subarray(3), t2, v2)).toBe(ts.length);
    expect(bits(v2)).toEqual(bits(vs));
  }
}

// A small deterministic generator, so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

describe('chunk codec', () => {
  it('round-trips an empty chunk and a single sample', () => {
    roundTrip([], new Float64Array(0));
    roundTrip([1_764_115_200_000], Float64Array.from([42.5]));
  });

  it('keeps every NaN payload, the staleness marker, infinities and signed zero bit-exact', () => {
    const vs = Float64Array.from([1, NaN, 0, -0, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 3]);
    setStaleNaNAt(vs, 2);
    // A NaN with an unusual payload must survive too.
    new Uint32Array(vs.buffer, 8 * 8, 2).set([0x1234, 0x7ff80abc]);
    roundTrip([0, 15_000, 30_000, 45_000, 60_000, 61_000, 90_000, 90_001, 10_000_000_000], vs);
    const out = decodeChunk(encodeChunk(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), vs));
    expect(isStaleNaNAt(out.values, 2)).toBe(true);
    expect(isStaleNaNAt(out.values, 1)).toBe(false);
    expect(Object.is(out.values[3], -0)).toBe(true);
  });

  it('covers every delta-of-delta bucket, negative ones and negative timestamps', () => {
    const deltas = [1, 8193, 1, 65_537, 1, 524_289, 1, 2 ** 40, 1, 8192, 2, 65_536, 3, 524_288, 7];
    const ts = [-5_000_000];
    for (const d of deltas) ts.push(ts[ts.length - 1] + d);
    roundTrip(ts, Float64Array.from(ts.map((_, i) => i * 1.5)));
  });

  it('round-trips random data of every shape bit-exact', () => {
    const rand = rng(7);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rand() * 300);
      const ts: number[] = [];
      const vs = new Float64Array(n);
      let t = Math.floor(rand() * 2 ** 41);
      const kind = round % 4;
      for (let i = 0; i < n; i++) {
        t += kind === 0 ? 15_000 : 1 + Math.floor(rand() * (rand() < 0.1 ? 2 ** 30 : 20_000));
        ts.push(t);
        if (kind === 0) vs[i] = i === 0 ? 100 : vs[i - 1] + Math.floor(rand() * 10);
        else if (kind === 1) vs[i] = rand() * 1e6 - 5e5;
        else if (kind === 2) vs[i] = rand() < 0.5 ? 1 : 0;
        else vs[i] = rand() < 0.05 ? NaN : Math.round(rand() * 1000) / 10;
        if (rand() < 0.02) setStaleNaNAt(vs, i);
      }
      roundTrip(ts, vs);
    }
  });

  it('compresses a regular counter to well under two bytes per sample', () => {
    const n = 480;
    const ts = Float64Array.from({ length: n }, (_, i) => 1_764_115_200_000 + i * 15_000);
    const rand = rng(3);
    const vs = new Float64Array(n);
    for (let i = 1; i < n; i++) vs[i] = vs[i - 1] + Math.floor(rand() * 50);
    const size = encodeChunk(ts, vs).length;
    expect(size / n).toBeLessThan(2);
  });

  it('stores short decimals as scaled integers, keeping NaN, the marker, infinities and -0 exact', () => {
    const n = 400;
    const ts = Array.from(
      { length: n },
      (_, i) => 1_764_115_200_000 + i * 15_000 + (i % 7 === 0 ? 3 : 0),
    );
    const vs = new Float64Array(n);
    const rand = rng(11);
    for (let i = 0; i < n; i++) vs[i] = Math.round((20 + rand() * 5) * 100) / 100;
    vs[10] = NaN;
    setStaleNaNAt(vs, 20);
    vs[30] = -0;
    vs[40] = Infinity;
    vs[50] = 0;
    roundTrip(ts, vs);
    const decimalSize = encodeChunk(Float64Array.from(ts), vs).length;
    // Uniform noise over 500 hundredths needs 9 bits, the jittered timestamps 3.
    expect(decimalSize / n).toBeLessThan(1.7);
    // A value that is no short decimal (0.1 + 0.2) forces the XOR path, still exact.
    vs[60] = 0.1 + 0.2;
    roundTrip(ts, vs);
    // Huge and tiny magnitudes, and integers near the limits.
    roundTrip([1, 2, 3, 4], Float64Array.from([2 ** 50, -(2 ** 50), 2 ** 51, 1e-9]));
    roundTrip([1, 2, 3], Float64Array.from([1.5e300, 1e-300, 123456789.123456789]));
  });

  it('costs next to nothing for a constant series on a regular scrape', () => {
    const n = 480;
    const ts = Float64Array.from({ length: n }, (_, i) => 1_764_115_200_000 + i * 15_000);
    expect(encodeChunk(ts, new Float64Array(n).fill(1)).length).toBeLessThan(40);
    roundTrip(Array.from(ts), new Float64Array(n).fill(1));
  });

  it('refuses unsorted or fractional timestamps and corrupt input with a clear error', () => {
    expect(() => encodeChunk(Float64Array.from([2, 1]), Float64Array.from([0, 0]))).toThrow(
      ChunkCodecError,
    );
    expect(() => encodeChunk(Float64Array.from([1, 1]), Float64Array.from([0, 0]))).toThrow(
      ChunkCodecError,
    );
    expect(() => encodeChunk(Float64Array.from([1.5]), Float64Array.from([0]))).toThrow(
      ChunkCodecError,
    );
    const data = encodeChunk(
      Float64Array.from([1, 2, 3, 4]),
      Float64Array.from([1.1, 2.2, 3.3, 4.4]),
    );
    expect(() => decodeChunk(data.subarray(0, data.length - 3))).toThrow(ChunkCodecError);
    expect(() => decodeChunk(Uint8Array.from([9, 0, 0, 0, 1]))).toThrow(/version/);
    expect(() => decodeChunk(Uint8Array.from([1]))).toThrow(ChunkCodecError);
    expect(() => encodeRawChunk(Float64Array.from([2, 2]), Float64Array.from([0, 0]))).toThrow(
      ChunkCodecError,
    );
    const open = encodeRawChunk(Float64Array.from([1, 2]), Float64Array.from([0, 0]));
    expect(() => decodeChunk(open.subarray(0, open.length - 1))).toThrow(/wrong length/);
  });

  it('appends to an open chunk by concatenating records, NaN payloads and all', () => {
    const first = encodeRawChunk(Float64Array.from([1000, 2000]), Float64Array.from([1.5, NaN]));
    const vs = Float64Array.from([3, 4, 0]);
    setStaleNaNAt(vs, 1);
    const more = new Uint8Array(3 * OPEN_RECORD_BYTES + 5);
    writeOpenRecords(Float64Array.from([3000, 4000, 5000]), vs, more, 5);
    const joined = new Uint8Array(first.length + 3 * OPEN_RECORD_BYTES);
    joined.set(first);
    joined.set(more.subarray(5), first.length);
    expect(isRawChunk(joined)).toBe(true);
    expect(chunkSampleCount(joined)).toBe(5);
    const out = decodeChunk(joined);
    expect(Array.from(out.timestamps)).toEqual([1000, 2000, 3000, 4000, 5000]);
    expect(bits(out.values)).toEqual([...bits(Float64Array.from([1.5, NaN])), ...bits(vs)]);
    expect(isStaleNaNAt(out.values, 3)).toBe(true);
    expect(() => chunkSampleCount(joined.subarray(0, joined.length - 1))).toThrow(ChunkCodecError);
  });

  it('still reads open chunks of the first layout (count header, then columns)', () => {
    const ts = [1000, 2000, 3000];
    const vs = Float64Array.from([1, NaN, 2.25]);
    setStaleNaNAt(vs, 1);
    const old = new Uint8Array(5 + 16 * ts.length);
    old[0] = 0x52;
    old[4] = ts.length;
    old.set(new Uint8Array(Float64Array.from(ts).buffer), 5);
    old.set(new Uint8Array(vs.buffer), 5 + 8 * ts.length);
    expect(isRawChunk(old)).toBe(true);
    expect(chunkSampleCount(old)).toBe(3);
    const out = decodeChunk(old);
    expect(Array.from(out.timestamps)).toEqual(ts);
    expect(bits(out.values)).toEqual(bits(vs));
  });
});

/** Values of the kinds a scrape gives: counters with resets, gauges, decimals, big jumps. */
function values(rand: () => number, n: number, kind: number): Float64Array {
  const vs = new Float64Array(n);
  let v = Math.floor(rand() * 1e6);
  for (let i = 0; i < n; i++) {
    if (kind === 0)
      v += Math.floor(rand() * 50); // counter
    else if (kind === 1)
      v = rand() < 0.02 ? Math.floor(rand() * 10) : v + Math.floor(rand() * 300); // resets
    else if (kind === 2)
      v = Math.round((40 + rand() * 30) * 100) / 100; // gauge, 2 decimals
    else if (kind === 3)
      v += i * Math.floor(rand() * 3); // accelerating: order 2
    else if (kind === 4)
      v = rand() < 0.05 ? 2 ** 40 * rand() : v + 1; // patches of any size
    else v = Math.floor(rand() * 2 ** 20); // wide raw fields
    vs[i] = kind === 4 ? Math.floor(v) : v;
  }
  return vs;
}

describe('decoding a chunk at index ranges only', () => {
  it('gives the samples decodeChunkInto gives at those indexes, bit for bit', () => {
    const rand = rng(11);
    const regular: RegularChunk = { n: 0, first: 0, delta: 0, values: 0, end: 0 };
    let sparse = 0;
    for (let round = 0; round < 600; round++) {
      const n = 1 + Math.floor(rand() * 300);
      const step = [15_000, 30_000, 1][round % 3];
      const t0 = 1_764_115_200_000 + Math.floor(rand() * 1e6);
      const ts = Float64Array.from({ length: n }, (_, i) => t0 + i * step);
      const vs = values(rand, n, round % 6);
      // Behind a few bytes of something else, as a chunk sits inside a packed row.
      const chunk = encodeChunk(ts, vs);
      const lead = Math.floor(rand() * 5);
      const packed = new Uint8Array(lead + chunk.length + 3);
      packed.set(chunk, lead);
      // A few samples may be cheaper as another order: decoded whole then, like any other.
      if (!readRegularChunk(packed, regular, lead, lead + chunk.length)) continue;
      expect([regular.n, regular.first, regular.delta]).toEqual([n, t0, step]);
      const dense = { ts: new Float64Array(n), vs: new Float64Array(n) };
      decodeChunkInto(chunk, dense.ts, dense.vs);
      const pairs: number[] = [];
      for (let x = Math.floor(rand() * 30); x < n;) {
        const y = Math.min(n, x + 1 + Math.floor(rand() * 15));
        pairs.push(x, y);
        x = y + Math.floor(rand() * 60);
      }
      const ranges = Int32Array.from(pairs);
      const outTs = new Float64Array(n);
      const outVs = new Float64Array(n);
      const end = decodeChunkRanges(packed, regular, ranges, pairs.length / 2, outTs, outVs, 0);
      if (end < 0) continue; // Gorilla XOR, exceptions or wide fields: decoded whole instead
      sparse++;
      const want = { ts: [] as number[], vs: [] as number[] };
      for (let k = 0; k < pairs.length; k += 2)
        for (let i = pairs[k]; i < pairs[k + 1]; i++) {
          want.ts.push(dense.ts[i]);
          want.vs.push(dense.vs[i]);
        }
      expect(end).toBe(want.ts.length);
      expect(Array.from(outTs.subarray(0, end))).toEqual(want.ts);
      expect(bits(outVs.subarray(0, end))).toEqual(bits(Float64Array.from(want.vs)));
    }
    // Most of these chunks are read sparsely, not sent to the whole decode.
    expect(sparse).toBeGreaterThan(300);
  });

  it('reads windows as their ends: decodeChunkInto’s first and last samples, the rest as samples', () => {
    const rand = rng(23);
    const regular: RegularChunk = { n: 0, first: 0, delta: 0, values: 0, end: 0 };
    let byEnds = 0;
    let cleared = 0;
    for (let round = 0; round < 600; round++) {
      const n = 1 + Math.floor(rand() * (rand() < 0.2 ? 3000 : 300));
      const t0 = 1_764_115_200_000 + Math.floor(rand() * 1e6);
      const ts = Float64Array.from({ length: n }, (_, i) => t0 + i * 30_000);
      const vs = values(rand, n, round % 6);
      // Staleness markers: an exception in the value column, which is decoded whole.
      if (rand() < 0.1) setStaleNaNAt(vs, Math.floor(rand() * n));
      const chunk = encodeChunk(ts, vs);
      const lead = Math.floor(rand() * 5);
      const packed = new Uint8Array(lead + chunk.length + 3);
      packed.set(chunk, lead);
      if (!readRegularChunk(packed, regular, lead, lead + chunk.length)) continue;
      const dense = { ts: new Float64Array(n), vs: new Float64Array(n) };
      decodeChunkInto(chunk, dense.ts, dense.vs);
      // Ranges as windows' samples, some read as the ends of window 2k + 1 (windows between
      // them are not here: their slots must stay as they were).
      const pairs: number[] = [];
      const wanted: number[] = [];
      for (let x = Math.floor(rand() * 30); x < n;) {
        const y = Math.min(n, x + 1 + Math.floor(rand() * 15));
        pairs.push(x, y);
        wanted.push(rand() < 0.7 ? pairs.length - 1 : -1);
        x = y + Math.floor(rand() * 60);
      }
      const k = wanted.length;
      const windowOf = Int32Array.from(wanted);
      const rising = rand() < 0.5;
      const ends = new Float64Array(5 * (k + 1) * 2).fill(-3);
      const outTs = new Float64Array(n);
      const outVs = new Float64Array(n);
      const o = Math.floor(rand() * 3);
      const ranges = Int32Array.from(pairs);
      const end = decodeChunkEnds(
        packed,
        regular,
        ranges,
        k,
        windowOf,
        rising,
        ends,
        outTs,
        outVs,
        o,
      );
      if (end < 0) continue; // Gorilla XOR, exceptions or wide fields: decoded whole instead
      const want = { ts: [] as number[], vs: [] as number[] };
      const gotEnds: string[] = [];
      const wantEnds: string[] = [];
      const resets: number[] = [];
      for (let r = 0; r < k; r++) {
        const [lo, hi] = [pairs[2 * r], pairs[2 * r + 1]];
        const x = windowOf[r];
        if (x < 0) {
          if (wanted[r] >= 0) cleared++;
          // Only a counter's possible reset, and only when asked, sends a window to its samples.
          if (wanted[r] >= 0 && !rising) resets.push(r);
          for (let i = lo; i < hi; i++) {
            want.ts.push(dense.ts[i]);
            want.vs.push(dense.vs[i]);
          }
          continue;
        }
        byEnds++;
        expect(x).toBe(wanted[r]);
        gotEnds.push(bits(ends.subarray(5 * x, 5 * x + 5)).join());
        const e = Float64Array.of(
          hi - lo,
          dense.ts[lo],
          dense.vs[lo],
          dense.ts[hi - 1],
          dense.vs[hi - 1],
        );
        wantEnds.push(bits(e).join());
        // With `rising`, a window read by its ends holds no reset.
        if (rising)
          for (let i = lo + 1; i < hi; i++) if (!(dense.vs[i] >= dense.vs[i - 1])) resets.push(r);
      }
      expect(gotEnds).toEqual(wantEnds);
      expect(resets).toEqual([]);
      // The slots of windows not read as ends are untouched.
      const owned = new Set(windowOf);
      const touched: number[] = [];
      for (let x = 0; x < ends.length; x++)
        if (!owned.has(Math.floor(x / 5)) && ends[x] !== -3) touched.push(x);
      expect(touched).toEqual([]);
      expect(end - o).toBe(want.ts.length);
      expect(Array.from(outTs.subarray(o, end))).toEqual(want.ts);
      expect(bits(outVs.subarray(o, end))).toEqual(bits(Float64Array.from(want.vs)));
    }
    expect(byEnds).toBeGreaterThan(3000);
    expect(cleared).toBeGreaterThan(20);
  });

  it('does not take irregular timestamps for regular ones', () => {
    const regular: RegularChunk = { n: 0, first: 0, delta: 0, values: 0, end: 0 };
    const ts = Float64Array.from([1000, 2000, 3000, 4001, 5000]);
    expect(readRegularChunk(encodeChunk(ts, new Float64Array(5)), regular)).toBe(false);
  });
});
