import { PromQLError } from '../errors';
import {
  parseDurationParam,
  parseInstantQueryParams,
  parseMatchParams,
  parseMetadataQueryParams,
  parseRangeQueryParams,
  parseTimeParam,
  promSuccessBody,
  toPromErrorResponse,
  toPromSuccess,
} from './prom-api';
import { toPromData, type QueryResult } from '../engine/engine';

describe('parseTimeParam', () => {
  it('reads unix seconds with fractions, rounded to ms', () => {
    expect(parseTimeParam('1700000000')).toBe(1_700_000_000_000);
    expect(parseTimeParam('1700000000.1234')).toBe(1_700_000_000_123);
    expect(parseTimeParam('1.5e3')).toBe(1_500_000);
  });

  it('reads RFC3339 with offsets and nanoseconds', () => {
    expect(parseTimeParam('2024-01-02T03:04:05Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parseTimeParam('2024-01-02T03:04:05.123456789+02:00')).toBe(
      Date.UTC(2024, 0, 2, 1, 4, 5, 123),
    );
  });

  it('rejects anything else as bad_data naming the parameter', () => {
    expect(() => parseTimeParam('yesterday', 'start')).toThrow(
      'invalid parameter "start": cannot parse "yesterday" to a valid timestamp',
    );
    expect(() => parseTimeParam('2024-01-02', 'end')).toThrow(PromQLError);
  });
});

describe('parseDurationParam', () => {
  it('reads float seconds and Prometheus durations', () => {
    expect(parseDurationParam('15')).toBe(15_000);
    expect(parseDurationParam('0.5')).toBe(500);
    expect(parseDurationParam('1m30s')).toBe(90_000);
    expect(parseDurationParam('1d')).toBe(86_400_000);
    expect(parseDurationParam('250ms')).toBe(250);
  });

  it('rejects malformed durations', () => {
    expect(() => parseDurationParam('1x')).toThrow(
      'invalid parameter "step": cannot parse "1x" to a valid duration',
    );
    expect(() => parseDurationParam('m')).toThrow(PromQLError);
  });
});

describe('query parameters', () => {
  it('defaults the instant time to now', () => {
    expect(parseInstantQueryParams({ query: 'up' }, 1234)).toEqual({
      query: 'up',
      timeMs: 1234,
      timeoutMs: undefined,
    });
    expect(parseInstantQueryParams({ query: 'up', time: '10', timeout: '5s' }, 0)).toEqual({
      query: 'up',
      timeMs: 10_000,
      timeoutMs: 5000,
    });
  });

  it('validates range queries like Prometheus', () => {
    expect(
      parseRangeQueryParams({ query: 'up', start: '0', end: '60', step: '15s' }),
    ).toMatchObject({ startMs: 0, endMs: 60_000, stepMs: 15_000 });
    expect(() => parseRangeQueryParams({ query: 'up', start: '60', end: '0', step: '1' })).toThrow(
      'end timestamp must not be before start time',
    );
    expect(() => parseRangeQueryParams({ query: 'up', start: '0', end: '60', step: '0' })).toThrow(
      'zero or negative query resolution step widths are not accepted',
    );
    expect(() =>
      parseRangeQueryParams({ query: 'up', start: '0', end: '20000', step: '1' }),
    ).toThrow('exceeded maximum resolution of 11,000 points');
    expect(() => parseRangeQueryParams({ start: '0', end: '1', step: '1' })).toThrow(
      'invalid parameter "query"',
    );
  });

  it('parses match[] selectors', () => {
    expect(parseMatchParams(['up', '{job="a"}'])).toEqual([
      [{ name: '__name__', op: '=', value: 'up' }],
      [{ name: 'job', op: '=', value: 'a' }],
    ]);
    expect(parseMatchParams(undefined)).toEqual([]);
    expect(() => parseMatchParams('sum(up)')).toThrow('invalid parameter "match[]"');
  });
});

describe('parseMetadataQueryParams', () => {
  it('reads match[] and an optional time range', () => {
    expect(parseMetadataQueryParams({ 'match[]': ['up'], start: '10', end: '20' })).toEqual({
      matcherSets: [[{ name: '__name__', op: '=', value: 'up' }]],
      startMs: 10_000,
      endMs: 20_000,
    });
    const open = parseMetadataQueryParams({});
    expect(open.matcherSets).toEqual([]);
    expect(open.startMs).toBe(Number.MIN_SAFE_INTEGER);
    expect(open.endMs).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseTimeParam('292277025-08-18T07:12:54.999999999Z')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('requires match[] where /series does', () => {
    expect(() => parseMetadataQueryParams({}, { requireMatch: true })).toThrow(
      'no match[] parameter provided',
    );
    expect(() => parseMetadataQueryParams({ start: '20', end: '10' })).toThrow(
      'end timestamp must not be before start time',
    );
  });
});

describe('toPromErrorResponse', () => {
  it('maps error types to Prometheus HTTP statuses', () => {
    expect(toPromErrorResponse(new PromQLError('bad_data', 'x'))).toEqual({
      httpStatus: 400,
      body: { status: 'error', errorType: 'bad_data', error: 'x' },
    });
    expect(toPromErrorResponse(new PromQLError('execution', 'y')).httpStatus).toBe(422);
    expect(toPromErrorResponse(new PromQLError('timeout', 'z')).httpStatus).toBe(503);
    expect(toPromErrorResponse(new Error('boom'))).toEqual({
      httpStatus: 500,
      body: { status: 'error', errorType: 'internal', error: 'boom' },
    });
  });
});

describe('promSuccessBody', () => {
  const same = (res: QueryResult) =>
    expect(promSuccessBody(res).toString('utf8')).toBe(
      JSON.stringify(toPromSuccess(toPromData(res))),
    );

  it('writes a matrix as JSON.stringify writes its data', () => {
    const odd = [NaN, Infinity, -Infinity, 0, -0, 1e-7, 1.5e21, -2.5e-300, 123.456, 1 / 3, 5e-324];
    same({
      resultType: 'matrix',
      series: [
        {
          labels: { __name__: 'up', job: 'a "quoted" \\ \n job', é: 'ünï\u2028' },
          timestamps: odd.map((_, i) => 1_795_762_080_000 + i * 15_001),
          values: odd,
        },
        { labels: {}, timestamps: [], values: [] },
        { labels: { a: 'b' }, timestamps: [-1500, 0, 1, 2 ** 52, 1e18], values: [1, 2, 3, 4, 5] },
        {
          labels: { b: 'c' },
          timestamps: [2 ** 31 * 1000 - 1000, 2 ** 31 * 1000, 1e14 - 1000, 1e14, 1e14 + 1000],
          values: [0, 1, 2, 3, 4],
        },
      ],
    });
    same({ resultType: 'matrix', series: [] });
  });

  it('writes short decimals from their digits as JavaScript writes them', () => {
    let seed = 3;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values: number[] = [
      0.1 + 0.2,
      1.005,
      0.0005,
      0.001,
      -0.001,
      0.05,
      -0.05,
      999_999_999.999,
      -999_999_999.999,
      1e9,
      -1e9,
      1e9 - 0.5,
      2.5,
      -2.5,
      1e-3 * 3,
      100,
      -7,
      55.37,
      1 / 3,
      2 ** 30 + 0.125,
    ];
    for (let i = 0; i < 20_000; i++) {
      const digits = Math.floor(rnd() * 5);
      const scale = 10 ** Math.floor(rnd() * 12 - 3);
      const x = (rnd() - 0.4) * scale;
      // Decimals of 0..4 digits as a gauge would report them, and arbitrary doubles.
      values.push(i % 4 === 3 ? x : Math.round(x * 10 ** digits) / 10 ** digits);
    }
    // Averages of large integers (17 digits, written by shortestFixed), whole numbers past int32.
    for (let i = 0; i < 5_000; i++) {
      let mean = 0;
      const base = Math.floor(rnd() * 2 ** (20 + rnd() * 32));
      for (let c = 1; c <= 1 + (i % 120); c++)
        mean += (base + Math.floor(rnd() * 1e6)) / c - mean / c;
      values.push(i % 2 ? mean : -mean, Math.floor(mean) * (i % 3 ? 1 : -1));
    }
    same({
      resultType: 'matrix',
      series: [{ labels: { a: 'b' }, timestamps: values.map((_, i) => i * 1000), values }],
    });
  });

  it('leaves other result types to JSON.stringify', () => {
    same({
      resultType: 'vector',
      samples: [{ labels: { a: 'b' }, timestampMs: 1000, value: NaN }],
    });
    same({ resultType: 'scalar', timestampMs: 1500, value: -0 });
    same({ resultType: 'string', timestampMs: 1500, value: 'x"y' });
  });
});
