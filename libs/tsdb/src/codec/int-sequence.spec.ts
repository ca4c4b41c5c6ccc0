import { BitReader, BitWriter } from './bit-stream';
import {
  lastSequenceSparseOrder,
  readIntSequence,
  readIntSequenceRanges,
  readSequenceHeader,
  sumFields,
  writeIntSequence,
} from './int-sequence';

// A small deterministic generator, so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

/**
 * A sequence the encoder writes as order 0, 1 or 2 (noise, a counter, a quadratic), its
 * residuals spread over about `bits` bits (0–52 wide fields), with outliers the encoder keeps
 * as patches, negative ones included. Within ±2^50, as the codec requires.
 */
function sequence(rand: () => number, m: number, shape: number, bits: number): number[] {
  const spread = () => Math.floor(rand() * 2 ** bits);
  const outlier = () => (rand() < 0.03 ? Math.floor((rand() - 0.5) * 2 ** 40) : 0);
  const xs: number[] = [];
  let x = Math.floor((rand() - 0.5) * 1e6);
  for (let i = 0; i < m; i++) {
    if (shape === 0) x = spread() - Math.floor(2 ** (bits - 1)) + outlier();
    else if (shape === 1) x += spread() + outlier();
    else x = 3 * i * i + spread() + outlier();
    xs.push(Math.max(-(2 ** 50), Math.min(2 ** 50, x)));
  }
  return xs;
}

/** Ascending, apart, non-empty index ranges in [0, m), and for each whether it is read as ends. */
function ranges(rand: () => number, m: number): { pairs: number[]; asEnds: number[] } {
  const pairs: number[] = [];
  const asEnds: number[] = [];
  for (let x = Math.floor(rand() * 40); x < m;) {
    const y = Math.min(m, x + 1 + Math.floor(rand() * (rand() < 0.5 ? 3 : 20)));
    pairs.push(x, y);
    asEnds.push(rand() < 0.6 ? Math.floor(rand() * 1000) : -1);
    x = y + Math.floor(rand() * (rand() < 0.5 ? 3 : 60));
  }
  return { pairs, asEnds };
}

describe('reading an integer sequence at index ranges only', () => {
  it('gives readIntSequence’s elements, and only the ends of ranges read as ends', () => {
    const rand = rng(17);
    const orders = new Set<number>();
    let wide = 0;
    for (let round = 0; round < 1500; round++) {
      const m = 1 + Math.floor(rand() * (rand() < 0.2 ? 3000 : 300));
      const bits = round % 53; // residuals 0–52 bits wide, as the encoder finds them
      const xs = sequence(rand, m, Math.floor(rand() * 3), bits);
      const w = new BitWriter();
      const lead = Math.floor(rand() * 13); // fields at every bit offset
      w.write(0, lead);
      writeIntSequence(w, xs);
      w.write(0x5a5a5a, 24); // something after the sequence, as in a chunk
      const bytes = w.finish();
      const dense = new Float64Array(m);
      const r0 = new BitReader(bytes);
      r0.read(lead);
      readIntSequence(r0, m, dense);
      expect(Array.from(dense)).toEqual(xs);
      const probe = new BitReader(bytes);
      probe.read(lead);
      readSequenceHeader(probe, m);
      const order = lastSequenceSparseOrder();
      const { pairs, asEnds } = ranges(rand, m);
      for (const ends of [false, true]) {
        const want: number[] = [];
        for (let k = 0; k < pairs.length; k += 2) {
          const [lo, hi] = [pairs[k], pairs[k + 1]];
          if (ends && asEnds[k / 2] >= 0)
            want.push(...(hi - lo > 1 ? [xs[lo], xs[hi - 1]] : [xs[lo]]));
          else for (let i = lo; i < hi; i++) want.push(xs[i]);
        }
        // With the header read before (as decodeChunkEnds does) or by the call itself.
        const headerRead = rand() < 0.5;
        const r = new BitReader(bytes);
        r.read(lead);
        if (headerRead) readSequenceHeader(r, m);
        const out = new Float64Array(m + 1).fill(-7);
        const end = readIntSequenceRanges(
          r,
          m,
          Int32Array.from(pairs),
          pairs.length / 2,
          out,
          1,
          headerRead,
          ends ? Int32Array.from(asEnds) : undefined,
        );
        if (order < 0 && pairs.length > 0) {
          // Fields over 24 bits are not read sparsely: the caller decodes whole.
          expect(end).toBe(-1);
          wide++;
          continue;
        }
        if (pairs.length > 0) orders.add(order);
        expect([round, end]).toEqual([round, 1 + want.length]);
        expect(Array.from(out.subarray(1, end))).toEqual(want);
        expect(out[0]).toBe(-7); // nothing written before `o`
      }
    }
    expect([...orders].sort()).toEqual([0, 1, 2]);
    expect(wide).toBeGreaterThan(100);
  });
});

describe('sumFields', () => {
  it('adds the fields a bit reader would unpack, for every width and offset', () => {
    const rand = rng(5);
    for (let width = 1; width <= 24; width++) {
      for (let origin = 0; origin < 8; origin++) {
        // Runs from one field to hundreds: every phase enters the four-byte loop and its tail.
        const w = new BitWriter();
        w.write(0, origin);
        const fields = Array.from({ length: 400 }, () => Math.floor(rand() * 2 ** width));
        for (const f of fields) w.write(f, width);
        const b = w.finish();
        for (let k = 0; k < 60; k++) {
          const from = Math.floor(rand() * 400);
          const to = from + Math.floor(rand() * (401 - from) * (rand() < 0.5 ? 0.1 : 1));
          const want = fields.slice(from, to).reduce((a, x) => a + x, 0);
          expect([width, origin, from, to, sumFields(b, origin, width, from, to)]).toEqual([
            width,
            origin,
            from,
            to,
            want,
          ]);
        }
      }
    }
  });
});
