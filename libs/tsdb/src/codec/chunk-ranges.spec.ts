import {
  decodeChunkInto,
  decodeChunkRanges,
  encodeChunk,
  readRegularChunk,
  type RegularChunk,
} from './chunk-codec';
import { BitWriter } from './bit-stream';
import { sumFields } from './int-sequence';

// A small deterministic generator, so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

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

function bits(values: Float64Array): string[] {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const out: string[] = [];
  for (let i = 0; i < values.length; i++)
    out.push(`${words[2 * i + 1].toString(16)}:${words[2 * i].toString(16)}`);
  return out;
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

  it('does not take irregular timestamps for regular ones', () => {
    const regular: RegularChunk = { n: 0, first: 0, delta: 0, values: 0, end: 0 };
    const ts = Float64Array.from([1000, 2000, 3000, 4001, 5000]);
    expect(readRegularChunk(encodeChunk(ts, new Float64Array(5)), regular)).toBe(false);
  });
});

describe('sumFields', () => {
  it('adds the fields a bit reader would unpack, for every width and offset', () => {
    const rand = rng(5);
    for (let width = 1; width <= 24; width++) {
      const w = new BitWriter();
      const origin = Math.floor(rand() * 13);
      w.write(0, origin);
      const fields = Array.from({ length: 70 }, () => Math.floor(rand() * 2 ** width));
      for (const f of fields) w.write(f, width);
      const b = w.finish();
      for (let k = 0; k < 40; k++) {
        const from = Math.floor(rand() * 70);
        const to = from + Math.floor(rand() * (71 - from));
        const want = fields.slice(from, to).reduce((a, x) => a + x, 0);
        expect([width, from, to, sumFields(b, origin, width, from, to)]).toEqual([
          width,
          from,
          to,
          want,
        ]);
      }
    }
  });
});
