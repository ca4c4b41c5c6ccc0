import { isStaleNaNAt } from '@tocsin/tsdb';
import { MemorySeriesReader } from './memory-series-reader';
import { samplesEvery } from './series-fixtures';

describe('MemorySeriesReader', () => {
  const reader = () =>
    new MemorySeriesReader()
      .add('a', { __name__: 'up', job: 'x' }, samplesEvery(0, 1000, [1, 'stale', 3]))
      .add('a', { __name__: 'up', job: 'y', env: 'prod' }, samplesEvery(0, 1000, [5]))
      .add('b', { __name__: 'up', job: 'x' }, samplesEvery(0, 1000, [9]));

  it('selects by matchers and time range, keeping staleness markers', async () => {
    const [s] = await reader().select('a', [{ name: 'job', op: '=', value: 'x' }], {
      start: 500,
      end: 2000,
    });
    expect(Array.from(s.timestamps)).toEqual([1000, 2000]);
    expect(isStaleNaNAt(s.values, 0)).toBe(true);
    expect(s.values[1]).toBe(3);
  });

  it('treats a missing label as empty and anchors regexes', async () => {
    const r = reader();
    expect(
      await r.select('a', [{ name: 'env', op: '=', value: '' }], { start: 0, end: 9 }),
    ).toHaveLength(1);
    expect(
      await r.select('a', [{ name: 'job', op: '=~', value: 'x|y' }], { start: 0, end: 9 }),
    ).toHaveLength(2);
    expect(
      await r.select('a', [{ name: 'job', op: '=~', value: 'x.' }], { start: 0, end: 9 }),
    ).toHaveLength(0);
  });

  it('keeps organizations apart in every read', async () => {
    const r = reader();
    expect(await r.series('b', [], 0, 9999)).toEqual([{ __name__: 'up', job: 'x' }]);
    expect(await r.labelNames('b', [], 0, 9999)).toEqual(['__name__', 'job']);
    expect(await r.labelValues('a', 'job', [], 0, 9999)).toEqual(['x', 'y']);
    expect(await r.labelValues('c', 'job', [], 0, 9999)).toEqual([]);
  });

  it('refuses out-of-order samples', () => {
    expect(() => reader().add('a', { __name__: 'up', job: 'x' }, [{ t: 0, v: 1 }])).toThrow(
      'out-of-order',
    );
  });
});
