import { decodeChunk, encodeChunk } from '../codec/chunk-codec';
import { setStaleNaNAt } from '../model';
import { BLOCK_MS, DAY_MS } from '../tsdb.types';
import { dayRowChunks, type Piece } from './day-chunks';

const DAY = 20_000 * DAY_MS;

/** Samples as 2 h chunks, one per block that has any (the compactor's sealed chunks). */
function blockChunks(ts: number[], values: Float64Array): Piece[] {
  const out: Piece[] = [];
  for (let a = 0; a < ts.length;) {
    let b = a;
    const end = ts[a] - (ts[a] % BLOCK_MS) + BLOCK_MS;
    while (b < ts.length && ts[b] < end) b++;
    out.push({
      min: ts[a],
      max: ts[b - 1],
      data: encodeChunk(Float64Array.from(ts.slice(a, b)), values.slice(a, b)),
    });
    a = b;
  }
  return out;
}

/** A counter growing by 0..16 per sample. */
function counter(n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = i === 0 ? 7 : v[i - 1] + ((i * 7919) % 17);
  return v;
}

function scrape(from: number, to: number, every: number): number[] {
  const out: number[] = [];
  for (let t = from; t < to; t += every) out.push(t);
  return out;
}

/** The pieces' samples: timestamps and value bits, and the chunks' bounds. */
function contents(pieces: Piece[]): { ts: number[]; bits: string[]; bounds: number[][] } {
  const ts: number[] = [];
  const bits: string[] = [];
  for (const p of pieces) {
    const d = decodeChunk(p.data);
    expect([d.timestamps[0], d.timestamps[d.timestamps.length - 1]]).toEqual([p.min, p.max]);
    const w = new Uint32Array(d.values.buffer);
    ts.push(...d.timestamps);
    for (let i = 0; i < d.values.length; i++) bits.push(`${w[2 * i + 1]}:${w[2 * i]}`);
  }
  return { ts, bits, bounds: pieces.map((p) => [p.min - DAY, p.max - DAY]) };
}

function expectSamples(pieces: Piece[], ts: number[], values: Float64Array): void {
  const c = contents(pieces);
  expect(c.ts).toEqual(ts);
  expect(c.bits).toEqual(contents(blockChunks(ts, values)).bits);
}

describe('day row layout', () => {
  it('makes a regular day one chunk, smaller than its twelve blocks', () => {
    const ts = scrape(DAY, DAY + DAY_MS, 30_000);
    const values = counter(ts.length);
    const blocks = blockChunks(ts, values);
    expect(blocks).toHaveLength(12);
    const day = dayRowChunks([], blocks);
    expect(contents(day).bounds).toEqual([[0, DAY_MS - 30_000]]);
    expectSamples(day, ts, values);
    const bytes = (ps: Piece[]) => ps.reduce((n, p) => n + 20 + p.data.length, 0);
    expect(bytes(day)).toBeLessThan(bytes(blocks));
  });

  it('starts a new chunk at a gap, a jitter, a changed interval and a stale marker', () => {
    // Blocks 0–2 at 30 s; block 3 missing (a gap); 4–5 at 30 s; 6–7 at 15 s; block 8 with one
    // sample 1 ms late; 9–11 at 15 s, a stale marker in block 10.
    const ts = [
      ...scrape(DAY, DAY + 3 * BLOCK_MS, 30_000),
      ...scrape(DAY + 4 * BLOCK_MS, DAY + 6 * BLOCK_MS, 30_000),
      ...scrape(DAY + 6 * BLOCK_MS, DAY + DAY_MS, 15_000),
    ];
    const jitter = ts.indexOf(DAY + 8 * BLOCK_MS + 60_000);
    ts[jitter] += 1;
    const values = counter(ts.length);
    setStaleNaNAt(values, ts.indexOf(DAY + 10 * BLOCK_MS + 15_000));
    const blocks = blockChunks(ts, values);
    const day = dayRowChunks([], blocks);
    const last = (b: number, every: number) => (b + 1) * BLOCK_MS - every;
    expect(contents(day).bounds).toEqual([
      [0, last(2, 30_000)],
      [4 * BLOCK_MS, last(5, 30_000)],
      [6 * BLOCK_MS, last(7, 15_000)],
      [8 * BLOCK_MS, last(8, 15_000)],
      [9 * BLOCK_MS, last(9, 15_000)],
      [10 * BLOCK_MS, last(10, 15_000)],
      [11 * BLOCK_MS, last(11, 15_000)],
    ]);
    expectSamples(day, ts, values);
    // A block kept as it was is the stored chunk itself, not encoded again.
    expect(day[3]).toBe(blocks[7]);
  });

  it('keeps blocks apart whose one chunk the reader would decode whole', () => {
    // Values that are no short decimals: Gorilla-coded, never read sparsely.
    const ts = scrape(DAY, DAY + 3 * BLOCK_MS, 60_000);
    const values = Float64Array.from(ts, (_, i) => Math.sqrt(i + 2));
    const blocks = blockChunks(ts, values);
    expect(dayRowChunks([], blocks)).toEqual(blocks);
  });

  it('joins the blocks of a run that suit each other where the whole run would not pay', () => {
    // A gauge in steps of 4,096 bytes until noon, then of single bytes: one chunk would take
    // the morning's increments at the afternoon's divisor, twelve bits wider each.
    const ts = scrape(DAY, DAY + DAY_MS, 30_000);
    const values = new Float64Array(ts.length);
    for (let i = 1; i < ts.length; i++)
      values[i] = values[i - 1] + (ts[i] < DAY + DAY_MS / 2 ? 4096 : 1) * ((i * 7919) % 13);
    const blocks = blockChunks(ts, values);
    const day = dayRowChunks([], blocks);
    expect(contents(day).bounds).toEqual([
      [0, DAY_MS / 2 - 30_000],
      [DAY_MS / 2, DAY_MS - 30_000],
    ]);
    expectSamples(day, ts, values);
    const whole = encodeChunk(Float64Array.from(ts), values);
    expect(day[0].data.length + day[1].data.length).toBeLessThan(whole.length);
  });

  it('keeps raw-coded blocks apart where their one chunk would be running sums', () => {
    // A temperature: noise around a level that drifts over the day. Each block is cheapest as
    // raw values (read at any index); the day is cheapest as deltas (read by summing from the
    // start), which would make an instant selector's one sample per step cost a sum over the day.
    const ts = scrape(DAY, DAY + DAY_MS, 30_000);
    const noise = (i: number) => Math.imul(i, 2654435761) >>> 24;
    const values = Float64Array.from(
      ts,
      (_, i) => 5000 + Math.round(300 * Math.sin(i / 400)) + noise(i),
    );
    const blocks = blockChunks(ts, values);
    const whole = encodeChunk(Float64Array.from(ts), values);
    // Fewer bytes as one: the size rule alone would join the day.
    expect(whole.length + 20).toBeLessThan(blocks.reduce((n, p) => n + 20 + p.data.length, 0));
    const day = dayRowChunks([], blocks);
    expect(day.length).toBeGreaterThan(1);
    expectSamples(day, ts, values);
  });

  it('folds a late chunk into a day row as a first merge of the same samples would, the stored sample winning', () => {
    // The day row has a gap (block 5 is missing); a late chunk fills it on the scrape's grid
    // and re-sends one stored timestamp with another value.
    const full = scrape(DAY, DAY + DAY_MS, 30_000);
    const values = counter(full.length);
    const inGap = (t: number) => t >= DAY + 5 * BLOCK_MS && t < DAY + 6 * BLOCK_MS;
    const kept = full.map((_, i) => i).filter((i) => !inGap(full[i]));
    const stored = dayRowChunks(
      [],
      blockChunks(
        kept.map((i) => full[i]),
        Float64Array.from(kept, (i) => values[i]),
      ),
    );
    expect(stored).toHaveLength(2);
    const gap = full.map((_, i) => i).filter((i) => inGap(full[i]));
    const resent = gap[0] - 1;
    const lateTs = [full[resent], ...gap.map((i) => full[i])];
    const lateValues = Float64Array.from([values[resent] + 0.5, ...gap.map((i) => values[i])]);
    const late = [
      {
        min: lateTs[0],
        max: lateTs[lateTs.length - 1],
        data: encodeChunk(Float64Array.from(lateTs), lateValues),
      },
    ];
    const folded = dayRowChunks(stored, late);
    expect(folded).toEqual(dayRowChunks([], blockChunks(full, values)));
    expect(contents(folded).bounds).toEqual([[0, DAY_MS - 30_000]]);
    expectSamples(folded, full, values);
  });

  it('reads a day row of the earlier layout, one chunk per block, and lays it out anew', () => {
    const ts = scrape(DAY + 3 * BLOCK_MS + 45_000, DAY + DAY_MS, 30_000);
    const values = counter(ts.length);
    const blocks = blockChunks(ts, values);
    const day = dayRowChunks(blocks, []);
    expect(contents(day).bounds).toEqual([[3 * BLOCK_MS + 45_000, DAY_MS - 15_000]]);
    expectSamples(day, ts, values);
  });
});
