import type { Labels } from '../model';
import { TsdbInputError } from '../tsdb.errors';
import { canonicalLabels, labelsHash, splitLabels } from './labels';

describe('canonicalLabels', () => {
  it('answers the same for a frozen (memoised) labels object, every time, and still refuses bad ones', () => {
    const frozen = Object.freeze({ __name__: 'm', b: '2', a: '1' });
    const first = canonicalLabels(frozen);
    expect(first).toBe(canonicalLabels({ __name__: 'm', a: '1', b: '2' }));
    expect(canonicalLabels(frozen)).toBe(first);
    const bad = Object.freeze({ __name__: 'm', 'bad-name': 'x' });
    expect(() => canonicalLabels(bad)).toThrow(/invalid label name/);
    expect(() => canonicalLabels(bad)).toThrow(/invalid label name/);
  });

  it('ignores label order and empty values', () => {
    expect(canonicalLabels({ b: '2', __name__: 'm', a: '1', c: '' })).toBe(
      canonicalLabels({ __name__: 'm', a: '1', b: '2' }),
    );
  });

  it('never lets a value that looks like more labels collide with real ones', () => {
    const sets: Labels[] = [
      { __name__: 'm', a: '1', b: '2' },
      { __name__: 'm', a: '1b=1:2' },
      { __name__: 'm', a: '1\u00feb\u00ff2' },
      { __name__: 'm', a: '1,b=2' },
      { __name__: 'm', a: '1:b=1:2' },
    ];
    const keys = new Set(sets.map((s) => labelsHash(canonicalLabels(s)).toString('hex')));
    expect(keys.size).toBe(sets.length);
  });

  it('refuses a missing name, bad label names and non-string values', () => {
    expect(() => canonicalLabels({ job: 'x' })).toThrow(TsdbInputError);
    expect(() => canonicalLabels({ __name__: 'm', '1a': 'x' })).toThrow(TsdbInputError);
    expect(() => canonicalLabels({ __name__: 'm', a: 1 as unknown as string })).toThrow(
      TsdbInputError,
    );
  });

  it('splits the metric name from the stored labels', () => {
    expect(splitLabels({ __name__: 'm', b: '2', a: '1', e: '' })).toEqual({
      metric: 'm',
      rest: { a: '1', b: '2' },
    });
  });
});
