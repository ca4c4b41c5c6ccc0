import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, type Pool } from 'pg';
import { DbModule, PG_POOL, withOrgClient } from '@tocsin/db';
import { parsePromQL } from '@tocsin/promql';
import { PgSeriesReader, TsdbWriter, type LabelMatcher, type SelectHints } from '@tocsin/tsdb';
import { instantSelects, PrefetchedReader } from './group-reader';

@Module({ imports: [DbModule] })
class TestModule {}

const M = 60_000;

/** Values as plain arrays, NaN payloads as bit patterns: what a caller of `select` can observe. */
function observable(series: { labels: object; timestamps: Float64Array; values: Float64Array }[]) {
  return series.map((s) => ({
    labels: s.labels,
    timestamps: [...s.timestamps],
    bits: [...new Uint32Array(s.values.buffer, s.values.byteOffset, s.values.length * 2)],
  }));
}

// The group's prefetch on real PostgreSQL (app role, RLS): every select and series look-up it
// answers must be exactly what PgSeriesReader answers for the same arguments.
describe('PrefetchedReader', () => {
  let app: INestApplicationContext;
  let owner: Client;
  let pool: Pool;
  let base: PgSeriesReader;
  const orgId = randomUUID();
  const other = randomUUID();
  const at = Math.floor((Date.now() - 10 * M) / M) * M;

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    for (const id of [orgId, other])
      await owner.query('insert into organizations (id, slug, name) values ($1, $2, $3)', [
        id,
        `gr-${id.slice(0, 8)}`,
        'group reader int',
      ]);
    app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    pool = app.get<Pool>(PG_POOL);
    base = new PgSeriesReader(pool);
    const writer = new TsdbWriter(pool);
    const rows: { labels: Record<string, string>; t: number[]; v: number[] }[] = [
      { labels: { __name__: 'cpu', host: 'a', env: 'prod' }, t: [at - 2 * M, at - M], v: [1, 2] },
      { labels: { __name__: 'cpu', host: 'b' }, t: [at - 3 * M], v: [3] },
      { labels: { __name__: 'cpu', host: 'c', env: 'dev' }, t: [at - 20 * M], v: [4] },
      { labels: { __name__: 'mem', host: 'a' }, t: [at - 30_000, at], v: [5, 6] },
      { labels: { __name__: 'disk', host: 'a' }, t: [at - 50 * M], v: [7] },
    ];
    await writer.write(
      orgId,
      rows.map((r) => ({ labels: r.labels, timestamps: r.t, values: r.v })),
    );
    // Same names in another organization: never visible to orgId's reads.
    await writer.write(other, [
      { labels: { __name__: 'cpu', host: 'a', env: 'prod' }, timestamps: [at - M], values: [99] },
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.end();
  });

  it('answers the selects of several rules as PgSeriesReader does, reading shared selects once', async () => {
    const exprs = [
      'cpu > 1',
      'cpu{env="prod"} > 0',
      'cpu{env!="prod"}',
      'cpu{env=""}',
      'rate(cpu[10m]) + on(host) group_left mem',
      'max_over_time(cpu[30m])',
      'absent(disk)',
      'cpu{host=~"a|b"}',
      'nothing_here > 0',
      'cpu > 1',
    ];
    const requests = exprs.flatMap((e) => instantSelects(parsePromQL(e), at));
    const calls: string[] = [];
    const counting = new Proxy(base, {
      get(target, prop, recv) {
        const v = Reflect.get(target, prop, recv);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          calls.push(String(prop));
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const reader = new PrefetchedReader(counting);
    await withOrgClient(pool, orgId, (c) => reader.prefetch(c, orgId, requests));
    expect(calls).toEqual([]);
    const sizes: number[] = [];
    for (const r of requests) {
      const got = observable(await reader.select(orgId, r.matchers, r.hints));
      sizes.push(got.length);
      expect(got).toEqual(observable(await base.select(orgId, r.matchers, r.hints)));
      expect(await reader.series(orgId, [r.matchers], r.hints.start, r.hints.end)).toEqual(
        await base.series(orgId, [r.matchers], r.hints.start, r.hints.end),
      );
    }
    // cpu: a and b (c is out of the lookback); env="prod": a; env!="prod" and env="": b;
    // cpu[10m]: a, b; mem; cpu[30m]: a, b, c; disk is out of the lookback; regex: a, b; none.
    expect(sizes).toEqual([2, 1, 1, 1, 2, 1, 3, 0, 2, 0, 2]);
    // Only the regex selector went to the base reader (once for select, once for series).
    expect(calls).toEqual(['select', 'series']);
    expect(reader.hits).toBe(2 * (requests.length - 1));
  });

  it('passes anything it did not prefetch to the base reader', async () => {
    const reader = new PrefetchedReader(base);
    const matchers: LabelMatcher[] = [{ name: '__name__', op: '=', value: 'mem' }];
    const hints: SelectHints = { start: at - 5 * M, end: at };
    expect(observable(await reader.select(orgId, matchers, hints))).toHaveLength(1);
    expect(reader.hits).toBe(0);
    expect(await reader.labelValues(orgId, 'host', [matchers], at - 5 * M, at)).toEqual(['a']);
  });
});
