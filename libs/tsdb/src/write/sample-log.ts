import type { RawSamples } from '../read/sample-store';

/**
 * The head log's row format (table `sample_log`): n samples sorted by series id, then timestamp
 * (a request's own order kept among equal timestamps), packed as three runs of n little-endian
 * float64 words: series ids, timestamps, values. Ids and timestamps are safe integers, so a
 * float64 holds them exactly; values are copied as words, so NaN payloads (the staleness marker)
 * survive without the NULL mapping a float8 column needs.
 */
export function allocLogRow(n: number): {
  data: Buffer;
  ids: Float64Array;
  ts: Float64Array;
  words: Uint32Array;
} {
  // Its own ArrayBuffer, so the views are aligned (a pooled Buffer may start at any offset).
  const all = new ArrayBuffer(n * 24);
  return {
    data: Buffer.from(all),
    ids: new Float64Array(all, 0, n),
    ts: new Float64Array(all, n * 8, n),
    // Value words, copied as words so NaN payloads survive.
    words: new Uint32Array(all, n * 16, n * 2),
  };
}

/** A row as three aligned views (pg hands back Buffers at any offset, so it is copied once). */
export function unpackLogRow(data: Buffer): {
  ids: Float64Array;
  ts: Float64Array;
  words: Uint32Array;
} {
  const n = data.byteLength / 24;
  if (!Number.isInteger(n))
    throw new Error(`sample_log row of ${data.byteLength} bytes is not n × 24`);
  const all = new Float64Array(n * 3);
  new Uint8Array(all.buffer).set(data);
  return {
    ids: all.subarray(0, n),
    ts: all.subarray(n, 2 * n),
    words: new Uint32Array(all.buffer, n * 16, n * 2),
  };
}

/**
 * Gathers the samples of log rows per series, rows given oldest first. A timestamp seen twice
 * keeps its first-logged value (as the head's ON CONFLICT DO NOTHING kept the first stored), so
 * a re-sent request adds nothing. `wanted` (sorted ascending) limits it to some series;
 * `start`/`end` to a time range.
 */
export class LogGather {
  private readonly bySeries = new Map<number, { ts: number[]; hi: number[]; lo: number[] }>();

  constructor(
    private readonly wanted?: ArrayLike<number>,
    private readonly start = -Infinity,
    private readonly end = Infinity,
  ) {}

  add(data: Buffer): void {
    const { ids, ts, words } = unpackLogRow(data);
    const n = ids.length;
    const wanted = this.wanted;
    let w = 0;
    for (let i = 0; i < n;) {
      const id = ids[i];
      let j = i + 1;
      while (j < n && ids[j] === id) j++;
      if (wanted) {
        // Both sides are sorted: a merge join.
        while (w < wanted.length && wanted[w] < id) w++;
        if (w >= wanted.length) break;
        if (wanted[w] !== id) {
          i = j;
          continue;
        }
      }
      let acc: { ts: number[]; hi: number[]; lo: number[] } | undefined;
      for (let k = i; k < j; k++) {
        const t = ts[k];
        if (t < this.start || t > this.end) continue;
        if (!acc) {
          acc = this.bySeries.get(id);
          if (!acc) this.bySeries.set(id, (acc = { ts: [], hi: [], lo: [] }));
        }
        acc.ts.push(t);
        acc.lo.push(words[2 * k]);
        acc.hi.push(words[2 * k + 1]);
      }
      i = j;
    }
  }

  /** Per series, sorted by timestamp, one sample per timestamp (the first logged). */
  result(): Map<number, RawSamples> {
    const out = new Map<number, RawSamples>();
    for (const [id, acc] of this.bySeries) {
      const n = acc.ts.length;
      let order: number[] | null = null;
      for (let i = 1; i < n; i++) {
        if (acc.ts[i] <= acc.ts[i - 1]) {
          // Out of order or a duplicate: a stable sort keeps the first logged first.
          order = Array.from({ length: n }, (_, k) => k);
          order.sort((a, b) => acc.ts[a] - acc.ts[b] || a - b);
          break;
        }
      }
      const timestamps = new Float64Array(n);
      const values = new Float64Array(n);
      const vw = new Uint32Array(values.buffer);
      let o = 0;
      for (let i = 0; i < n; i++) {
        const k = order ? order[i] : i;
        const t = acc.ts[k];
        if (o > 0 && timestamps[o - 1] === t) continue;
        timestamps[o] = t;
        vw[2 * o] = acc.lo[k];
        vw[2 * o + 1] = acc.hi[k];
        o++;
      }
      out.set(id, { timestamps: timestamps.subarray(0, o), values: values.subarray(0, o) });
    }
    return out;
  }
}
