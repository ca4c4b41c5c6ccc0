import { setStaleNaNAt } from '../model';
import { mergeBuckets } from '../jobs/rollup-store';
import { aggregateBuckets, type BucketAggregate } from '../jobs/rollup-math';
import { runs } from '../jobs/rollup.service';
import { HOUR_MS, DAY_MS } from '../tsdb.types';
import { ChunkCodecError } from './chunk-codec';
import {
  decodeRollupBuckets,
  emptyRollupColumns,
  encodePlainRollupBuckets,
  encodeRollupBuckets,
  type RollupColumns,
} from './rollup-codec';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 0x1_0000_0000;
}

/** Every column as bit patterns, so NaN payloads and -0 are compared exactly. */
function bits(cols: RollupColumns): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, col] of Object.entries(cols) as Array<[string, Float64Array]>) {
    const words = new Uint32Array(col.buffer, col.byteOffset, col.length * 2);
    out[k] = Array.from(
      { length: col.length },
      (_, i) => `${words[2 * i + 1].toString(16)}:${words[2 * i].toString(16)}`,
    );
  }
  return out;
}

/** A day of hour buckets rolled from a 30 s scrape of a counter (with a reset) or a gauge. */
function dayOfHours(counter: boolean, seed: number): RollupColumns {
  const rand = rng(seed);
  const day = 20_000 * DAY_MS;
  const ts: number[] = [];
  const vs: number[] = [];
  let v = 1000;
  for (let t = day + 1234; t < day + DAY_MS; t += 30_000) {
    ts.push(t);
    if (counter) v = rand() < 0.001 ? 0 : v + Math.floor(rand() * 40);
    else v = Math.round(rand() * 1e4) / 100;
    vs.push(v);
  }
  return toColumns(aggregateBuckets(Float64Array.from(ts), Float64Array.from(vs), HOUR_MS));
}

function toColumns(aggs: BucketAggregate[]): RollupColumns {
  return mergeBuckets(undefined, aggs);
}

describe('rollup codec (packed day rows)', () => {
  it('round-trips hour buckets bit for bit, and a day of them costs a few hundred bytes', () => {
    for (const counter of [true, false]) {
      const cols = dayOfHours(counter, counter ? 1 : 2);
      expect(cols.buckets.length).toBe(24);
      const data = encodeRollupBuckets(cols);
      expect(bits(decodeRollupBuckets(data))).toEqual(bits(cols));
      // 2,880 samples a day: well under 0.5 B per raw sample (a row per hour cost ~200 B each).
      expect(data.length).toBeLessThan(counter ? 700 : 900);
    }
  });

  it('keeps NaN payloads, -0 and infinities in every float column, and irregular buckets', () => {
    const rand = rng(7);
    const n = 40;
    const cols = emptyRollupColumns(n);
    let b = 1_700_000_000_000;
    for (let i = 0; i < n; i++) {
      b += 60_000 * (1 + Math.floor(rand() * 3));
      cols.buckets[i] = b;
      cols.count[i] = 1 + Math.floor(rand() * 4);
      cols.resets[i] = Math.floor(rand() * 2);
      cols.changes[i] = Math.floor(rand() * 4);
      cols.firstTs[i] = b + Math.floor(rand() * 10_000);
      cols.lastTs[i] = cols.firstTs[i] + Math.floor(rand() * 40_000);
      for (const f of ['sum', 'sumSquares', 'min', 'max', 'firstValue', 'lastValue'] as const)
        cols[f][i] = [NaN, -0, Infinity, -Infinity, rand() * 1e9, Math.round(rand() * 100)][
          Math.floor(rand() * 6)
        ];
      cols.counterCorrection[i] = rand() < 0.5 ? 0 : rand();
    }
    setStaleNaNAt(cols.sum, 3);
    const packed = decodeRollupBuckets(encodeRollupBuckets(cols));
    expect(bits(packed)).toEqual(bits(cols));
    // The migration's plain format reads back the same.
    expect(bits(decodeRollupBuckets(encodePlainRollupBuckets(cols)))).toEqual(bits(cols));
  });

  it('encodes an empty day and rejects what it cannot carry', () => {
    expect(decodeRollupBuckets(encodeRollupBuckets(emptyRollupColumns(0))).buckets.length).toBe(0);
    const cols = dayOfHours(true, 3);
    cols.buckets[5] = cols.buckets[4];
    expect(() => encodeRollupBuckets(cols)).toThrow(ChunkCodecError);
    const frac = dayOfHours(true, 3);
    frac.count[0] = 1.5;
    expect(() => encodeRollupBuckets(frac)).toThrow(ChunkCodecError);
    const data = encodeRollupBuckets(dayOfHours(false, 4));
    expect(() => decodeRollupBuckets(data.subarray(0, 20))).toThrow(ChunkCodecError);
    expect(() => decodeRollupBuckets(Uint8Array.from([9]))).toThrow(ChunkCodecError);
  });

  it('merges re-rolled buckets into a day row: a fresh bucket replaces its stored one', () => {
    const cols = dayOfHours(false, 5);
    const stored = decodeRollupBuckets(encodeRollupBuckets(cols));
    const fresh: BucketAggregate[] = [
      { ...aggOf(cols, 3), count: 999 },
      { ...aggOf(cols, 23), bucket: cols.buckets[23] + HOUR_MS, count: 1 },
    ];
    const merged = mergeBuckets(stored, fresh);
    expect(merged.buckets.length).toBe(25);
    expect(Array.from(merged.count.subarray(0, 5))).toEqual([
      cols.count[0],
      cols.count[1],
      cols.count[2],
      999,
      cols.count[4],
    ]);
    expect(merged.buckets[24]).toBe(cols.buckets[23] + HOUR_MS);
    // Merging the same buckets again changes nothing (re-rolls are idempotent).
    expect(bits(mergeBuckets(merged, fresh))).toEqual(bits(merged));
  });

  it('cuts dirty runs at day boundaries when asked', () => {
    const d = DAY_MS;
    const h = HOUR_MS;
    expect(runs([d - 2 * h, d - h, d, d + h], h, 24, d)).toEqual([
      [d - 2 * h, d],
      [d, d + 2 * h],
    ]);
  });
});

function aggOf(cols: RollupColumns, i: number): BucketAggregate {
  return {
    bucket: cols.buckets[i],
    count: cols.count[i],
    sum: cols.sum[i],
    sumSq: cols.sumSquares[i],
    min: cols.min[i],
    max: cols.max[i],
    firstTs: cols.firstTs[i],
    firstValue: cols.firstValue[i],
    lastTs: cols.lastTs[i],
    lastValue: cols.lastValue[i],
    resets: cols.resets[i],
    changes: cols.changes[i],
    counterCorrection: cols.counterCorrection[i],
  };
}
