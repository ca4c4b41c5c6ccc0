import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, type Pool, type PoolClient } from 'pg';
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

/** The client, recording the text of every statement it runs. */
function countingClient(c: PoolClient, statements: string[]): PoolClient {
  return new Proxy(c, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv);
      if (prop !== 'query') return typeof v === 'function' ? v.bind(target) : v;
      return (sql: string | { text: string }, ...rest: unknown[]) => {
        statements.push(typeof sql === 'string' ? sql : sql.text);
        return (v as (...a: unknown[]) => unknown).call(target, sql, ...rest);
      };
    },
  });
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
      'cpu{host!~"a.*"}',
      'cpu{env=~""}',
      'cpu{env!~""}',
      'cpu{env=~"pro.+|"}',
      'cpu{host=~"z.*"}',
      '{__name__=~"cpu|mem", host=~"[aA]"}',
      'max_over_time(cpu{env=~"d.v|prod", host!="b"}[30m])',
      'cpu{host=~".+", env!~".*"}',
      'cpu{host=~"a|b"}',
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
    const statements: string[] = [];
    await withOrgClient(pool, orgId, (c) =>
      reader.prefetch(countingClient(c, statements), orgId, requests),
    );
    expect(calls).toEqual([]);
    // One series look-up per range start (5, 10 and 30 minutes back), one statement for all
    // the regexes, under one savepoint.
    const kinds = statements.map((q) => q.split(/\s+/).slice(0, 3).join(' '));
    expect(kinds.filter((k) => k === 'SELECT s.id, s.metric,')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'SELECT p.i FROM')).toHaveLength(1);
    expect(kinds.filter((k) => k.startsWith('SAVEPOINT'))).toHaveLength(1);
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
    // cpu[10m]: a, b; mem; cpu[30m]: a, b, c; disk is out of the lookback; regex: a, b; none;
    // host!~"a.*": b; env=~"": b; env!~"": a; "pro.+|": a, b; z.*: none; [aA]: cpu and mem
    // of a; d.v|prod without b over 30 m: a, c; env!~".*": none.
    expect(sizes).toEqual([2, 1, 1, 1, 2, 1, 3, 0, 2, 0, 2, 1, 1, 1, 2, 0, 2, 2, 0, 2]);
    // Never another organization's series (same names, value 99).
    for (const r of requests)
      for (const s of await reader.select(orgId, r.matchers, r.hints))
        expect([...s.values]).not.toContain(99);
    expect(calls).toEqual([]);
    expect(reader.hits).toBe(3 * requests.length);
  });

  it('leaves a regex PostgreSQL rejects or the translator refuses to the base reader, prefetching the rest', async () => {
    const hints: SelectHints = { start: at - 5 * M, end: at };
    const cpu: LabelMatcher = { name: '__name__', op: '=', value: 'cpu' };
    // RE2 allows repetition counts up to 1000, PostgreSQL up to 255: translated, then refused.
    const rejected = [cpu, { name: 'host', op: '=~', value: 'a{300}' } as LabelMatcher];
    // Lookahead: the translator refuses it (RE2 has none).
    const refused = [cpu, { name: 'host', op: '=~', value: '(?=a)a' } as LabelMatcher];
    const fine = [cpu, { name: 'host', op: '!~', value: 'b' } as LabelMatcher];
    const plain = [cpu];
    const reader = new PrefetchedReader(base);
    const statements: string[] = [];
    await withOrgClient(pool, orgId, async (c) => {
      await reader.prefetch(
        countingClient(c, statements),
        orgId,
        [rejected, refused, fine, plain].map((matchers) => ({ matchers, hints })),
      );
      // The group's transaction is still usable.
      expect((await c.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    });
    expect(statements[0]).toMatch(/^SAVEPOINT/);
    expect(statements).toContain('ROLLBACK TO SAVEPOINT prefetch_regex');
    expect(observable(await reader.select(orgId, plain, hints))).toEqual(
      observable(await base.select(orgId, plain, hints)),
    );
    expect(reader.hits).toBe(1);
    // The regex ones fail or answer exactly as the base reader does, through it.
    await expect(reader.select(orgId, rejected, hints)).rejects.toThrow(/invalid regex/);
    await expect(reader.select(orgId, refused, hints)).rejects.toThrow(/regex/);
    expect(observable(await reader.select(orgId, fine, hints))).toEqual(
      observable(await base.select(orgId, fine, hints)),
    );
    expect(reader.hits).toBe(1);
  });

  it('reads a group of regex selectors in the same number of statements whatever its size', async () => {
    const count = async (n: number) => {
      const requests = Array.from({ length: n }, (_, i) =>
        instantSelects(parsePromQL(`cpu{host=~"a|b${i}.*", env!~"x${i}|y"} > ${i}`), at),
      ).flat();
      const reader = new PrefetchedReader(base);
      const statements: string[] = [];
      await withOrgClient(pool, orgId, (c) =>
        reader.prefetch(countingClient(c, statements), orgId, requests),
      );
      for (const r of requests)
        expect(observable(await reader.select(orgId, r.matchers, r.hints))).toEqual(
          observable(await base.select(orgId, r.matchers, r.hints)),
        );
      expect(reader.hits).toBe(n);
      return statements.length;
    };
    const small = await count(2);
    // Savepoint, series, regex verdicts, samples (every store in one COPY), release.
    expect(small).toBe(5);
    expect(await count(50)).toBe(small);
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
