/**
 * Formats a sample value like Prometheus' HTTP API (strconv.AppendFloat with 'f' and shortest
 * precision, switching to 'e' below 1e-6 and from 1e21 on). JavaScript's shortest round-trip
 * digits and its exponent cut-offs are the same; only the exponent's spelling differs.
 */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const mant = s.slice(0, e);
  const exp = s.slice(e + 1);
  const sign = exp[0] === '-' ? '-' : '+';
  const digits = exp.replace(/^[+-]/, '');
  return `${mant}e${sign}${digits.length < 2 ? '0' + digits : digits}`;
}

/** strconv.FormatFloat(v, 'f', -1, 64): never an exponent (count_values uses this). */
export function formatFloatPlain(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const s = String(v);
  if (!s.includes('e')) return s;
  const neg = v < 0;
  const [mant, expText] = String(Math.abs(v)).split('e');
  const exp = Number(expText);
  const [intPart, frac = ''] = mant.split('.');
  const digits = intPart + frac;
  const point = intPart.length + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + out;
}

/** Go's `%f` (6 decimals, every digit; NaN and infinities as Prometheus spells them). */
export function formatGoFixed(v: number): string {
  if (!Number.isFinite(v)) return formatSampleValue(v);
  // toFixed turns exponential from 1e21 on; Go prints every digit.
  return v.toLocaleString('en-US', {
    useGrouping: false,
    minimumFractionDigits: 6,
    maximumFractionDigits: 6,
  });
}

/**
 * Go's `%v` of a float too large for an int64 (|v| ≥ 2^63: Go writes those with an exponent,
 * `1e+19`), or of NaN and the infinities.
 */
export function formatGoBeyondInt64(v: number): string {
  return Number.isFinite(v) ? v.toExponential() : formatSampleValue(v);
}

/** Unix seconds as Prometheus writes them (milliseconds precision). */
export function formatTimestamp(ms: number): number {
  return ms / 1000;
}
