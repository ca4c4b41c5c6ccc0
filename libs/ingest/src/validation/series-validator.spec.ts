import { isStaleNaNAt, setStaleNaNAt } from '@tocsin/tsdb';
import { decodeWriteRequest, encodeWriteRequest } from '../codecs/remote-write.codec';
import { DEFAULT_INGEST_LIMITS, type RawSeries } from '../ingest.types';
import { validateBatch } from './series-validator';

const NOW = 1732600000000;

function raw(labels: [string, string][], ts: number[] = [NOW], values?: Float64Array): RawSeries {
  return {
    labelNames: labels.map((l) => l[0]),
    labelValues: labels.map((l) => l[1]),
    timestamps: Float64Array.from(ts),
    values: values ?? Float64Array.from(ts.map((_, i) => i)),
  };
}

const validate = (series: RawSeries[], limits = DEFAULT_INGEST_LIMITS) =>
  validateBatch({ series, warnings: [] }, limits, NOW);

describe('validateBatch', () => {
  it('keeps valid series, sorted labels, empty values dropped', () => {
    const r = validate([
      raw([
        ['job', 'a'],
        ['__name__', 'up'],
        ['empty', ''],
        ['Zone', 'z'],
      ]),
    ]);
    expect(r.rejected).toEqual([]);
    expect(Object.keys(r.batch.series[0].labels)).toEqual(['Zone', '__name__', 'job']);
    expect(r.batch.sampleCount).toBe(1);
  });

  const cases: [string, [string, string][], string][] = [
    ['missing-metric-name', [['job', 'a']], 'no metric name'],
    [
      'missing-metric-name',
      [
        ['__name__', ''],
        ['job', 'a'],
      ],
      'no metric name',
    ],
    ['invalid-metric-name', [['__name__', '1abc']], '"1abc"'],
    ['invalid-metric-name', [['__name__', 'a-b']], '"a-b"'],
    [
      'invalid-label-name',
      [
        ['__name__', 'm'],
        ['a:b', 'x'],
      ],
      '"a:b"',
    ],
    [
      'invalid-label-name',
      [
        ['__name__', 'm'],
        ['', 'x'],
      ],
      'empty label name',
    ],
    [
      'invalid-label-name',
      [
        ['__name__', 'm'],
        ['0a', 'x'],
      ],
      '"0a"',
    ],
    [
      'duplicate-label-names',
      [
        ['__name__', 'm'],
        ['job', 'x'],
        ['job', 'y'],
      ],
      '"job"',
    ],
    [
      'label-name-too-long',
      [
        ['__name__', 'm'],
        ['a'.repeat(1025), 'x'],
      ],
      'longer than 1024',
    ],
    [
      'label-value-too-long',
      [
        ['__name__', 'm'],
        ['a', 'x'.repeat(2049)],
      ],
      'longer than 2048',
    ],
  ];
  it.each(cases)('rejects %s (%#)', (id, labels, message) => {
    const r = validate([raw([['__name__', 'ok']]), raw(labels, [NOW, NOW + 1])]);
    expect(r.batch.series).toHaveLength(1);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0].id).toBe(id);
    expect(r.rejected[0].message).toContain(message);
    expect(r.rejected[0].samples).toBe(2);
    expect(r.rejectedSamples).toBe(2);
  });

  it('accepts metric names with colons and the limits exactly', () => {
    const labels: [string, string][] = [
      ['__name__', 'job:rate:5m'],
      ['a'.repeat(1024), 'x'.repeat(2048)],
    ];
    for (let i = labels.length; i < 30; i++) labels.push([`l${i}`, 'v']);
    expect(validate([raw(labels)]).rejected).toEqual([]);
    labels.push(['l30', 'v']);
    const r = validate([raw(labels)]);
    expect(r.rejected[0].id).toBe('max-label-names-per-series');
    expect(r.rejected[0].message).toContain('31 labels, more than the limit of 30');
  });

  it('honours a per-org label count limit', () => {
    const r = validate(
      [
        raw([
          ['__name__', 'm'],
          ['a', '1'],
          ['b', '2'],
        ]),
      ],
      { ...DEFAULT_INGEST_LIMITS, maxLabelNamesPerSeries: 2 },
    );
    expect(r.rejected[0].id).toBe('max-label-names-per-series');
  });

  it('drops only the samples too far in the future', () => {
    const grace = DEFAULT_INGEST_LIMITS.creationGracePeriodMs;
    const r = validate([raw([['__name__', 'm']], [NOW, NOW + grace, NOW + grace + 1])]);
    expect(Array.from(r.batch.series[0].timestamps)).toEqual([NOW, NOW + grace]);
    expect(r.rejected[0]).toMatchObject({ id: 'sample-too-far-in-future', samples: 1 });
  });

  it('sorts samples, keeping each value (and the staleness marker) with its timestamp', () => {
    const values = new Float64Array([3, 1, 0, NaN]);
    setStaleNaNAt(values, 2);
    const r = validate([raw([['__name__', 'm']], [30, 10, 20, 40], values)]);
    const s = r.batch.series[0];
    expect(Array.from(s.timestamps)).toEqual([10, 20, 30, 40]);
    expect(s.values[0]).toBe(1);
    expect(isStaleNaNAt(s.values, 1)).toBe(true);
    expect(s.values[2]).toBe(3);
    expect(Number.isNaN(s.values[3]) && !isStaleNaNAt(s.values, 3)).toBe(true);
  });

  it('drops repeated timestamps, reporting those with a different value', () => {
    const r = validate([
      raw([['__name__', 'm']], [10, 10, 20, 20], Float64Array.from([1, 1, 2, 5])),
    ]);
    expect(Array.from(r.batch.series[0].timestamps)).toEqual([10, 20]);
    expect(Array.from(r.batch.series[0].values)).toEqual([1, 2]);
    expect(r.rejected).toEqual([
      expect.objectContaining({ id: 'sample-duplicate-timestamp', samples: 1 }),
    ]);
  });

  it('merges series with the same label set in one request', () => {
    const r = validate([
      raw(
        [
          ['__name__', 'm'],
          ['a', '1'],
        ],
        [20],
      ),
      raw(
        [
          ['a', '1'],
          ['__name__', 'm'],
          ['b', ''],
        ],
        [10],
      ),
      raw(
        [
          ['__name__', 'm'],
          ['a', '2'],
        ],
        [10],
      ),
    ]);
    expect(r.batch.series).toHaveLength(2);
    expect(Array.from(r.batch.series[0].timestamps)).toEqual([10, 20]);
    expect(r.batch.sampleCount).toBe(3);
  });

  it('builds labels safely for a __proto__ label name', () => {
    const r = validate([
      raw([
        ['__name__', 'm'],
        ['__proto__', 'x'],
      ]),
    ]);
    const labels = r.batch.series[0].labels;
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.keys(labels)).toEqual(['__name__', '__proto__']);
    expect(JSON.stringify(labels)).toBe('{"__name__":"m","__proto__":"x"}');
  });

  it('keeps a memoised verdict only for the limit-free rules', () => {
    const memo = {};
    const s = {
      ...raw([
        ['__name__', 'm'],
        ['a', '1'],
        ['b', '2'],
      ]),
      memo,
    };
    expect(validate([s]).rejected).toEqual([]);
    expect(memo).toHaveProperty('validated');
    const strict = validate([s], { ...DEFAULT_INGEST_LIMITS, maxLabelNamesPerSeries: 2 });
    expect(strict.rejected[0].id).toBe('max-label-names-per-series');
    const again = validate([s]);
    expect(again.batch.series[0].labels).toEqual({ __name__: 'm', a: '1', b: '2' });
    expect(Object.isFrozen(again.batch.series[0].labels)).toBe(true);
    const bad = { ...raw([['__name__', 'bad-name']]), memo: {} };
    expect(validate([bad]).rejected[0].id).toBe('invalid-metric-name');
    expect(validate([bad]).rejected[0].id).toBe('invalid-metric-name');
  });

  it('keeps a request of known, clean series as columns, and answers anything else as before', () => {
    const stale = new Float64Array(1);
    setStaleNaNAt(stale, 0);
    const body = (job: string, ts: number[][], values: Float64Array[]) =>
      encodeWriteRequest(
        ts.map((t, i) => ({
          labels: { __name__: 'cols_m', job, i: String(i) },
          timestamps: t,
          values: values[i],
        })),
      );
    const send = (b: Buffer, limits = DEFAULT_INGEST_LIMITS) =>
      validateBatch(decodeWriteRequest(b), limits, NOW);
    const clean = body('c', [[NOW - 2], [NOW - 1, NOW]], [stale, Float64Array.of(1, 2)]);
    const first = send(clean);
    const again = send(clean);
    expect(again.batch.columns).toBeDefined();
    expect(again.batch.sampleCount).toBe(3);
    // The columns' series, read as objects, are what the general path gave.
    expect(again.batch.series.map((x) => [x.labels, Array.from(x.timestamps)])).toEqual(
      first.batch.series.map((x) => [x.labels, Array.from(x.timestamps)]),
    );
    expect(again.batch.series[0].labels).toBe(first.batch.series[0].labels);
    expect(isStaleNaNAt(again.batch.columns!.values, 0)).toBe(true);
    expect(again.batch.columns!.memos[1]).toBe(first.batch.series[1].memo);

    // A limit the labels break, a sample too far ahead, samples out of order: the general path.
    const strict = send(clean, { ...DEFAULT_INGEST_LIMITS, maxLabelNamesPerSeries: 2 });
    expect(strict.batch.columns).toBeUndefined();
    expect(strict.rejected[0].id).toBe('max-label-names-per-series');
    const ahead = body('c', [[NOW - 2], [NOW, NOW + 3_600_000]], [stale, Float64Array.of(1, 2)]);
    expect(send(ahead).rejected[0].id).toBe('sample-too-far-in-future');
    expect(send(ahead).batch.sampleCount).toBe(2);
    const unsorted = body('c', [[NOW - 2], [NOW, NOW - 1]], [stale, Float64Array.of(2, 1)]);
    const sorted = send(unsorted);
    expect(sorted.batch.columns).toBeUndefined();
    expect(Array.from(sorted.batch.series[1].values)).toEqual([1, 2]);

    // Equal label sets sent as different bytes (an empty label more) are merged, and their
    // duplicate reported, as in the general path.
    const labels = { __name__: 'cols_m', job: 't' };
    const twins = encodeWriteRequest([
      { labels, timestamps: [NOW], values: [1] },
      { labels: { ...labels, zz: '' }, timestamps: [NOW], values: [2] },
    ]);
    send(twins);
    const merged = send(twins);
    expect(merged.batch.columns).toBeUndefined();
    expect(merged.batch.series).toHaveLength(1);
    expect(merged.rejected[0].id).toBe('sample-duplicate-timestamp');
  });

  it('rejects series the decoder flagged', () => {
    const s = raw([['__name__', 'm']]);
    s.error = { id: 'invalid-label-value', message: 'label value is not valid UTF-8' };
    expect(validate([s]).rejected[0].id).toBe('invalid-label-value');
  });
});
