import type { LabelMatcher } from '@tocsin/tsdb';
import { toPromData, type QueryResult } from '../engine/engine';
import { formatSampleValue, formatTimestamp, shortestFixed } from '../engine/format';
import { PromQLError } from '../errors';
import { parsePromDuration } from '../parser/literals';
import { parseSeriesSelector } from '../parser/parser';

// Framework-free pieces of Prometheus' HTTP API (web/api/v1): parameter parsing and error
// bodies, so a NestJS controller only wires them to routes.

// "Unbounded" as epoch ms that stay exact integers in JavaScript.
const MIN_TIME_MS = Number.MIN_SAFE_INTEGER;
const MAX_TIME_MS = Number.MAX_SAFE_INTEGER;

/** Prometheus' minTime/maxTime in RFC3339, which clients send to mean "unbounded". */
const MIN_TIME_TEXT = '-292273086-05-16T16:47:06Z';
const MAX_TIME_TEXT = '292277025-08-18T07:12:54.999999999Z';

function invalidParam(name: string, message: string): PromQLError {
  return new PromQLError('bad_data', `invalid parameter "${name}": ${message}`);
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses a time parameter (unix seconds with decimals, or RFC3339) to epoch ms. */
export function parseTimeParam(value: string, name = 'time'): number {
  const trimmed = value.trim();
  if (trimmed !== '' && /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    const whole = Math.trunc(seconds);
    // Prometheus rounds the fraction to milliseconds.
    return whole * 1000 + Math.round((seconds - whole) * 1000);
  }
  if (value === MIN_TIME_TEXT) return MIN_TIME_MS;
  if (value === MAX_TIME_TEXT) return MAX_TIME_MS;
  const m = RFC3339.exec(value);
  if (m) {
    const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
    if (!Number.isNaN(ms)) return ms;
  }
  throw invalidParam(name, `cannot parse "${value}" to a valid timestamp`);
}

/** Parses a duration parameter (float seconds or `1m30s`) to ms. */
export function parseDurationParam(value: string, name = 'step'): number {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) {
    const ms = Number(value.trim()) * 1000;
    if (!Number.isFinite(ms) || Math.abs(ms) > 9.223372036854776e15) {
      throw invalidParam(name, `cannot parse "${value}" to a valid duration. It overflows int64`);
    }
    return Math.round(ms);
  }
  const d = parsePromDuration(value);
  if (d === null) throw invalidParam(name, `cannot parse "${value}" to a valid duration`);
  return d;
}

export interface InstantQueryParams {
  query: string;
  timeMs: number;
  timeoutMs?: number;
}

export interface RangeQueryParams {
  query: string;
  startMs: number;
  endMs: number;
  stepMs: number;
  timeoutMs?: number;
}

type Params = Record<string, string | string[] | undefined>;

function single(params: Params, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}

/** /api/v1/query parameters; `time` defaults to `nowMs`. */
export function parseInstantQueryParams(params: Params, nowMs: number): InstantQueryParams {
  const query = single(params, 'query');
  if (query === undefined) throw invalidParam('query', 'query must not be empty');
  const time = single(params, 'time');
  const timeout = single(params, 'timeout');
  return {
    query,
    timeMs: time === undefined || time === '' ? nowMs : parseTimeParam(time, 'time'),
    timeoutMs: timeout ? parseDurationParam(timeout, 'timeout') : undefined,
  };
}

/** /api/v1/query_range parameters, with Prometheus' checks on step and resolution. */
export function parseRangeQueryParams(params: Params): RangeQueryParams {
  const query = single(params, 'query');
  if (query === undefined) throw invalidParam('query', 'query must not be empty');
  const startText = single(params, 'start');
  const endText = single(params, 'end');
  const stepText = single(params, 'step');
  if (startText === undefined) throw invalidParam('start', 'cannot parse "" to a valid timestamp');
  if (endText === undefined) throw invalidParam('end', 'cannot parse "" to a valid timestamp');
  const startMs = parseTimeParam(startText, 'start');
  const endMs = parseTimeParam(endText, 'end');
  if (endMs < startMs) throw invalidParam('end', 'end timestamp must not be before start time');
  if (stepText === undefined) throw invalidParam('step', 'cannot parse "" to a valid duration');
  const stepMs = parseDurationParam(stepText, 'step');
  if (stepMs <= 0) {
    throw invalidParam(
      'step',
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  }
  if ((endMs - startMs) / stepMs > 11_000) {
    throw new PromQLError(
      'bad_data',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  const timeout = single(params, 'timeout');
  return {
    query,
    startMs,
    endMs,
    stepMs,
    timeoutMs: timeout ? parseDurationParam(timeout, 'timeout') : undefined,
  };
}

/** `match[]` values of /series, /labels and /label/<name>/values, as matcher sets. */
export function parseMatchParams(values: string | string[] | undefined): LabelMatcher[][] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return list.map((s) => {
    try {
      return parseSeriesSelector(s);
    } catch (err) {
      throw invalidParam('match[]', (err as Error).message);
    }
  });
}

export interface MetadataQueryParams {
  matcherSets: LabelMatcher[][];
  startMs: number;
  endMs: number;
}

/**
 * Parameters of /series, /labels and /label/<name>/values: `match[]`, and `start`/`end`
 * defaulting to Prometheus' unbounded minTime/maxTime. /series needs at least one `match[]`.
 */
export function parseMetadataQueryParams(
  params: Params,
  opts: { requireMatch?: boolean } = {},
): MetadataQueryParams {
  const matcherSets = parseMatchParams(params['match[]']);
  if (opts.requireMatch && matcherSets.length === 0) {
    throw new PromQLError('bad_data', 'no match[] parameter provided');
  }
  const start = single(params, 'start');
  const end = single(params, 'end');
  const startMs = start ? parseTimeParam(start, 'start') : MIN_TIME_MS;
  const endMs = end ? parseTimeParam(end, 'end') : MAX_TIME_MS;
  if (endMs < startMs) throw invalidParam('end', 'end timestamp must not be before start time');
  return { matcherSets, startMs, endMs };
}

export interface PromErrorBody {
  status: 'error';
  errorType: string;
  error: string;
}

/** The HTTP status and body Prometheus answers an error with (400/422/503/500). */
export function toPromErrorResponse(err: unknown): { httpStatus: number; body: PromErrorBody } {
  if (err instanceof PromQLError) {
    return {
      httpStatus: err.httpStatus,
      body: { status: 'error', errorType: err.errorType, error: err.message },
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { httpStatus: 500, body: { status: 'error', errorType: 'internal', error: message } };
}

/** The success envelope, `{status: 'success', data}`. */
export function toPromSuccess<T>(data: T): { status: 'success'; data: T } {
  return { status: 'success', data };
}

/**
 * The body of a success answer, `JSON.stringify(toPromSuccess(toPromData(res)))` as UTF-8, the
 * same bytes, with a matrix's points written straight into a buffer: a 1-hour range of 40
 * series is ~10,000 points, and a `[seconds, "value"]` array per point for JSON.stringify to
 * walk, then the text encoded again, cost a request more than the digits themselves.
 */
export function promSuccessBody(res: QueryResult): Buffer {
  if (res.resultType !== 'matrix')
    return Buffer.from(JSON.stringify(toPromSuccess(toPromData(res))));
  let points = 0;
  for (const s of res.series) points += s.timestamps.length;
  const out = new BodyWriter(points * 28 + res.series.length * 256 + 64);
  out.ascii('{"status":"success","data":{"resultType":"matrix","result":[');
  for (let k = 0; k < res.series.length; k++) {
    const { labels, timestamps, values } = res.series[k];
    out.ascii(k ? ',{"metric":' : '{"metric":');
    out.utf8(JSON.stringify(labels));
    out.ascii(',"values":[');
    for (let i = 0; i < timestamps.length; i++) {
      out.ascii(i ? ',[' : '[');
      out.number(formatTimestamp(timestamps[i]));
      out.ascii(',"');
      out.sampleValue(values[i]);
      out.ascii('"]');
    }
    out.ascii(']}');
  }
  out.ascii(']}}');
  return out.bytes();
}

// "00" to "99", for BodyWriter.digits.
const DIGIT_PAIRS = Uint8Array.from(
  Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''),
  (c) => c.charCodeAt(0),
);

/** An append-only byte buffer for promSuccessBody. */
class BodyWriter {
  private buf: Buffer;
  private o = 0;
  private readonly digitBuf = new Uint8Array(32);
  // shortestFixed's answer: whole part and decimals.
  private readonly fixedParts = new Float64Array(2);

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private room(n: number): void {
    if (this.o + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.o + n));
    this.buf.copy(grown, 0, 0, this.o);
    this.buf = grown;
  }

  /** A string of code points below 128. */
  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.o++] = s.charCodeAt(i);
  }

  utf8(s: string): void {
    this.room(3 * s.length);
    this.o += this.buf.write(s, this.o, 'utf8');
  }

  /** A finite number as JSON.stringify writes it; whole seconds (the usual case) digit by digit. */
  number(x: number): void {
    if (!(x >= 0 && x <= 0xffff_ffff_ffff && Number.isInteger(x))) {
      this.ascii(String(x));
      return;
    }
    this.digits(x, 1);
  }

  /**
   * formatSampleValue(v)'s characters (digits, signs, '.', 'e', 'NaN' or 'Inf': nothing to
   * escape), from the value's digits where they can be found without a string conversion (V8
   * takes 130–250 ns for one). A value with at most 3 decimals, below 1e9 (a gauge's reading, a
   * count, a byte size): the first k with round(v·10^k)/10^k === v gives a decimal that reads
   * back as v, none with fewer digits does (it would have been found at a smaller k), and at
   * this size no other k-decimal one does. Other values from 1 on (an average of byte counts)
   * as shortestFixed finds them.
   */
  sampleValue(v: number): void {
    if (v > -1e9 && v < 1e9 && v !== 0) {
      for (let k = 0, p = 1; k <= 3; k++, p *= 10) {
        const m = Math.round(v * p);
        if (m / p === v) {
          const a = m < 0 ? -m : m;
          const whole = Math.floor(a / p);
          this.fixed(m < 0, whole, a - whole * p, k);
          return;
        }
      }
    }
    const k = shortestFixed(v, this.fixedParts);
    if (k >= 0) this.fixed(v < 0, this.fixedParts[0], this.fixedParts[1], k);
    else this.ascii(formatSampleValue(v));
  }

  /** A decimal from its whole part and k decimals (an integer below 10^k), as JavaScript writes it. */
  private fixed(negative: boolean, whole: number, decimals: number, k: number): void {
    if (negative) {
      this.room(1);
      this.buf[this.o++] = 45;
    }
    this.digits(whole, 1);
    if (k === 0) return;
    this.room(1);
    this.buf[this.o++] = 46;
    this.digits(decimals, k);
  }

  /** The digits of a whole number below 2^53, zeros in front up to `width` digits. */
  private digits(x: number, width: number): void {
    const d = this.digitBuf;
    let n = 0;
    // Nine digits at a time down to int32 range, then two at a time from a table: int32
    // division by a constant is a multiplication, where a float division per digit was ~2 ms
    // of a 7-day answer's 20,000 timestamps.
    while (x > 0x7fff_ffff) {
      let q = Math.floor(x / 1e9);
      let r = x - q * 1e9;
      if (r < 0) {
        q -= 1;
        r += 1e9;
      }
      let y = r | 0;
      for (let j = 0; j < 9; j++) {
        const t = (y / 10) | 0;
        d[n++] = 48 + y - 10 * t;
        y = t;
      }
      x = q;
    }
    let y = x | 0;
    while (y >= 10) {
      const t = (y / 100) | 0;
      const pair = 2 * (y - 100 * t);
      d[n++] = DIGIT_PAIRS[pair + 1];
      d[n++] = DIGIT_PAIRS[pair];
      y = t;
    }
    if (y > 0) d[n++] = 48 + y;
    while (n < width) d[n++] = 48;
    this.room(n);
    const buf = this.buf;
    let o = this.o;
    while (n > 0) buf[o++] = d[--n];
    this.o = o;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.o);
  }
}
