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

// Per binary exponent e of a value 2^e ≤ |v| < 2^(e+1) below 2^53, for shortestFixed: half an
// ulp, the most decimals k for which f·10^k stays exact (5^k ≤ 2^(e+1), at most 15, so that
// 10^k and the decimals stay exact integers), and the digits of 2^e's whole part.
const HALF_ULP = Array.from({ length: 53 }, (_, e) => 2 ** (e - 53));
const EXACT_DECIMALS = Array.from({ length: 53 }, (_, e) => {
  let k = 0;
  while (k < 15 && 5 ** (k + 1) <= 2 ** (e + 1)) k++;
  return k;
});
const WHOLE_DIGITS = Array.from({ length: 53 }, (_, e) => String(2 ** e).length);
const POW10 = Array.from({ length: 17 }, (_, k) => 10 ** k);
const exponentView = new Float64Array(1);
const exponentWords = new Uint32Array(exponentView.buffer);

/**
 * formatSampleValue's digits of a value with 1 ≤ |v| < 2^53, as a whole part and k decimals,
 * found with exact arithmetic instead of a string conversion (a 7-day answer is 20,000 averages
 * of byte counts, each 17 digits, and String(v) for those was half of writing the answer).
 * Returns k and sets out[0] to the whole part and out[1] to the decimals as an integer below
 * 10^k (for 4213456789.4166665, k = 7, 4213456789 and 4166665); -1 where it cannot tell, and
 * then only String(v) can.
 *
 * Why these are String(v)'s (and Go's shortest 'f') digits: with w = ⌊|v|⌋ and f = |v| − w
 * (exact), a decimal w + m/10^k reads back as v when |m − f·10^k| is below half an ulp of v
 * times 10^k (the ulp below v is the same: a power of two from 1 on is whole, written at k = 0).
 * f has at most 52 − e bits after the point, so f·10^k is exact while 5^k ≤ 2^(e+1), and so are
 * m − f·10^k and the bound. m = round(f·10^k) is the closest decimal of k places, the one both
 * languages choose among the shortest, and if it reads back at k it does at k + 1 (10·m is as
 * close, relative to a bound 10 times wider); so the fewest decimals are found going down from
 * 17 significant digits, which always read back, to the first k that does not. An exact tie, on
 * the bound or between two m, is left to String(v), as is a value that needs more decimals than
 * f·10^k holds exactly.
 */
export function shortestFixed(v: number, out: Float64Array): number {
  const a = v < 0 ? -v : v;
  if (!(a >= 1 && a < 9_007_199_254_740_992)) return -1;
  const whole = Math.floor(a);
  const frac = a - whole;
  exponentView[0] = a;
  const e = (exponentWords[1] >>> 20) - 1023;
  const wholeDigits = whole >= POW10[WHOLE_DIGITS[e]] ? WHOLE_DIGITS[e] + 1 : WHOLE_DIGITS[e];
  const half = HALF_ULP[e];
  let k = Math.min(17 - wholeDigits, EXACT_DECIMALS[e]);
  let m = closeDecimals(frac, k, half);
  if (m < 0) return -1;
  while (k > 0) {
    const fewer = closeDecimals(frac, k - 1, half);
    if (fewer === -1) break;
    if (fewer === -2) return -1;
    k--;
    m = fewer;
  }
  // Never the next whole number: v and it are multiples of v's ulp (at most 1), so they are a
  // whole ulp apart or more; kept as a guard all the same.
  if (m === POW10[k]) return -1;
  out[0] = whole;
  out[1] = m;
  return k;
}

/**
 * The closest k-decimal integer to frac·10^k if that decimal reads back (see shortestFixed),
 * -1 if it does not, -2 on an exact tie.
 */
function closeDecimals(frac: number, k: number, halfUlp: number): number {
  const scaled = frac * POW10[k];
  const m = Math.round(scaled);
  const distance = m < scaled ? scaled - m : m - scaled;
  const bound = halfUlp * POW10[k];
  if (distance === bound) return -2;
  if (distance > bound) return -1;
  // Halfway between two decimals that both read back: which one is the languages' to choose.
  return distance === 0.5 ? -2 : m;
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
