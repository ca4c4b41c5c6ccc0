import { alignSeries, yRange } from './chart-data';

describe('alignSeries', () => {
  it('puts every series on one sorted time axis in seconds, a missing sample a gap', () => {
    const labels = { __name__: 'x' };
    expect(
      alignSeries([
        { labels, timestamps: [2000, 1000], values: [2, 1] },
        { labels, timestamps: [3000, 2000], values: [null, 5] },
      ]),
    ).toEqual([
      [1, 2, 3],
      [1, 2, null],
      [null, 5, null],
    ]);
  });
});

describe('yRange', () => {
  it('takes in threshold lines above the data, with headroom', () => {
    expect(yRange(10, 20, [50])).toEqual([10, 52]);
  });
  it('opens a flat or empty range so the line is visible', () => {
    expect(yRange(5, 5, [])).toEqual([4.5, 5.55]);
    expect(yRange(null, null, [])).toEqual([0, 1.05]);
  });
});
