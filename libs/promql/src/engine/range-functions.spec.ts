import {
  avgOverTimeMany,
  counterResets,
  SlidingExtreme,
  WINDOW_FUNCTIONS,
} from './range-functions';

describe('SlidingExtreme', () => {
  it('agrees with the plain min/max loop on random windows, NaNs and signed zeros included', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pool = [NaN, 0, -0, 1, -1, 2.5, Infinity, -Infinity];
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rnd() * 40);
      const vs = Float64Array.from({ length: n }, () =>
        rnd() < 0.5 ? pool[Math.floor(rnd() * pool.length)] : rnd() * 10 - 5,
      );
      const ts = Float64Array.from({ length: n }, (_, i) => i);
      for (const isMax of [true, false]) {
        const sx = new SlidingExtreme(vs, isMax);
        const plain = WINDOW_FUNCTIONS[isMax ? 'max_over_time' : 'min_over_time'];
        let lo = 0;
        let hi = 0;
        while (hi < n) {
          hi = Math.min(n, hi + 1 + Math.floor(rnd() * 3));
          lo = Math.min(hi - 1, lo + Math.floor(rnd() * 3));
          const want = plain(ts, vs, lo, hi, {
            stepTs: 0,
            rangeStart: 0,
            rangeEnd: 0,
            rangeMs: 1,
            scalar: 0,
          });
          expect(
            Object.is(sx.value(lo, hi), want) ||
              (Number.isNaN(want) && Number.isNaN(sx.value(lo, hi))),
          ).toBe(true);
        }
      }
    }
  });
});

describe('rate and increase with the reset counts', () => {
  it('give the same bits as without them on random windows, resets, NaNs and zeros included', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let compared = 0;
    let withResets = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = 2 + Math.floor(rnd() * 40);
      let v = rnd() * 100;
      const vs = Float64Array.from({ length: n }, () => {
        const x = rnd();
        if (x < 0.1) return (v = rnd() * 3);
        if (x < 0.13) return NaN;
        if (x < 0.16) return 0;
        return (v += rnd() * 7.3);
      });
      const ts = Float64Array.from({ length: n }, (_, i) => 1000 * i + Math.floor(rnd() * 900));
      const resets = counterResets(vs);
      for (const name of ['rate', 'increase']) {
        const fn = WINDOW_FUNCTIONS[name];
        for (let k = 0; k < 10; k++) {
          const lo = Math.floor(rnd() * (n - 1));
          const hi = lo + 2 + Math.floor(rnd() * (n - lo - 1));
          const ctx = {
            stepTs: 0,
            rangeStart: ts[lo] - 500,
            rangeEnd: ts[hi - 1] + 300,
            rangeMs: 9000,
            scalar: 0,
          };
          const plain = fn(ts, vs, lo, hi, ctx);
          const fast = fn(ts, vs, lo, hi, { ...ctx, resets });
          expect(Object.is(fast, plain) || (Number.isNaN(fast) && Number.isNaN(plain))).toBe(true);
          compared++;
          if (resets[hi - 1] !== resets[lo]) withResets++;
        }
      }
    }
    // Both paths were taken: windows with resets walk the samples, the others do not.
    expect(withResets).toBeGreaterThan(100);
    expect(compared - withResets).toBeGreaterThan(100);
  });
});

describe('avgOverTimeMany', () => {
  it("gives avg_over_time's bits on random windows, with infinities, NaNs and overflow", () => {
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const odd = [NaN, Infinity, -Infinity, 1.7e308, -1.7e308, 0, -0];
    const avg = WINDOW_FUNCTIONS.avg_over_time;
    const ctx = { stepTs: 0, rangeStart: 0, rangeEnd: 0, rangeMs: 1, scalar: 0 };
    let nonFinite = 0;
    let compared = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rnd() * 200);
      // Some series plain (the four-window loop alone), some with a few odd values.
      const oddShare = trial % 3 === 0 ? 0 : 0.02 + rnd() * 0.1;
      const vs = Float64Array.from({ length: n }, () =>
        rnd() < oddShare ? odd[Math.floor(rnd() * odd.length)] : (rnd() - 0.3) * 10 ** (rnd() * 12),
      );
      const m = Math.floor(rnd() * 30);
      const lo = new Int32Array(m);
      const hi = new Int32Array(m);
      // Windows of a grid move forward; random ones here, with lengths that differ too.
      for (let k = 0; k < m; k++) {
        lo[k] = Math.floor(rnd() * n);
        hi[k] = lo[k] + 1 + Math.floor(rnd() * (n - lo[k]));
      }
      const out = new Float64Array(m);
      avgOverTimeMany(vs, lo, hi, m, out);
      for (let k = 0; k < m; k++) {
        const want = avg(new Float64Array(0), vs, lo[k], hi[k], ctx) as number;
        expect(Object.is(out[k], want)).toBe(true);
        if (!Number.isFinite(want)) nonFinite++;
        compared++;
      }
    }
    expect(nonFinite).toBeGreaterThan(50);
    expect(compared - nonFinite).toBeGreaterThan(1000);
  });

  it("gives avg_over_time's bits on a step grid's windows over long series, one after another", () => {
    let seed = 9;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const avg = WINDOW_FUNCTIONS.avg_over_time;
    const ctx = { stepTs: 0, rangeStart: 0, rangeEnd: 0, rangeMs: 1, scalar: 0 };
    // Lengths past the kernel's first memory page (8,192 values) and back, so that its memory
    // grows between series and a shorter series reads only its own values.
    for (const n of [500, 20_160, 3_000, 70_000, 1_000]) {
      const base = Math.floor(rnd() * 2 ** 40);
      const vs = Float64Array.from({ length: n }, () => base + Math.floor(rnd() * 1e6));
      // 1-hour windows every 20 minutes over 30 s samples, their counts a little uneven at times.
      const width = 120;
      const m = Math.floor((n - width) / 40);
      const lo = Int32Array.from({ length: m }, (_, k) => 40 * k);
      const hi = Int32Array.from({ length: m }, (_, k) =>
        Math.min(n, 40 * k + width - (rnd() < 0.1 ? Math.floor(rnd() * 5) : 0)),
      );
      const out = new Float64Array(m);
      avgOverTimeMany(vs, lo, hi, m, out);
      for (let k = 0; k < m; k++) {
        expect([k, out[k]]).toEqual([k, avg(new Float64Array(0), vs, lo[k], hi[k], ctx)]);
      }
    }
  });

  it('gives the same bits where WebAssembly cannot run (as under node --jitless)', () => {
    // A runtime without WebAssembly cannot be had inside this Jest process; one whose Module
    // constructor throws stands in for it, in a fresh copy of the module.
    // (The repository's TypeScript libraries do not declare WebAssembly: no DOM.)
    const real: unknown = Reflect.get(globalThis, 'WebAssembly');
    Object.defineProperty(globalThis, 'WebAssembly', {
      configurable: true,
      value: {
        Module: function () {
          throw new Error('WebAssembly is not available');
        },
      },
    });
    try {
      jest.isolateModules(() => {
        const fresh = jest.requireActual<typeof import('./range-functions')>('./range-functions');
        const vs = Float64Array.from({ length: 2_000 }, (_, i) => 1e9 + ((i * 7919) % 1000) / 7);
        const m = 40;
        const lo = Int32Array.from({ length: m }, (_, k) => 40 * k);
        const hi = Int32Array.from({ length: m }, (_, k) => 40 * k + 120);
        const out = new Float64Array(m);
        fresh.avgOverTimeMany(vs, lo, hi, m, out);
        const ctx = { stepTs: 0, rangeStart: 0, rangeEnd: 0, rangeMs: 1, scalar: 0 };
        for (let k = 0; k < m; k++)
          expect(out[k]).toBe(
            fresh.WINDOW_FUNCTIONS.avg_over_time(new Float64Array(0), vs, lo[k], hi[k], ctx),
          );
      });
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', { configurable: true, value: real });
    }
  });
});
