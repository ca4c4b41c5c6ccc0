import { releaseSamples, SampleArena } from './sample-pool';

/** Whether two arrays share any byte of memory. */
function overlap(a: Float64Array, b: Float64Array): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

describe('SampleArena and releaseSamples', () => {
  it('hands out disjoint arrays within one select, and a released block to the next', () => {
    const arena = new SampleArena();
    const taken = [3, 20_000, 40_000, 1, 30_000].map((n) => arena.take(n));
    for (let i = 0; i < taken.length; i++)
      for (let j = i + 1; j < taken.length; j++) expect(overlap(taken[i], taken[j])).toBe(false);
    const series = [
      { timestamps: taken[0], values: taken[1] },
      { timestamps: taken[2], values: taken[3] },
    ];
    const buffers = new Set(taken.map((a) => a.buffer));
    // Twice: a second release must not list a block twice, or two selects would share it.
    releaseSamples(series);
    releaseSamples(series);
    const next = [new SampleArena(), new SampleArena()].map((a) => a.take(60_000));
    expect(buffers.has(next[0].buffer)).toBe(true);
    expect(next[0].buffer).not.toBe(next[1].buffer);
  });

  it('ignores arrays it did not make, and never pools an array larger than a block', () => {
    const own = { timestamps: new Float64Array(4), values: new Float64Array(4) };
    const large = new SampleArena().take(1 << 17);
    releaseSamples([own, { timestamps: large, values: large }]);
    const taken = new SampleArena().take(4);
    expect(taken.buffer).not.toBe(own.timestamps.buffer);
    expect(taken.buffer).not.toBe(own.values.buffer);
    expect(taken.buffer).not.toBe(large.buffer);
  });
});
