import { isStaleNaNAt } from '@tocsin/tsdb';
import { IngestError } from '../ingest.errors';
import { decodeJsonPush } from './json-push.codec';

const json = (v: unknown): Buffer => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('JSON push decode', () => {
  it('reads series with numeric and special values', () => {
    const { series } = decodeJsonPush(
      json({
        series: [
          {
            labels: { __name__: 'temp', room: 'a' },
            samples: [
              [1732600000000, 21.5],
              [1732600015000, 'NaN'],
              [1732600030000, '+Inf'],
              [1732600045000, '-Inf'],
              [1732600060000, 'stale'],
              [1732600075000, '1e3'],
            ],
          },
        ],
      }),
    );
    expect(series[0].labelNames).toEqual(['__name__', 'room']);
    expect(series[0].labelValues).toEqual(['temp', 'a']);
    const v = series[0].values;
    expect(v[0]).toBe(21.5);
    expect(Number.isNaN(v[1]) && !isStaleNaNAt(v, 1)).toBe(true);
    expect([v[2], v[3]]).toEqual([Infinity, -Infinity]);
    expect(isStaleNaNAt(v, 4)).toBe(true);
    expect(v[5]).toBe(1000);
    expect(series[0].timestamps[5]).toBe(1732600075000);
  });

  it('keeps a __proto__ label as data', () => {
    const { series } = decodeJsonPush(
      json('{"series":[{"labels":{"__name__":"m","__proto__":"x"},"samples":[[1,1]]}]}'),
    );
    expect(series[0].labelNames).toContain('__proto__');
  });

  const bad: [string, string, RegExp][] = [
    ['not JSON', '{"series": [', /^json: /],
    ['no series array', '{"data": []}', /expected an object/],
    ['series not an object', '{"series": [1]}', /series\[0\] is not an object/],
    ['labels not an object', '{"series": [{"labels": [], "samples": []}]}', /series\[0\]\.labels/],
    [
      'label value not a string',
      '{"series": [{"labels": {"a": 1}, "samples": []}]}',
      /labels\.a must be a string/,
    ],
    [
      'samples missing',
      '{"series": [{"labels": {"__name__": "m"}}]}',
      /series\[0\] \(m\)\.samples must be an array/,
    ],
    [
      'sample not a pair',
      '{"series": [{"labels": {}, "samples": [[1]]}]}',
      /samples\[0\] must be a \[timestamp, value\] pair/,
    ],
    [
      'fractional timestamp',
      '{"series": [{"labels": {}, "samples": [[1.5, 1]]}]}',
      /integer number of milliseconds/,
    ],
    [
      'string timestamp',
      '{"series": [{"labels": {}, "samples": [["1", 1]]}]}',
      /integer number of milliseconds/,
    ],
    [
      'bad value string',
      '{"series": [{"labels": {}, "samples": [[1, "abc"]]}]}',
      /value must be a number/,
    ],
    [
      'null value',
      '{"series": [{"labels": {}, "samples": [[1, null]]}]}',
      /value must be a number/,
    ],
  ];
  it.each(bad)('rejects %s with a 400', (_n, body, message) => {
    let caught: unknown;
    try {
      decodeJsonPush(json(body));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IngestError);
    expect((caught as IngestError).status).toBe(400);
    expect((caught as IngestError).message).toMatch(message);
  });

  it('names the first bad series by index and metric', () => {
    const body = {
      series: [
        { labels: { __name__: 'ok' }, samples: [[1, 1]] },
        {
          labels: { __name__: 'bad' },
          samples: [
            [1, 1],
            [2, {}],
          ],
        },
      ],
    };
    expect(() => decodeJsonPush(json(body))).toThrow('series[1] (bad).samples[1]');
  });
});
