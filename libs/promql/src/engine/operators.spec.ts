import { MemorySeriesReader } from '../testing/memory-series-reader';
import { samplesEvery } from '../testing/series-fixtures';
import { ORG, instantScalar, instantVector, s } from './test-support';

function data(): MemorySeriesReader {
  const r = new MemorySeriesReader();
  const add = (labels: Record<string, string>, v: number) =>
    r.add(ORG, labels, samplesEvery(0, s(10), [v]));
  add({ __name__: 'req', method: 'get', code: '200' }, 10);
  add({ __name__: 'req', method: 'get', code: '500' }, 2);
  add({ __name__: 'req', method: 'post', code: '200' }, 6);
  add({ __name__: 'lim', method: 'get' }, 5);
  add({ __name__: 'lim', method: 'post' }, 20);
  add({ __name__: 'info', method: 'get', owner: 'alice' }, 1);
  return r;
}

const vec = (expr: string) => instantVector(data(), expr, 5);

describe('arithmetic and comparison', () => {
  it('scalar-scalar follows Go float semantics', async () => {
    expect(await instantScalar(data(), '7 % 3 + 2 ^ 3 - 1 / 4', 5)).toBe(1 + 8 - 0.25);
    expect(await instantScalar(data(), '1 ^ NaN', 5)).toBe(1);
    expect(await instantScalar(data(), '-1 % 0', 5)).toBeNaN();
    expect(await instantScalar(data(), '3 > bool 2', 5)).toBe(1);
  });

  it('vector-scalar arithmetic drops the name; comparisons filter and keep it', async () => {
    expect(await vec('lim * 2')).toEqual([
      { labels: { method: 'get' }, value: 10 },
      { labels: { method: 'post' }, value: 40 },
    ]);
    expect(await vec('lim > 10')).toEqual([
      { labels: { __name__: 'lim', method: 'post' }, value: 20 },
    ]);
    expect(await vec('10 < lim')).toEqual([
      { labels: { __name__: 'lim', method: 'post' }, value: 20 },
    ]);
    expect(await vec('lim > bool 10')).toEqual([
      { labels: { method: 'get' }, value: 0 },
      { labels: { method: 'post' }, value: 1 },
    ]);
    expect(await vec('-lim')).toEqual([
      { labels: { method: 'get' }, value: -5 },
      { labels: { method: 'post' }, value: -20 },
    ]);
  });

  it("atan2 keeps the left side's name, as Prometheus 2.42 does (its arithmetic ops drop it)", async () => {
    expect(await vec('lim atan2 lim')).toEqual([
      { labels: { __name__: 'lim', method: 'get' }, value: Math.atan2(5, 5) },
      { labels: { __name__: 'lim', method: 'post' }, value: Math.atan2(20, 20) },
    ]);
    expect(await vec('lim atan2 0')).toEqual([
      { labels: { __name__: 'lim', method: 'get' }, value: Math.atan2(5, 0) },
      { labels: { __name__: 'lim', method: 'post' }, value: Math.atan2(20, 0) },
    ]);
  });
});

describe('vector matching', () => {
  it('matches one-to-one on all labels but the name', async () => {
    expect(await vec('lim - lim')).toHaveLength(2);
    expect(await vec('req{code="200"} - lim')).toEqual([]);
  });

  it('matches on() and ignoring(), keeping only the on labels', async () => {
    expect(await vec('req{code="200"} / on(method) lim')).toEqual([
      { labels: { method: 'get' }, value: 2 },
      { labels: { method: 'post' }, value: 0.3 },
    ]);
    expect(await vec('req{code="200"} / ignoring(code) lim')).toEqual([
      { labels: { method: 'get' }, value: 2 },
      { labels: { method: 'post' }, value: 0.3 },
    ]);
  });

  it('group_left keeps the many side labels and copies include labels from the one side', async () => {
    expect(await vec('req / on(method) group_left lim')).toEqual([
      { labels: { code: '200', method: 'get' }, value: 2 },
      { labels: { code: '200', method: 'post' }, value: 0.3 },
      { labels: { code: '500', method: 'get' }, value: 0.4 },
    ]);
    expect(await vec('req * on(method) group_left(owner) info')).toEqual([
      { labels: { code: '200', method: 'get', owner: 'alice' }, value: 10 },
      { labels: { code: '500', method: 'get', owner: 'alice' }, value: 2 },
    ]);
  });

  it('group_right mirrors group_left, still computing left op right', async () => {
    expect(await vec('lim / on(method) group_right req')).toEqual([
      { labels: { code: '200', method: 'get' }, value: 0.5 },
      { labels: { code: '200', method: 'post' }, value: 20 / 6 },
      { labels: { code: '500', method: 'get' }, value: 2.5 },
    ]);
  });

  it('comparisons between vectors filter on the left value', async () => {
    expect(await vec('req > on(method) group_left lim')).toEqual([
      { labels: { __name__: 'req', code: '200', method: 'get' }, value: 10 },
    ]);
    expect(await vec('req > bool on(method) group_left lim')).toEqual([
      { labels: { code: '200', method: 'get' }, value: 1 },
      { labels: { code: '200', method: 'post' }, value: 0 },
      { labels: { code: '500', method: 'get' }, value: 0 },
    ]);
  });

  it('rejects ambiguous matches the way Prometheus does', async () => {
    await expect(vec('req / on(method) lim')).rejects.toThrow(
      'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    );
    await expect(vec('lim / on(method) req')).rejects.toThrow(
      'found duplicate series for the match group {method="get"} on the right hand-side of the operation',
    );
    await expect(vec('req / on(method) group_left(code) req')).rejects.toMatchObject({
      errorType: 'execution',
    });
  });
});

describe('set operators', () => {
  it('and / or / unless by label signature', async () => {
    expect((await vec('req and on(method) (lim > 10)')).map((x) => x.labels)).toEqual([
      { __name__: 'req', code: '200', method: 'post' },
    ]);
    expect((await vec('req unless on(method) (lim > 10)')).map((x) => x.labels.method)).toEqual([
      'get',
      'get',
    ]);
    expect(await vec('lim or vector(1)')).toHaveLength(3);
    expect(await vec('lim or on(method) req')).toHaveLength(2);
    expect(await vec('req{code="500"} or ignoring(code) req')).toHaveLength(2);
  });
});

describe('aggregations', () => {
  it.each([
    ['sum(req)', [{ labels: {}, value: 18 }]],
    [
      'sum by (method) (req)',
      [
        { labels: { method: 'get' }, value: 12 },
        { labels: { method: 'post' }, value: 6 },
      ],
    ],
    [
      'sum without (code) (req)',
      [
        { labels: { method: 'get' }, value: 12 },
        { labels: { method: 'post' }, value: 6 },
      ],
    ],
    ['avg(req)', [{ labels: {}, value: 6 }]],
    ['min(req)', [{ labels: {}, value: 2 }]],
    [
      'max by (code) (req)',
      [
        { labels: { code: '200' }, value: 10 },
        { labels: { code: '500' }, value: 2 },
      ],
    ],
    ['count(req)', [{ labels: {}, value: 3 }]],
    [
      'group by (method) (req)',
      [
        { labels: { method: 'get' }, value: 1 },
        { labels: { method: 'post' }, value: 1 },
      ],
    ],
    ['stdvar(req)', [{ labels: {}, value: 32 / 3 }]],
    ['quantile(0.5, req)', [{ labels: {}, value: 6 }]],
    [
      'sum by (__name__) ({__name__=~"req|lim"})',
      [
        { labels: { __name__: 'lim' }, value: 25 },
        { labels: { __name__: 'req' }, value: 18 },
      ],
    ],
  ])('%s', async (expr, want) => {
    const got = await vec(expr);
    expect(got.map((x) => x.labels)).toEqual(want.map((x) => x.labels));
    got.forEach((x, i) => expect(x.value).toBeCloseTo(want[i].value, 12));
  });

  it('stddev', async () => {
    expect((await vec('stddev(req)'))[0].value).toBeCloseTo(Math.sqrt(32 / 3), 12);
  });

  it('topk/bottomk keep whole series, best first', async () => {
    const e = (await import('./test-support')).engineOver(data());
    expect(await e.instantQueryRaw(ORG, 'topk(2, req)', s(5))).toMatchObject({
      samples: [{ value: 10 }, { value: 6 }],
    });
    expect(await vec('bottomk by (method) (1, req)')).toEqual([
      { labels: { __name__: 'req', code: '200', method: 'post' }, value: 6 },
      { labels: { __name__: 'req', code: '500', method: 'get' }, value: 2 },
    ]);
    expect(await vec('topk(0, req)')).toEqual([]);
  });

  it('topk/bottomk fail on a k that does not fit an int64, input or not, as Prometheus does', async () => {
    await expect(vec('topk(NaN, req)')).rejects.toThrow('Scalar value NaN overflows int64');
    await expect(vec('bottomk(-Inf, nothing)')).rejects.toThrow(
      'Scalar value -Inf overflows int64',
    );
    await expect(vec('topk(1e19, req)')).rejects.toThrow('Scalar value 1e+19 overflows int64');
    expect(await vec('topk(-1e18, req)')).toEqual([]);
  });

  it('count_values labels by the value', async () => {
    expect(await vec('count_values("v", req > 5)')).toEqual([
      { labels: { v: '10' }, value: 1 },
      { labels: { v: '6' }, value: 1 },
    ]);
    await expect(vec('count_values("1x", req)')).rejects.toMatchObject({ errorType: 'execution' });
  });
});
