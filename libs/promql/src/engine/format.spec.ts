import { formatFloatPlain, formatSampleValue } from './format';

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
