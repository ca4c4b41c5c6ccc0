import { createEngine, type PromQLEngine, type QueryResult } from '../engine/engine';
import { MemorySeriesReader } from '../testing/memory-series-reader';
import { lateWriteBumps, MemoryCacheGenerations, type BackfillGenerations } from './generations';
import { QueryResultsCache } from './results-cache';

/** Generations whose Redis round trips the test finishes by hand. */
function manualGenerations() {
  const sent: Array<{ orgId: string; backfill: boolean; finish: (err?: Error) => void }> = [];
  const round = (orgId: string, backfill: boolean) =>
    new Promise<void>((resolve, reject) =>
      sent.push({ orgId, backfill, finish: (err) => (err ? reject(err) : resolve()) }),
    );
  const generations: BackfillGenerations = {
    current: async () => '0',
    bump: (orgId) => round(orgId, false),
    bumpBackfilling: (orgId) => round(orgId, true),
  };
  return { sent, generations };
}

const tick = () => new Promise((r) => setImmediate(r));
const TTL = 15_000;
const REUSE = 5_000;

describe('lateWriteBumps', () => {
  function setup() {
    const { sent, generations } = manualGenerations();
    let clock = 1_000;
    const onLateWrite = lateWriteBumps(generations, {
      ttlMs: TTL,
      reuseMs: REUSE,
      now: () => clock,
    });
    return { sent, onLateWrite, advance: (ms: number) => (clock += ms) };
  }

  it('gives a lone late write a plain bump of its own, each time', async () => {
    const { sent, onLateWrite, advance } = setup();
    let done = false;
    void onLateWrite('org').then(() => (done = true));
    expect(sent.map((s) => s.backfill)).toEqual([false]);
    await tick();
    expect(done).toBe(false);
    sent[0].finish();
    await tick();
    expect(done).toBe(true);
    advance(10);
    void onLateWrite('org');
    expect(sent.map((s) => s.backfill)).toEqual([false, false]);
  });

  it('marks a backfill when late writes overlap, and lets the writes after it share the mark', async () => {
    const { sent, onLateWrite, advance } = setup();
    const done: string[] = [];
    void onLateWrite('org').then(() => done.push('a'));
    // b committed while a's plain bump was out: that bump cannot cover it.
    void onLateWrite('org').then(() => done.push('b'));
    expect(sent.map((s) => s.backfill)).toEqual([false, true]);
    // c joins the backfill bump in flight (sent less than the reuse window ago).
    advance(100);
    void onLateWrite('org').then(() => done.push('c'));
    expect(sent).toHaveLength(2);
    sent[0].finish();
    await tick();
    expect(done).toEqual(['a']);
    sent[1].finish();
    await tick();
    expect(done).toEqual(['a', 'b', 'c']);
    // Within the reuse window a late write waits for nothing more.
    advance(REUSE - 100);
    await onLateWrite('org');
    expect(sent).toHaveLength(2);
    // Past it, while the mark lives, the backfill renews its mark (and bumps again).
    advance(1);
    void onLateWrite('org').then(() => done.push('d'));
    expect(sent.map((s) => s.backfill)).toEqual([false, true, true]);
    await tick();
    expect(done).not.toContain('d');
    sent[2].finish();
    await tick();
    expect(done).toContain('d');
    // Once the mark may be gone, a late write is a lone one again.
    advance(TTL + 1);
    void onLateWrite('org');
    expect(sent.map((s) => s.backfill)).toEqual([false, true, true, false]);
  });

  it('keeps organizations apart and forgets a failed bump after failing its writes', async () => {
    const { sent, onLateWrite } = setup();
    const a1 = onLateWrite('a');
    const a2 = onLateWrite('a');
    const b = onLateWrite('b');
    expect(sent.map((s) => [s.orgId, s.backfill])).toEqual([
      ['a', false],
      ['a', true],
      ['b', false],
    ]);
    const a3 = onLateWrite('a');
    sent[0].finish();
    sent[1].finish(new Error('redis down'));
    await expect(a1).resolves.toBeUndefined();
    await expect(a2).rejects.toThrow('redis down');
    await expect(a3).rejects.toThrow('redis down');
    await tick();
    // The failed mark covers nothing: the next late write bumps afresh.
    void onLateWrite('a');
    expect(sent.map((s) => [s.orgId, s.backfill])).toEqual([
      ['a', false],
      ['a', true],
      ['b', false],
      ['a', false],
    ]);
    sent[2].finish();
    await expect(b).resolves.toBeUndefined();
  });
});

describe('the results cache during a backfill', () => {
  const MIN = 60_000;
  const ORG = 'org';
  const T0 = 1_700_000_000_000 - (1_700_000_000_000 % (60 * MIN));
  const Q = 'sum(m)';
  const total = (res: QueryResult) =>
    res.resultType === 'matrix' ? res.series[0].values.reduce((a, b) => a + b, 0) : NaN;

  it('never serves an answer that misses a late write acknowledged on the mark alone', async () => {
    // Six hours of one sample a minute, value 1; the late samples are 10 each, in a new series.
    const reader = new MemorySeriesReader();
    reader.add(
      ORG,
      { __name__: 'm', s: 'a' },
      Array.from({ length: 360 }, (_, i) => ({ t: T0 + i * MIN, v: 1 })),
    );
    const engine = createEngine({ reader });
    let clock = T0 + 24 * 60 * MIN;
    const memory = new MemoryCacheGenerations(() => clock);
    let bumps = 0;
    const generations: BackfillGenerations = {
      current: (orgId) => memory.current(orgId),
      bump: (orgId) => (bumps++, memory.bump(orgId)),
      bumpBackfilling: (orgId, ttlMs) => (bumps++, memory.bumpBackfilling(orgId, ttlMs)),
    };
    // A query whose evaluation the test holds: it read the generation (unmarked) and its data
    // before the late writes, and stores its answer only after they were acknowledged.
    let hold: Promise<void> | undefined;
    const held: PromQLEngine = {
      ...engine,
      rangeQueryRaw: async (...args) => {
        const res = await engine.rangeQueryRaw(...args);
        await hold;
        return res;
      },
    };
    const cache = new QueryResultsCache({
      engine: held,
      generations,
      maxBytes: 16 << 20,
      maxBytesPerOrg: 16 << 20,
      freshnessMs: 10 * MIN,
      splitIntervalMs: 60 * MIN,
      now: () => clock,
    });
    const onLateWrite = lateWriteBumps(generations, {
      ttlMs: TTL,
      reuseMs: REUSE,
      now: () => clock,
    });
    const range = [T0, T0 + 3 * 60 * MIN, MIN] as const;
    const ask = () => cache.rangeQueryRaw(ORG, Q, ...range);

    let release!: () => void;
    hold = new Promise((r) => (release = r));
    const early = ask();
    await tick();
    hold = undefined;

    const late = reader.add.bind(reader, ORG, { __name__: 'm', s: 'late' });
    // Two overlapping late writes: a plain bump, then a backfill bump that marks the org.
    late([{ t: T0 + 30 * MIN, v: 10 }]);
    const w1 = onLateWrite(ORG);
    late([{ t: T0 + 60 * MIN, v: 10 }]);
    const w2 = onLateWrite(ORG);
    await Promise.all([w1, w2]);
    // Another held query, asked while the mark lives; its data are read before the third write.
    let release2!: () => void;
    hold = new Promise((r) => (release2 = r));
    const marked = ask();
    await tick();
    hold = undefined;
    // The third, acknowledged on the mark without a bump of its own.
    clock += 1_000;
    late([{ t: T0 + 90 * MIN, v: 10 }]);
    expect(bumps).toBe(2);
    await onLateWrite(ORG);
    expect(bumps).toBe(2);

    // The held queries now store (if they may) what they computed before the late writes.
    release();
    release2();
    expect((await early).stats.status).toBe('miss');
    expect((await marked).stats.status).toBe('bypass');
    const truth = total(await engine.rangeQueryRaw(ORG, Q, ...range));
    expect(truth).toBeGreaterThan(total((await marked).result));
    expect(total((await marked).result)).toBeGreaterThan(total((await early).result));

    // While the mark lives: not served, not stored.
    const during = await ask();
    expect(during.stats.status).toBe('bypass');
    expect(total(during.result)).toBe(truth);
    // After it: the generation has moved since the held query's, so a fresh answer, then cached.
    clock += TTL;
    const after = await ask();
    expect(after.stats.status).toBe('miss');
    expect(total(after.result)).toBe(truth);
    expect((await ask()).stats.status).toBe('hit');
  });
});
