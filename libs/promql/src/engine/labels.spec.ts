import type { Labels } from '@tocsin/tsdb';
import { compareLabels, sortByLabels } from './labels';

describe('sortByLabels', () => {
  it('orders as sorting with compareLabels does, ties kept in input order', () => {
    const sets: Labels[] = [
      { job: 'api', instance: 'b' },
      { instance: 'a', job: 'api' },
      { __name__: 'up', job: 'web' },
      { job: 'api' },
      {},
      { job: 'api', instance: 'b', le: '0.5' },
      { instance: 'a', job: 'api' },
      { zone: 'x' },
      { a: '' },
    ];
    const items = sets.map((labels, i) => ({ labels, i }));
    const expected = [...items].sort((x, y) => compareLabels(x.labels, y.labels));
    for (let round = 0; round < 20; round++) {
      const shuffled = [...items].sort(() => Math.random() - 0.5);
      const byCompare = [...shuffled].sort((x, y) => compareLabels(x.labels, y.labels));
      expect(sortByLabels([...shuffled])).toEqual(byCompare);
      expect(sortByLabels([...shuffled]).map((x) => x.labels)).toEqual(
        expected.map((x) => x.labels),
      );
    }
  });

  it('sorts the array it is given', () => {
    const items: { labels: Labels }[] = [{ labels: { b: '1' } }, { labels: { a: '1' } }];
    const out = sortByLabels(items);
    expect(out).toBe(items);
    expect(items.map((x) => Object.keys(x.labels)[0])).toEqual(['a', 'b']);
  });
});
