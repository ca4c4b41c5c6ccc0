import { SlidingExtreme, WINDOW_FUNCTIONS } from './range-functions';

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
