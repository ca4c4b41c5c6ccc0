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

type LogRowViews = ReturnType<typeof unpackLogRow>;

/**
 * Gathers the samples of log rows per series, rows given oldest first. A timestamp seen twice
 * keeps its first-logged value (as the head's ON CONFLICT DO NOTHING kept the first stored), so
 * a re-sent request adds nothing. `wanted` (sorted ascending) limits it to some series;
 * `start`/`end` to a time range.
 *
 * Two passes: one counts each series' samples, the other copies them into one typed array per
 * column, every series a slice of it. Growing three JS arrays per series by push made most of
 * what the worker's fold of a 10,000-series log allocated and then collected, in the process
 * that shares the host's cores with the api's requests.
 */
export class LogGather {
  private readonly rows: LogRowViews[] = [];

  constructor(
    private readonly wanted?: ArrayLike<number>,
    private readonly start = -Infinity,
    private readonly end = Infinity,
  ) {}

  add(data: Buffer): void {
    this.rows.push(unpackLogRow(data));
  }

  /** Per series, sorted by timestamp, one sample per timestamp (the first logged). */
  result(): Map<number, RawSamples> {
    const { start, end } = this;
    // Series numbered in the order first met, as the map they are returned in.
    const slotOf = new Map<number, number>();
    const ids: number[] = [];
    const counts: number[] = [];
    for (const row of this.rows) {
      const ts = row.ts;
      this.runs(row, (id, i, j) => {
        let n = 0;
        for (let k = i; k < j; k++) if (ts[k] >= start && ts[k] <= end) n++;
        if (n === 0) return;
        let slot = slotOf.get(id);
        if (slot === undefined) {
          slotOf.set(id, (slot = ids.length));
          ids.push(id);
          counts.push(0);
        }
        counts[slot] += n;
      });
    }
    const next = new Array<number>(ids.length);
    let total = 0;
    for (let s = 0; s < ids.length; s++) {
      next[s] = total;
      total += counts[s];
    }
    const timestamps = new Float64Array(total);
    const values = new Float64Array(total);
    const vw = new Uint32Array(values.buffer);
    // Copied in log order (rows oldest first, a row's own order kept), which the stable sort
    // below needs to keep the first-logged sample of a timestamp.
    for (const row of this.rows) {
      const { ts, words } = row;
      this.runs(row, (id, i, j) => {
        const slot = slotOf.get(id);
        if (slot === undefined) return;
        let o = next[slot];
        for (let k = i; k < j; k++) {
          const t = ts[k];
          if (t < start || t > end) continue;
          timestamps[o] = t;
          vw[2 * o] = words[2 * k];
          vw[2 * o + 1] = words[2 * k + 1];
          o++;
        }
        next[slot] = o;
      });
    }
    const out = new Map<number, RawSamples>();
    for (let s = 0, from = 0; s < ids.length; from += counts[s], s++) {
      const n = sortKeepingFirst(timestamps, vw, from, from + counts[s]);
      out.set(ids[s], {
        timestamps: timestamps.subarray(from, from + n),
        values: values.subarray(from, from + n),
      });
    }
    return out;
  }

  /** Calls `visit` for each run [i, j) of one series in a row (rows are sorted by series). */
  private runs(row: LogRowViews, visit: (id: number, i: number, j: number) => void): void {
    const { ids } = row;
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
        if (w >= wanted.length) return;
        if (wanted[w] !== id) {
          i = j;
          continue;
        }
      }
      visit(id, i, j);
      i = j;
    }
  }
}

/**
 * Sorts one series' slice [from, to) by timestamp in place, keeping the first of equal ones;
 * returns how many samples are left (at `from`).
 */
function sortKeepingFirst(ts: Float64Array, vw: Uint32Array, from: number, to: number): number {
  let sorted = true;
  for (let i = from + 1; i < to && sorted; i++) sorted = ts[i] > ts[i - 1];
  if (sorted) return to - from;
  // Out of order or a duplicate: a stable sort keeps the first logged first.
  const order = Array.from({ length: to - from }, (_, k) => from + k);
  order.sort((a, b) => ts[a] - ts[b] || a - b);
  const t = new Float64Array(order.length);
  const w = new Uint32Array(2 * order.length);
  let o = 0;
  for (const k of order) {
    if (o > 0 && t[o - 1] === ts[k]) continue;
    t[o] = ts[k];
    w[2 * o] = vw[2 * k];
    w[2 * o + 1] = vw[2 * k + 1];
    o++;
  }
  ts.set(t.subarray(0, o), from);
  vw.set(w.subarray(0, 2 * o), 2 * from);
  return o;
}
