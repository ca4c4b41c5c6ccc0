import { formatFloatPlain, formatSampleValue, shortestFixed } from './format';

describe('formatSampleValue (Prometheus API number strings)', () => {
  it.each([
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [123456789012, '123456789012'],
    [1e20, '100000000000000000000'],
    [1e21, '1e+21'],
    [1.5e300, '1.5e+300'],
    [0.000001, '0.000001'],
    [1e-7, '1e-07'],
    [-2.5e-10, '-2.5e-10'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%p → %s', (v, want) => {
    expect(formatSampleValue(v)).toBe(want);
  });
});

describe('formatFloatPlain (strconv f, -1)', () => {
  it.each([
    [1e21, '1000000000000000000000'],
    [2.2e23, '220000000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.25e-8, '-0.0000000125'],
    [42, '42'],
    [Infinity, '+Inf'],
  ])('%p → %s', (v, want) => {
    expect(formatFloatPlain(v)).toBe(want);
  });
});

describe('shortestFixed (formatSampleValue digits without a string)', () => {
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const out = new Float64Array(2);
  /** shortestFixed's answer as text, or undefined where it leaves v to String(v). */
  const written = (v: number): string | undefined => {
    const k = shortestFixed(v, out);
    if (k < 0) return undefined;
    return (v < 0 ? '-' : '') + out[0] + (k ? '.' + String(out[1]).padStart(k, '0') : '');
  };
  /** Prometheus' running mean of n integers around `base`, as avg_over_time computes it. */
  const runningMean = (base: number, n: number) => {
    let mean = 0;
    for (let c = 1; c <= n; c++) mean += (base + Math.floor(rnd() * 1e6)) / c - mean / c;
    return mean;
  };

  it('writes what formatSampleValue writes, or leaves the value to it', () => {
    const values: number[] = [
      ...[0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 2.2250738585072014e-308],
      ...[1e-7, 1e-6, 0.5, 1 - 2 ** -53, 1, 1 + 2 ** -52, 1.5, 2.5, 1e15 + 0.25, 1e21],
      ...[2 ** 31 - 0.5, 2 ** 31 + 0.5, 2 ** 52 + 1, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2],
      ...[1120502242.9999998, 1125795879.266667, 1130819571.92562, 4503599627370495.5],
    ];
    for (let e = 0; e < 60; e++)
      values.push(2 ** e, 2 ** e - 2 ** (e - 53), 2 ** e + 2 ** (e - 52));
    for (let i = 0; i < 100_000; i++) {
      switch (i % 4) {
        case 0:
          // Any double at all.
          words[0] = rnd() * 2 ** 32;
          words[1] = rnd() * 2 ** 32;
          values.push(bits[0]);
          break;
        case 1:
          values.push((rnd() - 0.5) * 2 ** (rnd() * 64 - 4));
          break;
        case 2:
          values.push(runningMean(Math.floor(2 ** (rnd() * 45)), 1 + Math.floor(rnd() * 240)));
          break;
        default:
          // Decimals of a few places.
          values.push(Math.round(rnd() * 2 ** (rnd() * 50)) / 10 ** Math.floor(rnd() * 8));
      }
    }
    let answered = 0;
    for (const v of values) {
      const text = written(v);
      if (text === undefined) continue;
      answered++;
      expect([v, text]).toEqual([v, formatSampleValue(v)]);
    }
    expect(answered).toBeGreaterThan(values.length / 3);
  });

  it('answers for averages of byte counts, the 17-digit values it is for', () => {
    let answered = 0;
    for (let i = 0; i < 2_000; i++) {
      const v = runningMean(1e9 + Math.floor(rnd() * 1e10), 120);
      const text = written(v);
      if (text !== undefined) answered++;
      expect(text ?? formatSampleValue(v)).toBe(formatSampleValue(v));
    }
    expect(answered).toBe(2_000);
  });
});
