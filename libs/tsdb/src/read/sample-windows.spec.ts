import { windowsOf } from './pg-series-reader';
import { inWindows, type SampleWindows, windowRanges } from './sample-store';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

function randomSamples(
  rand: () => number,
  n: number,
): { timestamps: Float64Array; values: Float64Array } {
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let t = Math.floor(rand() * 100_000);
  for (let i = 0; i < n; i++) {
    t += 1 + Math.floor(rand() * (rand() < 0.05 ? 600_000 : 30_000));
    timestamps[i] = t;
    values[i] = i;
  }
  return { timestamps, values };
}

describe('step windows of a select', () => {
  it('keeps every sample of every range window and nothing outside them', () => {
    const rand = rng(1);
    for (let round = 0; round < 300; round++) {
      const s = randomSamples(rand, 1 + Math.floor(rand() * 400));
      const w: SampleWindows = {
        first: s.timestamps[0] + Math.floor((rand() - 0.3) * 600_000),
        step: 1 + Math.floor(rand() * 1_200_000),
        width: Math.floor(rand() * 600_000),
        end: s.timestamps[s.timestamps.length - 1] + Math.floor((rand() - 0.5) * 600_000),
        lastOnly: false,
      };
      const kept = new Set(inWindows(s, w).timestamps);
      for (const t of s.timestamps) {
        let inside = false;
        for (let ref = w.first; ref <= w.end; ref += w.step)
          if (t >= ref - w.width && t <= ref) inside = true;
        expect([t, kept.has(t)]).toEqual([t, inside]);
      }
    }
  });

  it('with lastOnly keeps each window’s newest sample, only samples from windows', () => {
    const rand = rng(2);
    for (let round = 0; round < 300; round++) {
      const s = randomSamples(rand, 1 + Math.floor(rand() * 400));
      const w: SampleWindows = {
        first: s.timestamps[0] + Math.floor(rand() * 600_000),
        step: 1 + Math.floor(rand() * 1_200_000),
        width: 300_000,
        end: s.timestamps[s.timestamps.length - 1],
        lastOnly: true,
      };
      const out = inWindows(s, w);
      const kept = new Set(out.timestamps);
      for (let ref = w.first; ref <= w.end; ref += w.step) {
        let newest: number | undefined;
        for (const t of s.timestamps) if (t >= ref - w.width && t <= ref) newest = t;
        if (newest !== undefined) expect(kept.has(newest)).toBe(true);
      }
      for (const t of out.timestamps) {
        let inside = false;
        for (let ref = w.first; ref <= w.end; ref += w.step)
          if (t >= ref - w.width && t <= ref) inside = true;
        expect(inside).toBe(true);
      }
      // Values travel with their timestamps.
      out.timestamps.forEach((t, i) => expect(s.timestamps[out.values[i]]).toBe(t));
    }
  });

  it('derives windows from hints only when step and a width are known', () => {
    expect(windowsOf({ start: 0, end: 100 })).toBeUndefined();
    expect(windowsOf({ start: 0, end: 100, step: 10 })).toBeUndefined();
    expect(windowsOf({ start: 0, end: 100, step: 10, range: 5 })).toEqual({
      first: 5,
      step: 10,
      width: 5,
      end: 100,
      lastOnly: false,
    });
    expect(windowsOf({ start: 0, end: 100, step: 10, lookback: 5 })).toMatchObject({
      lastOnly: true,
    });
  });
});

describe('step windows of a regular chunk', () => {
  it('are the same index ranges from the closed form as from the timestamps', () => {
    const rand = rng(3);
    let strided = 0;
    for (let round = 0; round < 3000; round++) {
      const delta = [15_000, 30_000, 10_000, 1][round % 4];
      const n = 1 + Math.floor(rand() * 300);
      const first = 1_764_115_200_000 + Math.floor(rand() * 1e6);
      const ts = Float64Array.from({ length: n }, (_, i) => first + i * delta);
      const lastOnly = rand() < 0.4;
      // Steps a whole number of samples apart half of the time (the strided walk), any otherwise.
      const step =
        rand() < 0.5 ? delta * (1 + Math.floor(rand() * 50)) : 1 + Math.floor(rand() * 1_200_000);
      if (step % delta === 0) strided++;
      const width = lastOnly
        ? Math.floor(rand() * 600_000)
        : Math.floor(rand() * Math.max(1, step - 1));
      const w: SampleWindows = {
        first: first + Math.floor((rand() - 0.3) * 600_000),
        step,
        width,
        end: first + n * delta + Math.floor((rand() - 0.5) * 600_000),
        lastOnly,
      };
      const start = first + Math.floor((rand() - 0.2) * n * delta);
      const end = start + Math.floor(rand() * n * delta * 1.2);
      for (const windows of [w, undefined])
        expect(windowRanges(undefined, first, delta, n, start, end, windows)).toEqual(
          windowRanges(ts, 0, 0, n, start, end, windows),
        );
      // Each range is samples of the window it names (readEnds places its ends there).
      const got = windowRanges(undefined, first, delta, n, start, end, w);
      const outside: number[] = [];
      for (let r = 0; r < got.length; r += 3) {
        const ref = w.first + got[r + 2] * w.step;
        for (let i = got[r]; i < got[r + 1]; i++)
          if (ts[i] < ref - w.width || ts[i] > ref) outside.push(i);
      }
      expect(outside).toEqual([]);
    }
    expect(strided).toBeGreaterThan(1000);
  });
});
