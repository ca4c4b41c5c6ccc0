import { encodeChunk } from '../codec/chunk-codec';
import { setStaleNaNAt } from '../model';
import {
  CHUNK_HEADER,
  decodeSeriesChunks,
  type RawSamples,
  type SampleWindows,
} from './sample-store';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

function bits(v: number): string {
  const w = new Uint32Array(Float64Array.of(v).buffer);
  return `${w[1].toString(16)}:${w[0].toString(16)}`;
}

/** One chunk's samples, of the kinds a scrape gives. */
function chunkSamples(
  rand: () => number,
  t0: number,
  v0: number,
): { ts: Float64Array; vs: Float64Array } {
  const n = 1 + Math.floor(rand() * (rand() < 0.2 ? 3000 : 300));
  const delta = rand() < 0.5 ? 30_000 : 15_000;
  const jitter = rand() < 0.15; // an irregular scrape: decoded whole
  const kind = Math.floor(rand() * 6);
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  let v = v0;
  for (let i = 0; i < n; i++) {
    ts[i] = t0 + i * delta + (jitter && i > 0 ? Math.floor(rand() * 500) : 0);
    if (kind === 0)
      v += Math.floor(rand() * 50); // a counter
    else if (kind === 1)
      v = rand() < 0.01 ? Math.floor(rand() * 10) : v + Math.floor(rand() * 300); // resets
    else if (kind === 2)
      v += rand() < 0.03 ? 2 ** 30 * rand() : Math.floor(rand() * 5); // patches
    else if (kind === 3)
      v += rand() < 0.02 ? -Math.floor(rand() * 1e6) : Math.floor(rand() * 9); // negative patches
    else if (kind === 4)
      v = Math.round((v + rand() * 3) * 100) / 100; // decimals
    else v = Math.round(rand() * 100 - 50); // a gauge
    vs[i] = kind === 2 ? Math.floor(v) : v;
  }
  // Staleness markers and gaps: a value column with exceptions (decoded whole).
  if (rand() < 0.1) setStaleNaNAt(vs, Math.floor(rand() * n));
  return { ts, vs };
}

/** A series' chunks as chunkRows packs them, and all their samples. */
function packedSeries(rand: () => number): { packed: Buffer; all: RawSamples } {
  const parts: Buffer[] = [];
  const samples: Array<{ ts: Float64Array; vs: Float64Array }> = [];
  let t = 1_764_115_200_000 + Math.floor(rand() * 1e6);
  let v = Math.floor(rand() * 1e6);
  const chunks = 1 + Math.floor(rand() * 6);
  for (let c = 0; c < chunks; c++) {
    const s = chunkSamples(rand, t, v);
    const data = encodeChunk(s.ts, s.vs);
    const head = Buffer.alloc(CHUNK_HEADER);
    head.writeUInt32BE(data.length, 0);
    head.writeBigInt64BE(BigInt(s.ts[0]), 4);
    head.writeBigInt64BE(BigInt(s.ts[s.ts.length - 1]), 12);
    parts.push(head, Buffer.from(data));
    samples.push(s);
    const last = s.ts[s.ts.length - 1];
    // The next chunk right after (a block's edge) or after a gap.
    t = last + (rand() < 0.6 ? 30_000 : Math.floor(rand() * 3_600_000) + 1);
    v = Number.isFinite(s.vs[s.vs.length - 1]) ? s.vs[s.vs.length - 1] : v;
  }
  // Typed arrays throughout: a plain array would not keep the staleness marker's payload.
  const n = samples.reduce((a, s) => a + s.ts.length, 0);
  const all = { timestamps: new Float64Array(n), values: new Float64Array(n) };
  let o = 0;
  for (const s of samples) {
    all.timestamps.set(s.ts, o);
    all.values.set(s.vs, o);
    o += s.ts.length;
  }
  return { packed: Buffer.concat(parts), all };
}

describe('windows read by their ends', () => {
  it('are the ends of the windows the samples path reads, and the rest is its samples', () => {
    const rand = rng(7);
    let byEnds = 0;
    let bySamples = 0;
    for (let round = 0; round < 400; round++) {
      const { packed, all } = packedSeries(rand);
      const t0 = all.timestamps[0];
      const tn = all.timestamps[all.timestamps.length - 1];
      const step = rand() < 0.6 ? 1_200_000 : 60_000 + Math.floor(rand() * 3_000_000);
      const width = rand() < 0.1 ? 0 : Math.floor(rand() * step);
      const first = t0 + Math.floor((rand() - 0.2) * 3_600_000);
      const w: SampleWindows = {
        first,
        step,
        width,
        end: tn + Math.floor((rand() - 0.3) * 3_600_000),
        lastOnly: false,
      };
      const start = w.first - w.width;
      for (const mode of ['rising', 'any'] as const) {
        const got = decodeSeriesChunks(packed, start, w.end, { ...w, ends: mode });
        const ends = got?.ends;
        // What the ends path must leave in the arrays: every window's samples but its own.
        const gotEnds: string[] = [];
        const wantEnds: string[] = [];
        const unsound: number[] = [];
        const wantTs: number[] = [];
        const wantVs: string[] = [];
        let lo = 0;
        for (let k = 0, ref = w.first; ref <= w.end; k++, ref += w.step) {
          const idx: number[] = [];
          while (lo < all.timestamps.length && all.timestamps[lo] < ref - w.width) lo++;
          for (let i = lo; i < all.timestamps.length && all.timestamps[i] <= ref; i++) idx.push(i);
          if (ends && ends.data[5 * k] > 0) {
            byEnds++;
            const d = ends.data;
            const a = idx[0];
            const z = idx[idx.length - 1];
            gotEnds.push(
              `${k} ${d[5 * k]} ${d[5 * k + 1]} ${bits(d[5 * k + 2])} ${d[5 * k + 3]} ${bits(d[5 * k + 4])}`,
            );
            wantEnds.push(
              `${k} ${idx.length} ${all.timestamps[a]} ${bits(all.values[a])} ${all.timestamps[z]} ${bits(all.values[z])}`,
            );
            // No staleness marker (nor other NaN) in it, and with 'rising' no reset.
            for (let j = 0; j < idx.length; j++) {
              const v = all.values[idx[j]];
              if (v !== v || (mode === 'rising' && j > 0 && v < all.values[idx[j - 1]]))
                unsound.push(k);
            }
            continue;
          }
          if (idx.length > 0) bySamples++;
          for (const i of idx) {
            wantTs.push(all.timestamps[i]);
            wantVs.push(bits(all.values[i]));
          }
        }
        expect(gotEnds).toEqual(wantEnds);
        expect(unsound).toEqual([]);
        if (ends)
          expect([ends.first, ends.step, ends.width, ends.rising]).toEqual([
            w.first,
            w.step,
            w.width,
            mode === 'rising',
          ]);
        expect(Array.from(got?.timestamps ?? [])).toEqual(wantTs);
        expect(Array.from(got?.values ?? [], bits)).toEqual(wantVs);
      }
    }
    // Both paths are taken often: most windows of regular counters by their ends, windows
    // across chunks, with resets, staleness markers or irregular scrapes from their samples.
    expect(byEnds).toBeGreaterThan(10_000);
    expect(bySamples).toBeGreaterThan(5_000);
  });

  it('are not read for instant selectors or without being asked for', () => {
    const rand = rng(8);
    const { packed, all } = packedSeries(rand);
    const w: SampleWindows = {
      first: all.timestamps[0] + 300_000,
      step: 1_200_000,
      width: 300_000,
      end: all.timestamps[all.timestamps.length - 1],
      lastOnly: true,
      ends: 'any',
    };
    expect(decodeSeriesChunks(packed, w.first - w.width, w.end, w)?.ends).toBeUndefined();
    const asked = decodeSeriesChunks(packed, w.first - w.width, w.end, {
      ...w,
      lastOnly: false,
      ends: undefined,
    });
    expect(asked?.ends).toBeUndefined();
  });
});
