import { allocLogRow, LogGather } from './sample-log';

type Sample = [id: number, ts: number, value: number];

/** A log row as the writer packs it: sorted by series, a series' samples in the given order. */
function row(samples: Sample[]): Buffer {
  const sorted = samples.map((s, k) => ({ s, k })).sort((a, b) => a.s[0] - b.s[0] || a.k - b.k);
  const r = allocLogRow(sorted.length);
  const values = new Float64Array(r.words.buffer, r.words.byteOffset, sorted.length);
  sorted.forEach(({ s: [id, ts, v] }, i) => {
    r.ids[i] = id;
    r.ts[i] = ts;
    values[i] = v;
  });
  return r.data;
}

function gathered(g: LogGather): Record<number, Array<[number, number]>> {
  const out: Record<number, Array<[number, number]>> = {};
  for (const [id, r] of g.result()) out[id] = Array.from(r.timestamps, (t, i) => [t, r.values[i]]);
  return out;
}

describe('LogGather', () => {
  it('sorts each series by timestamp and keeps the first-logged value of a timestamp', () => {
    const g = new LogGather();
    g.add(
      row([
        [7, 2000, 1],
        [3, 1000, 10],
        [7, 1000, 2],
        [7, 2000, 99],
      ]),
    );
    g.add(
      row([
        [3, 1000, 11],
        [3, 500, 12],
        [7, 3000, 3],
      ]),
    );
    expect(gathered(g)).toEqual({
      3: [
        [500, 12],
        [1000, 10],
      ],
      7: [
        [1000, 2],
        [2000, 1],
        [3000, 3],
      ],
    });
    // Series in the order first met, as readers and the flusher received them before.
    expect([...g.result().keys()]).toEqual([3, 7]);
  });

  it('keeps only the wanted series and the time range', () => {
    const g = new LogGather([2, 5], 1000, 2000);
    g.add(
      row([
        [1, 1500, 1],
        [2, 999, 2],
        [2, 1000, 3],
        [5, 2000, 4],
        [5, 2001, 5],
        [9, 1500, 6],
      ]),
    );
    g.add(
      row([
        [2, 3000, 7],
        [4, 1500, 8],
      ]),
    );
    expect(gathered(g)).toEqual({ 2: [[1000, 3]], 5: [[2000, 4]] });
  });

  it("keeps a value's NaN payload (the staleness marker)", () => {
    const r = allocLogRow(1);
    r.ids[0] = 1;
    r.ts[0] = 1000;
    r.words[0] = 2;
    r.words[1] = 0x7ff00000;
    const g = new LogGather();
    g.add(r.data);
    const v = g.result().get(1)!.values;
    expect(Array.from(new Uint32Array(v.buffer, v.byteOffset, 2))).toEqual([2, 0x7ff00000]);
  });

  it('agrees with first-logged-wins sample by sample on random rows', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 20; round++) {
      const wanted = round % 2 ? [1, 3, 4, 8] : undefined;
      const [start, end] = round % 3 ? [200, 800] : [-Infinity, Infinity];
      const g = new LogGather(wanted, start, end);
      const expected = new Map<number, Map<number, number>>();
      for (let r = 0; r < 1 + rand(6); r++) {
        const samples: Sample[] = [];
        for (let k = 0; k < rand(40); k++) samples.push([rand(10), 10 * rand(100), rand(1000)]);
        g.add(row(samples));
        // The row's own order is by series, then as given.
        for (const [id, t, v] of [...samples].sort((a, b) => a[0] - b[0])) {
          if ((wanted && !wanted.includes(id)) || t < start || t > end) continue;
          const m = expected.get(id) ?? new Map<number, number>();
          expected.set(id, m);
          if (!m.has(t)) m.set(t, v);
        }
      }
      const want: Record<number, Array<[number, number]>> = {};
      for (const [id, m] of expected) want[id] = [...m].sort((a, b) => a[0] - b[0]);
      expect(gathered(g)).toEqual(want);
    }
  });
});
