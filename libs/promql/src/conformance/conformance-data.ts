import type { Labels } from '@tocsin/tsdb';
import { setStaleNaNAt } from '@tocsin/tsdb';

/** One generated series: samples in time order, staleness markers already in `values`. */
export interface GeneratedSeries {
  labels: Labels;
  timestamps: number[];
  values: Float64Array;
  stale: boolean[];
}

const SCRAPE_MS = 15_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Deterministic test data over `durationMs` ending at `endMs`: counters with resets, gauges,
 * classic histograms, a series with a gap longer than the lookback delta and staleness markers,
 * and one that ends with a staleness marker. Scrape times jitter by a few ms like real ones.
 */
export function generateConformanceData(endMs: number, durationMs: number): GeneratedSeries[] {
  const rnd = mulberry32(42);
  const n = Math.floor(durationMs / SCRAPE_MS);
  const start = endMs - n * SCRAPE_MS;
  const times = (jitterSeed: number) =>
    Array.from(
      { length: n + 1 },
      (_, i) => start + i * SCRAPE_MS + ((i * 37 + jitterSeed * 11) % 211),
    );
  const out: GeneratedSeries[] = [];
  const push = (labels: Labels, ts: number[], value: (i: number) => number | 'stale' | null) => {
    const keptTs: number[] = [];
    const vals: number[] = [];
    const stale: boolean[] = [];
    ts.forEach((t, i) => {
      const v = value(i);
      if (v === null) return;
      keptTs.push(t);
      vals.push(v === 'stale' ? 0 : v);
      stale.push(v === 'stale');
    });
    const values = Float64Array.from(vals);
    stale.forEach((s, i) => s && setStaleNaNAt(values, i));
    out.push({ labels, timestamps: keptTs, values, stale });
  };

  const instances = ['a', 'b', 'c'];
  instances.forEach((inst, k) => {
    for (const code of ['200', '500']) {
      const resetsAt = inst === 'b' ? [200] : inst === 'c' ? [100, 350] : [];
      let value = 1000 * (k + 1) + (code === '500' ? 7 : 0);
      const incs = Array.from({ length: n + 1 }, () =>
        Math.floor(rnd() * (code === '200' ? 40 : 4)),
      );
      push({ __name__: 'http_requests_total', job: 'api', instance: inst, code }, times(k), (i) => {
        if (resetsAt.includes(i)) value = incs[i];
        else if (i > 0) value += incs[i];
        return value;
      });
    }
    const zone = k === 2 ? 'z2' : 'z1';
    const phase = rnd() * Math.PI;
    const noise = Array.from({ length: n + 1 }, () => rnd() - 0.5);
    push(
      { __name__: 'node_temp_celsius', instance: inst, zone },
      times(k + 3),
      (i) => Math.round((20 + 3 * Math.sin(i / 40 + phase) + noise[i] + k * 0.37) * 1000) / 1000,
    );
    push({ __name__: 'up', job: 'node', instance: inst }, times(k + 6), (i) =>
      inst === 'b' && i % 97 > 80 ? 0 : 1,
    );
  });

  const bounds = ['0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
  for (const inst of ['a', 'b']) {
    const counts = bounds.map(() => 0);
    let sum = 0;
    const ts = times(inst === 'a' ? 9 : 10);
    const perStep = ts.map(() => {
      const obs = Array.from({ length: 5 }, () => Math.pow(rnd(), 2) * 3);
      return obs;
    });
    const snapshots = perStep.map((obs) => {
      for (const o of obs) {
        sum += o;
        bounds.forEach((b, j) => {
          if (o <= Number(b === '+Inf' ? Infinity : b)) counts[j]++;
        });
      }
      return { counts: [...counts], sum };
    });
    bounds.forEach((le, j) =>
      push(
        { __name__: 'request_duration_seconds_bucket', job: 'api', instance: inst, le },
        ts,
        (i) => snapshots[i].counts[j],
      ),
    );
    push(
      { __name__: 'request_duration_seconds_sum', job: 'api', instance: inst },
      ts,
      (i) => snapshots[i].sum,
    );
    push(
      { __name__: 'request_duration_seconds_count', job: 'api', instance: inst },
      ts,
      (i) => snapshots[i].counts[bounds.length - 1],
    );
  }

  // A gap longer than the lookback delta, a staleness marker, and values that repeat.
  push({ __name__: 'queue_depth', instance: 'a' }, times(12), (i) => {
    if (i >= 150 && i < 190) return null;
    if (i === 300) return 'stale';
    if (i > 300 && i < 330) return null;
    return Math.floor(i / 7) % 5;
  });
  // Ends well before the data does, with a staleness marker, as a vanished target's series.
  push({ __name__: 'batch_last_success', job: 'batch' }, times(13), (i) => {
    if (i > 400) return null;
    if (i === 400) return 'stale';
    return start / 1000 + Math.floor(i / 20) * 300;
  });
  // Exactly on the 15s grid, ending exactly one lookback delta before the end: window and
  // lookback boundaries then fall on samples, which tells inclusive from exclusive bounds.
  const aligned = Array.from({ length: n + 1 }, (_, i) => start + i * SCRAPE_MS);
  push({ __name__: 'aligned_total', job: 'edge' }, aligned, (i) => (i > n - 20 ? null : i * 3));
  return out;
}
