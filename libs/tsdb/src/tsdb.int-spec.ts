import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createPgPool, withOrgClient } from '@tocsin/db';
import { claimDirty, releaseDirty } from './jobs/dirty-markers';
import { decodeRollupBuckets } from './codec/rollup-codec';
import {
  BLOCK_MS,
  ChunkCodecError,
  Compactor,
  DAY_MS,
  HOUR_MS,
  isStaleNaNAt,
  LogFlusher,
  MINUTE_MS,
  PartitionManager,
  PgSeriesReader,
  RetentionService,
  RollupService,
  SeriesLimitsService,
  setStaleNaNAt,
  TsdbInputError,
  TsdbWriter,
  type Labels,
  type SampleSeries,
} from './index';

// Everything here runs as the app role (RLS on, not the owner); the owner client only creates
// organizations and inspects what the app role cannot see.
describe('tsdb on PostgreSQL', () => {
  let owner: Client;
  let pool: Pool;
  let writer: TsdbWriter;
  let reader: PgSeriesReader;

  async function newOrg(settings: Record<string, number> = {}): Promise<string> {
    const id = randomUUID();
    const cols = Object.keys(settings);
    await owner.query(
      `insert into organizations (id, slug, name${cols.map((c) => `, ${c}`).join('')})
       values ($1, $2, 'o'${cols.map((_, i) => `, $${i + 3}`).join('')})`,
      [id, `s-${id}`, ...cols.map((c) => settings[c])],
    );
    return id;
  }

  function words(values: Float64Array): string[] {
    const w = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
    return Array.from(values, (_, i) => `${w[2 * i + 1].toString(16)}:${w[2 * i].toString(16)}`);
  }

  function staleAt(values: Float64Array, i: number): Float64Array {
    setStaleNaNAt(values, i);
    return values;
  }

  const alignedPast = (ms: number, width: number) => {
    const t = Date.now() - ms;
    return t - (t % width);
  };

  /** Each day row's chunks as [metric, day − `from`, chunk bounds − `from`…], by series. */
  async function dayRowLayout(org: string, from: number): Promise<unknown[][]> {
    const { rows } = await owner.query<{ metric: string; day: string; data: Buffer }>(
      `select s.metric, d.day, d.data from sample_days d join series s on s.id = d.series_id
        where d.org_id = $1 order by s.metric, s.labels::text, d.day`,
      [org],
    );
    return rows.map((r) => {
      const bounds: number[][] = [];
      for (let p = 0; p < r.data.length; p += 20 + r.data.readUInt32BE(p))
        bounds.push([
          Number(r.data.readBigInt64BE(p + 4)) - from,
          Number(r.data.readBigInt64BE(p + 12)) - from,
        ]);
      return [r.metric, Number(r.day) - from, ...bounds];
    });
  }

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    pool = createPgPool(process.env.DATABASE_APP_URL!, 4);
    writer = new TsdbWriter(pool);
    reader = new PgSeriesReader(pool);
  });

  afterAll(async () => {
    await owner.end();
    await pool.end();
  });

  it('round-trips samples, keeping NaN apart from the staleness marker, and ignores a re-sent request', async () => {
    const org = await newOrg();
    // All 7 samples in one 2 h block whatever the clock, so each write is exactly one log row.
    let t0 = alignedPast(10 * MINUTE_MS, MINUTE_MS);
    if (Math.floor((t0 + 6 * 15_000) / BLOCK_MS) !== Math.floor(t0 / BLOCK_MS)) t0 -= 2 * MINUTE_MS;
    const values = Float64Array.from([1.5, NaN, 0, -0, Infinity, -Infinity, 1e-300]);
    setStaleNaNAt(values, 2);
    const timestamps = Array.from(values, (_, i) => t0 + i * 15_000);
    const batch = [{ labels: { __name__: 'up', job: 'api', instance: 'a:1' }, timestamps, values }];

    const first = await writer.write(org, batch);
    expect(first).toEqual({ series: 1, newSeries: 1, samples: 7, outOfBounds: 0 });
    const again = await writer.write(org, batch);
    expect(again.newSeries).toBe(0);
    // A second writer (another process, cold cache) re-sending it must not duplicate either.
    await new TsdbWriter(pool).write(org, batch);

    const [s] = await reader.select(org, [{ name: '__name__', op: '=', value: 'up' }], {
      start: t0,
      end: t0 + 10 * MINUTE_MS,
    });
    expect(s.labels).toEqual({ __name__: 'up', job: 'api', instance: 'a:1' });
    expect(Array.from(s.timestamps)).toEqual(timestamps);
    expect(words(s.values)).toEqual(words(values));
    expect(isStaleNaNAt(s.values, 2)).toBe(true);
    expect(isStaleNaNAt(s.values, 1)).toBe(false);
    expect(Number.isNaN(s.values[1])).toBe(true);
    // Three log rows of 7 samples each; folded, one chunk of 7, read back the same.
    const log = await owner.query(
      `select count(*)::int as rows, sum(count)::int as n from sample_log where org_id = $1`,
      [org],
    );
    expect(log.rows[0]).toEqual({ rows: 3, n: 21 });
    expect(await new LogFlusher(pool).flush(org)).toEqual({ rows: 3, samples: 21, chunks: 1 });
    const chunks = await owner.query(
      `select count(*)::int as rows, sum(count)::int as n from sample_chunks where org_id = $1`,
      [org],
    );
    expect(chunks.rows[0]).toEqual({ rows: 1, n: 7 });
    expect(
      (await owner.query(`select count(*)::int as n from sample_log where org_id = $1`, [org]))
        .rows[0].n,
    ).toBe(0);
    const [folded] = await reader.select(org, [{ name: '__name__', op: '=', value: 'up' }], {
      start: t0,
      end: t0 + 10 * MINUTE_MS,
    });
    expect(Array.from(folded.timestamps)).toEqual(timestamps);
    expect(words(folded.values)).toEqual(words(values));
  });

  it('refuses bad input with an input error and counts out-of-bounds samples', async () => {
    const org = await newOrg();
    const now = Date.now();
    await expect(
      writer.write(org, [{ labels: { job: 'x' }, timestamps: [now], values: [1] }]),
    ).rejects.toThrow(TsdbInputError);
    await expect(
      writer.write(org, [
        { labels: { __name__: 'm', 'bad-name': 'x' }, timestamps: [now], values: [1] },
      ]),
    ).rejects.toThrow(TsdbInputError);
    await expect(
      writer.write(org, [{ labels: { __name__: 'm' }, timestamps: [now + 0.5], values: [1] }]),
    ).rejects.toThrow(TsdbInputError);
    await expect(writer.write('not-a-uuid', [])).rejects.toThrow(TsdbInputError);
    await expect(
      writer.write(org, [
        { labels: { __name__: 'm' }, timestamps: [now], values: ['1' as unknown as number] },
      ]),
    ).rejects.toThrow(TsdbInputError);
    await expect(
      writer.write(org, [{ labels: { __name__: 'm' }, timestamps: [now, now + 1], values: [1] }]),
    ).rejects.toThrow(TsdbInputError);
    const r = await writer.write(org, [
      {
        labels: { __name__: 'm' },
        timestamps: [now - 30 * DAY_MS, now + DAY_MS, now],
        values: [1, 2, 3],
      },
    ]);
    expect(r).toMatchObject({ samples: 1, outOfBounds: 2 });
    await expect(
      reader.select(org, [{ name: 'job', op: '=~', value: '(' }], { start: 0, end: now }),
    ).rejects.toThrow(TsdbInputError);
    await expect(
      reader.select(org, [{ name: 'job', op: '=~', value: '(?=x)' }], { start: 0, end: now }),
    ).rejects.toThrow(TsdbInputError);
  });

  it('selects by =, !=, =~ and !~ with Prometheus anchoring, and answers series/labels queries', async () => {
    const org = await newOrg();
    const t = Date.now() - MINUTE_MS;
    const sets: Labels[] = [
      { __name__: 'http_requests_total', job: 'api', code: '200' },
      { __name__: 'http_requests_total', job: 'api', code: '500' },
      { __name__: 'http_requests_total', job: 'web-1', code: '200' },
      { __name__: 'http_requests_total', job: 'xapi' },
      { __name__: 'node_load1', job: 'node', instance: 'h1' },
    ];
    await writer.write(
      org,
      sets.map((labels) => ({ labels, timestamps: [t], values: [1] })),
    );
    const range = { start: t - MINUTE_MS, end: t + MINUTE_MS };
    const jobs = async (...m: Array<[string, '=' | '!=' | '=~' | '!~', string]>) =>
      (
        await reader.select(
          org,
          m.map(([name, op, value]) => ({ name, op, value })),
          range,
        )
      )
        .map((s) => `${s.labels.__name__}/${s.labels.job}/${s.labels.code ?? ''}`)
        .sort();
    expect(await jobs(['job', '=~', 'api'])).toEqual([
      'http_requests_total/api/200',
      'http_requests_total/api/500',
    ]);
    expect(await jobs(['job', '=~', 'a.i|web-\\d'])).toEqual([
      'http_requests_total/api/200',
      'http_requests_total/api/500',
      'http_requests_total/web-1/200',
    ]);
    expect(await jobs(['job', '=~', '(?i)API'])).toHaveLength(2);
    expect(await jobs(['__name__', '=~', 'http_.*'], ['code', '=', ''])).toEqual([
      'http_requests_total/xapi/',
    ]);
    expect(
      await jobs(['__name__', '=', 'http_requests_total'], ['code', '!~', '5..']),
    ).toHaveLength(3);
    expect(await jobs(['__name__', '!=', 'http_requests_total'])).toEqual(['node_load1/node/']);
    expect(await jobs(['job', '=~', 'api|node'], ['code', '!=', '200'])).toEqual([
      'http_requests_total/api/500',
      'node_load1/node/',
    ]);
    expect(await jobs(['job', '=~', '.*x.*'])).toEqual(['http_requests_total/xapi/']);
    expect(await jobs(['job', '=~', '\\bapi'])).toEqual([
      'http_requests_total/api/200',
      'http_requests_total/api/500',
    ]);

    expect(await reader.labelNames(org, [], range.start, range.end)).toEqual([
      '__name__',
      'code',
      'instance',
      'job',
    ]);
    expect(
      await reader.labelValues(
        org,
        'job',
        [[{ name: '__name__', op: '=', value: 'http_requests_total' }]],
        range.start,
        range.end,
      ),
    ).toEqual(['api', 'web-1', 'xapi']);
    expect(await reader.labelValues(org, '__name__', [], range.start, range.end)).toEqual([
      'http_requests_total',
      'node_load1',
    ]);
    const series = await reader.series(
      org,
      [[{ name: 'job', op: '=', value: 'node' }], [{ name: 'code', op: '=', value: '500' }]],
      range.start,
      range.end,
    );
    expect(series).toHaveLength(2);
  });

  it("never shows one organization another's series, samples or rollups, even with a broad regex", async () => {
    const orgA = await newOrg();
    const orgB = await newOrg();
    const t = alignedPast(5 * MINUTE_MS, MINUTE_MS);
    await writer.write(orgA, [
      { labels: { __name__: 'secret_metric', tenant: 'a' }, timestamps: [t], values: [42] },
    ]);
    await writer.write(orgB, [
      { labels: { __name__: 'other_metric', tenant: 'b' }, timestamps: [t], values: [1] },
    ]);
    // The same label set in B is B's own series, not A's.
    await writer.write(orgB, [
      { labels: { __name__: 'secret_metric', tenant: 'a' }, timestamps: [t + 1000], values: [7] },
    ]);
    await new RollupService(pool).rollup(orgA, '1m', t);

    const broad = [{ name: '__name__', op: '=~' as const, value: '.+' }];
    const rangeB = await reader.select(orgB, broad, { start: 0, end: Date.now() });
    const values = rangeB.flatMap((s: SampleSeries) => Array.from(s.values));
    expect(values.sort()).toEqual([1, 7]);
    expect(await reader.labelValues(orgB, 'tenant', [], 0, Date.now())).toEqual(['a', 'b']);
    const secretInB = await reader.select(
      orgB,
      [{ name: '__name__', op: '=~', value: 'secret.*' }],
      { start: 0, end: Date.now() },
    );
    expect(Array.from(secretInB[0].values)).toEqual([7]);
    const roll = await reader.selectRollup(
      orgB,
      [{ name: 'tenant', op: '=~', value: '.*' }],
      '1m',
      0,
      Date.now(),
    );
    // B's minutes, derived from B's own samples; nothing of A's stored minute.
    expect(roll.series.map((r) => [r.labels.__name__, Array.from(r.sum)]).sort()).toEqual([
      ['other_metric', [1]],
      ['secret_metric', [7]],
    ]);
    // And at the database level: B's transaction cannot read A's rows at all.
    const leaked = await withOrgClient(pool, orgB, async (c) => {
      const q = async (sql: string) => (await c.query(sql, [orgA])).rows.length;
      return {
        series: await q(`select 1 from series where org_id = $1`),
        samples: await q(`select 1 from samples where org_id = $1`),
        log: await q(`select 1 from sample_log where org_id = $1`),
        rollups: await q(`select 1 from rollup_1m where org_id = $1`),
        dirty: await q(`select 1 from tsdb_dirty where org_id = $1`),
      };
    });
    expect(leaked).toEqual({ series: 0, samples: 0, log: 0, rollups: 0, dirty: 0 });
    expect(
      (await owner.query(`select count(*)::int as n from sample_log where org_id = $1`, [orgA]))
        .rows[0].n,
    ).toBe(1);
    await expect(
      withOrgClient(pool, orgB, (c) =>
        c.query(
          `insert into sample_log (org_id, block_start, min_ts, max_ts, count, data) values ($1, 0, 0, 0, 0, '')`,
          [orgA],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      withOrgClient(pool, orgB, (c) =>
        c.query(`insert into samples (org_id, series_id, ts, value) values ($1, 1, $2, 1)`, [
          orgA,
          t,
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('compacts a block into chunks bit-exactly, idempotently, and keeps re-sent samples single', async () => {
    const org = await newOrg();
    const block = alignedPast(5 * HOUR_MS, BLOCK_MS);
    const n = 480;
    const timestamps = Array.from({ length: n }, (_, i) => block + i * 15_000);
    const counter = new Float64Array(n);
    const gauge = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      counter[i] = i === 0 ? 1000 : counter[i - 1] + ((i * 7919) % 13);
      gauge[i] = Math.sin(i / 10) * 1e3 + i / 3;
    }
    gauge[17] = NaN;
    setStaleNaNAt(gauge, 100);
    gauge[200] = -0;
    const batch = [
      { labels: { __name__: 'c_total', job: 'j' }, timestamps, values: counter },
      { labels: { __name__: 'g', job: 'j' }, timestamps, values: gauge },
    ];
    await writer.write(org, batch);
    const matchers = [{ name: 'job', op: '=' as const, value: 'j' }];
    const range = { start: block - HOUR_MS, end: block + 3 * HOUR_MS };
    const before = await reader.select(org, matchers, range);

    const compactor = new Compactor(pool);
    expect(await compactor.pendingOrgs()).toContain(org);
    const r1 = await compactor.compactDue(org);
    expect(r1).toMatchObject({ blocks: 1, series: 2, samples: 2 * n });
    expect(
      (await owner.query(`select count(*)::int n from samples where org_id = $1`, [org])).rows[0].n,
    ).toBe(0);
    const chunks = await owner.query(
      `select count, get_byte(data, 0) as version from sample_chunks where org_id = $1`,
      [org],
    );
    expect(chunks.rows.map((c) => c.count)).toEqual([n, n]);
    // Sealed (compressed), not the flusher's open format.
    expect(chunks.rows.map((c) => c.version)).toEqual([2, 2]);
    expect(await compactor.compactBlock(org, block)).toMatchObject({ samples: 0 });
    expect(await compactor.compactDue(org)).toMatchObject({ blocks: 0 });

    const after = await reader.select(org, matchers, range);
    expect(after.map((s) => s.labels)).toEqual(before.map((s) => s.labels));
    for (let i = 0; i < after.length; i++) {
      expect(Array.from(after[i].timestamps)).toEqual(timestamps);
      expect(words(after[i].values)).toEqual(words(before[i].values));
    }
    const g = after.find((s) => s.labels.__name__ === 'g')!;
    expect(isStaleNaNAt(g.values, 100)).toBe(true);
    expect(isStaleNaNAt(g.values, 17)).toBe(false);

    // Re-sending after compaction lands in the head; readers and the next compaction keep one copy.
    await writer.write(org, batch);
    const resent = await reader.select(org, matchers, range);
    expect(resent.map((s) => s.timestamps.length)).toEqual([n, n]);
    await compactor.compactDue(org);
    const final = await owner.query(`select count from sample_chunks where org_id = $1`, [org]);
    expect(final.rows.map((c) => c.count)).toEqual([n, n]);
    expect(words((await reader.select(org, matchers, range))[1].values)).toEqual(
      words(before[1].values),
    );
  });

  it('merges an ended day into one row per series, reads it as before, and folds a later sample in with the stored one winning', async () => {
    const org = await newOrg();
    const day = alignedPast(3 * DAY_MS, DAY_MS);
    await new PartitionManager(pool).ensureRange(day, day + 2 * DAY_MS);
    // A 30 s scrape over the day and 6 h of the next (both over): a counter and a gauge.
    const n = (DAY_MS + 6 * HOUR_MS) / 30_000;
    const timestamps = Array.from({ length: n }, (_, i) => day + i * 30_000);
    const counter = new Float64Array(n);
    const gauge = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      counter[i] = i === 0 ? 5 : counter[i - 1] + ((i * 7919) % 17);
      gauge[i] = Math.round(Math.sin(i / 50) * 1e4) / 100;
    }
    setStaleNaNAt(gauge, 900);
    const batch = [
      { labels: { __name__: 'dm_total', job: 'd' }, timestamps, values: counter },
      { labels: { __name__: 'dm_gauge', job: 'd' }, timestamps, values: gauge },
    ];
    const old = new TsdbWriter(pool, { maxSampleAgeMs: 5 * DAY_MS });
    await old.write(org, batch);
    const matchers = [{ name: 'job', op: '=' as const, value: 'd' }];
    const whole = { start: day - HOUR_MS, end: day + 2 * DAY_MS };
    // rate(…[5m]) windows every 20 min from an unaligned start, and an instant lookback.
    const windowed = {
      start: day + 7_000,
      end: day + 29 * HOUR_MS,
      step: 1_200_000,
      range: 300_000,
    };
    const instant = {
      start: day + 7_000,
      end: day + 29 * HOUR_MS,
      step: 1_200_000,
      lookback: 300_000,
    };
    const reads = async () =>
      Promise.all(
        [whole, windowed, instant].map(async (h) =>
          (await reader.select(org, matchers, h)).map((s) => [
            s.labels.__name__,
            Array.from(s.timestamps),
            words(s.values),
          ]),
        ),
      );
    const unmerged = await reads();
    expect(unmerged[0].map((s) => (s[1] as number[]).length)).toEqual([n, n]);
    // Per window of `windowed`: its sample count and first and last samples, however read.
    const byWindow = (series: SampleSeries[]) =>
      series.map((x) => {
        const out: string[] = [];
        let i = 0;
        const first = windowed.start + windowed.range;
        for (let k = 0, ref = first; ref <= windowed.end; k++, ref += windowed.step) {
          while (i < x.timestamps.length && x.timestamps[i] < ref - windowed.range) i++;
          let j = i;
          while (j < x.timestamps.length && x.timestamps[j] <= ref) j++;
          const d = x.ends?.data;
          const [c, t0, v0, t1, v1] =
            d && d[5 * k] > 0
              ? [d[5 * k], d[5 * k + 1], d.subarray(5 * k + 2), d[5 * k + 3], d.subarray(5 * k + 4)]
              : [
                  j - i,
                  x.timestamps[i],
                  x.values.subarray(i),
                  x.timestamps[j - 1],
                  x.values.subarray(j - 1),
                ];
          // A window read by its ends has none of its samples besides.
          if (d && d[5 * k] > 0 && j > i) out.push('samples too');
          out.push(
            c > 0 ? `${c} ${t0} ${words(v0.subarray(0, 1))} ${t1} ${words(v1.subarray(0, 1))}` : '',
          );
          i = j;
        }
        return [x.labels.__name__, out];
      });
    // The windows read by their ends, checked against the same select read from samples.
    const endsReads = async () => {
      const want = byWindow(await reader.select(org, matchers, windowed));
      let ends = 0;
      for (const mode of ['rising', 'any'] as const) {
        const got = await reader.select(org, matchers, { ...windowed, ends: mode });
        expect(byWindow(got)).toEqual(want);
        for (const x of got)
          for (let k = 0; x.ends && k < x.ends.n; k++) ends += +(x.ends.data[5 * k] > 0);
      }
      return ends;
    };
    // All in the log still: no sealed chunk to read ends from.
    expect(await endsReads()).toBe(0);

    // One series per batch: the day merge's batches must give what one statement would.
    const compactor = new Compactor(pool, { graceMs: 0, seriesBatch: 1 });
    // The first day's last block is sealed: it is merged. The next day has no last block yet.
    expect(await compactor.compactDue(org, 1000)).toMatchObject({ dayRows: 2 });
    // Rows per series: (table, key − day start, samples); day rows keyed by their day.
    const rows = async () =>
      (
        await owner.query(
          `select 'day' as t, series_id, day - $2 as k, count from sample_days where org_id = $1
           union all
           select '2h', series_id, block_start - $2, count from sample_chunks where org_id = $1
           order by 2, 1 desc, 3`,
          [org, day],
        )
      ).rows.map((r) => [r.t, Number(r.k), r.count]);
    const merged = [
      ['day', 0, DAY_MS / 30_000],
      ['2h', DAY_MS, 240],
      ['2h', DAY_MS + BLOCK_MS, 240],
      ['2h', DAY_MS + 2 * BLOCK_MS, 240],
    ];
    expect(await rows()).toEqual([...merged, ...merged]);
    // The counter's day is one regular scrape: one chunk. The gauge's stale marker (a NaN the
    // reader cannot decode sparsely, in the fourth block) keeps that block a chunk of its own.
    const lastOf = (b: number) => (b + 1) * BLOCK_MS - 30_000;
    expect(await dayRowLayout(org, day)).toEqual([
      ['dm_gauge', 0, [0, lastOf(2)], [3 * BLOCK_MS, lastOf(3)], [4 * BLOCK_MS, DAY_MS - 30_000]],
      ['dm_total', 0, [0, DAY_MS - 30_000]],
    ]);
    expect(await reads()).toEqual(unmerged);
    expect(await endsReads()).toBeGreaterThan(100);
    // The next day is over too, and its last block never got a sample (the writer stopped): the
    // next run finds nothing of it to compact, so it is quiet, and merges it.
    expect(await compactor.pendingOrgs()).toContain(org);
    expect(await compactor.compactDue(org, 1000)).toMatchObject({ blocks: 0, dayRows: 2 });
    const bothMerged = [
      ['day', 0, DAY_MS / 30_000],
      ['day', DAY_MS, (6 * HOUR_MS) / 30_000],
    ];
    expect(await rows()).toEqual([...bothMerged, ...bothMerged]);
    expect(await reads()).toEqual(unmerged);
    expect(await compactor.compactDue(org, 1000)).toMatchObject({ blocks: 0, dayRows: 0 });
    expect(await compactor.pendingOrgs()).not.toContain(org);

    // Later: a new timestamp, and a stored one re-sent with another value (the stored one wins).
    const t = day + 5 * HOUR_MS;
    await old.write(org, [
      { labels: batch[0].labels, timestamps: [t, t + 15_000], values: [-1, counter[600] + 0.5] },
    ]);
    // Still in the log, its second sample is in a window the day row's chunk holds whole: the
    // select is read again from samples (none by their ends), the stored sample winning.
    expect(await endsReads()).toBe(0);
    await new LogFlusher(pool).flush(org);
    // The sample sits in a 2 h chunk beside the day row until the next compaction.
    expect((await rows()).length).toBe(5);
    const late = await reads();
    await endsReads();
    const c = late[0].find((s) => s[0] === 'dm_total')!;
    const ts = c[1] as number[];
    expect(ts.length).toBe(n + 1);
    expect(ts.indexOf(t + 15_000)).toBe(601);
    expect((c[2] as string[])[600]).toBe(words(Float64Array.of(counter[600]))[0]);
    expect((c[2] as string[])[601]).toBe(words(Float64Array.of(counter[600] + 0.5))[0]);
    expect(late[0].find((s) => s[0] === 'dm_gauge')).toEqual(
      unmerged[0].find((s) => s[0] === 'dm_gauge'),
    );
    expect(await compactor.compactDue(org, 1000)).toMatchObject({ blocks: 1, dayRows: 1 });
    const counted = await rows();
    expect(counted).toHaveLength(4);
    // The new timestamp is off the scrape's grid: its block is a chunk of its own now.
    expect((await dayRowLayout(org, day)).find((r) => r[0] === 'dm_total' && r[1] === 0)).toEqual([
      'dm_total',
      0,
      [0, lastOf(1)],
      [2 * BLOCK_MS, lastOf(2)],
      [3 * BLOCK_MS, DAY_MS - 30_000],
    ]);
    expect(counted).toEqual(
      expect.arrayContaining([
        ['day', 0, DAY_MS / 30_000 + 1],
        ['day', 0, DAY_MS / 30_000],
      ]),
    );
    // An instant read may keep more than each window's newest sample (a superset, which the
    // engine narrows): read apart, the 2 h chunk's own newest one was kept too.
    const folded = await reads();
    expect(folded.slice(0, 2)).toEqual(late.slice(0, 2));
    for (const [name, ts2] of folded[2]) {
      const before = late[2].find((s) => s[0] === name)![1] as number[];
      expect(before).toEqual(expect.arrayContaining(ts2 as number[]));
    }
  });

  it('lays a regular day out as one chunk and a day with a gap as two, answers unchanged', async () => {
    const org = await newOrg();
    const day = alignedPast(3 * DAY_MS, DAY_MS);
    await new PartitionManager(pool).ensureRange(day, day + DAY_MS);
    const timestamps = Array.from({ length: DAY_MS / 15_000 }, (_, i) => day + i * 15_000);
    const values = timestamps.map((_, i) => 100 + i * 3 + (i % 7));
    // The second series misses 13:00–15:30 (the writer was down): a gap across a block boundary.
    const gap = (t: number) => t >= day + 13 * HOUR_MS && t < day + 15.5 * HOUR_MS;
    const kept = timestamps.map((_, i) => i).filter((i) => !gap(timestamps[i]));
    await new TsdbWriter(pool, { maxSampleAgeMs: 5 * DAY_MS }).write(org, [
      { labels: { __name__: 'lay_total', job: 'a' }, timestamps, values },
      {
        labels: { __name__: 'lay_total', job: 'b' },
        timestamps: kept.map((i) => timestamps[i]),
        values: kept.map((i) => values[i]),
      },
    ]);
    const matchers = [{ name: '__name__', op: '=' as const, value: 'lay_total' }];
    const ranges = [
      { start: day - HOUR_MS, end: day + DAY_MS },
      { start: day + 7_000, end: day + 23 * HOUR_MS, step: 1_200_000, range: 300_000 },
      { start: day + 7_000, end: day + 23 * HOUR_MS, step: 3 * BLOCK_MS, range: 60_000 },
      { start: day + 7_000, end: day + 23 * HOUR_MS, step: 1_200_000, lookback: 300_000 },
    ];
    const reads = () =>
      Promise.all(
        ranges.map(async (h) =>
          (await reader.select(org, matchers, h)).map((s) => [
            s.labels.job,
            Array.from(s.timestamps),
            words(s.values),
          ]),
        ),
      );
    const before = await reads();
    expect(before[0].map((s) => (s[1] as number[]).length)).toEqual([
      timestamps.length,
      kept.length,
    ]);
    const compactor = new Compactor(pool, { graceMs: 0 });
    expect(await compactor.compactDue(org, 1000)).toMatchObject({ dayRows: 2 });
    expect(await dayRowLayout(org, day)).toEqual([
      ['lay_total', 0, [0, DAY_MS - 15_000]],
      ['lay_total', 0, [0, 13 * HOUR_MS - 15_000], [15.5 * HOUR_MS, DAY_MS - 15_000]],
    ]);
    expect(await reads()).toEqual(before);
  });

  it('truncates a past day of the head once compaction emptied it, and leaves a non-empty one', async () => {
    // The per-sample head as earlier versions wrote it (ingest now writes the log): the
    // compactor still drains it and reclaims its days.
    const org = await newOrg();
    const day = alignedPast(3 * DAY_MS, DAY_MS);
    const busyDay = day - DAY_MS;
    const ts = Array.from({ length: 1500 }, (_, i) => day + HOUR_MS + i * 1000);
    await new PartitionManager(pool).ensureRange(busyDay, day);
    await writer.write(org, [{ labels: { __name__: 'r' }, timestamps: [ts[0]], values: [0] }]);
    await new LogFlusher(pool).flush(org);
    await owner.query(`delete from sample_chunks where org_id = $1`, [org]);
    await withOrgClient(pool, org, async (c) => {
      const id = (await c.query(`select id from series where org_id = $1`, [org])).rows[0].id;
      for (const shift of [0, -DAY_MS]) {
        await c.query(
          `insert into samples (org_id, series_id, ts, value) select $1, $2, t, v from unnest($3::bigint[], $4::float8[]) u(t, v)`,
          [org, id, ts.map((t) => t + shift), ts.map((_, i) => i)],
        );
      }
    });
    const name = (d: number) =>
      `samples_d${new Date(d).toISOString().slice(0, 10).replace(/-/g, '')}`;
    const size = async (d: number) =>
      Number(
        (await owner.query(`select pg_total_relation_size($1::regclass) as b`, [name(d)])).rows[0]
          .b,
      );
    const compactor = new Compactor(pool);
    await compactor.compactBlock(org, day);
    expect(await size(day)).toBeGreaterThan(32768);
    const reclaimed = await compactor.reclaimHeadPartitions();
    expect(reclaimed).toContain(name(day));
    expect(reclaimed).not.toContain(name(busyDay));
    expect(await size(day)).toBeLessThan(32768);
    const [s] = await reader.select(org, [{ name: '__name__', op: '=', value: 'r' }], {
      start: day,
      end: day + DAY_MS,
    });
    expect(s.timestamps.length).toBe(1500);
  });

  it('rolls up minutes and hours, and re-rolls them when a late sample arrives', async () => {
    const org = await newOrg();
    const hour = alignedPast(3 * HOUR_MS, HOUR_MS);
    const m0 = hour + 10 * MINUTE_MS;
    const m1 = m0 + MINUTE_MS;
    // A counter that resets inside m0 and again across the m0 → m1 boundary.
    const ts = [m0, m0 + 15_000, m0 + 30_000, m0 + 45_000, m1, m1 + 30_000];
    const vs = Float64Array.from([10, 20, 5, 7, 3, 4]);
    const stale = Float64Array.from([1]);
    setStaleNaNAt(stale, 0);
    await writer.write(org, [
      { labels: { __name__: 'reqs_total' }, timestamps: ts, values: vs },
      { labels: { __name__: 'reqs_total' }, timestamps: [m1 + 45_000], values: stale },
    ]);
    const rollups = new RollupService(pool);
    expect(await rollups.pendingOrgs()).toContain(org);
    const run = await rollups.rollupDirty(org);
    expect(run).toMatchObject({ minutes: 2, hours: 1 });
    const m = [{ name: '__name__', op: '=' as const, value: 'reqs_total' }];
    let res = await reader.selectRollup(org, m, '1m', hour, hour + HOUR_MS);
    expect(res.dirtyFrom).toBeNull();
    let [s] = res.series;
    expect(Array.from(s.buckets)).toEqual([m0, m1]);
    expect(Array.from(s.count)).toEqual([4, 2]); // the stale marker is not a sample
    expect(Array.from(s.sum)).toEqual([42, 7]);
    expect(Array.from(s.min)).toEqual([5, 3]);
    expect(Array.from(s.max)).toEqual([20, 4]);
    expect(Array.from(s.resets)).toEqual([1, 0]);
    expect(Array.from(s.counterCorrection)).toEqual([20, 0]);
    expect(Array.from(s.firstValue)).toEqual([10, 3]);
    expect(Array.from(s.lastTs)).toEqual([m0 + 45_000, m1 + 30_000]);

    res = await reader.selectRollup(org, m, '1h', hour, hour + HOUR_MS);
    // Nothing waits: neither a marker nor the (folded, empty) head log holds the hour back.
    expect(res.dirtyFrom).toBeNull();
    [s] = res.series;
    expect(Array.from(s.buckets)).toEqual([hour]);
    expect(Array.from(s.count)).toEqual([6]);
    // Resets: 20→5 inside m0 and 7→3 across the boundary; increase = 4 - 10 + 20 + 7 = 21.
    expect(Array.from(s.resets)).toEqual([2]);
    expect(Array.from(s.counterCorrection)).toEqual([27]);
    expect(s.lastValue[0] - s.firstValue[0] + s.counterCorrection[0]).toBe(21);
    expect(Array.from(s.changes)).toEqual([5]);

    // Rolling again changes nothing; a late sample in m0 re-rolls m0 and the hour.
    expect(await rollups.rollupDirty(org)).toMatchObject({ minutes: 0, hours: 0 });
    await writer.write(org, [
      { labels: { __name__: 'reqs_total' }, timestamps: [m0 + 50_000], values: [100] },
    ]);
    const pending = await reader.selectRollup(org, m, '1h', hour, hour + HOUR_MS);
    expect(pending.dirtyFrom).toBe(m0);
    expect(await rollups.rollupDirty(org)).toMatchObject({ minutes: 1, hours: 1 });
    [s] = (await reader.selectRollup(org, m, '1m', m0, m0 + MINUTE_MS)).series;
    expect(Array.from(s.count)).toEqual([5]);
    expect(Array.from(s.max)).toEqual([100]);
    [s] = (await reader.selectRollup(org, m, '1h', hour, hour + HOUR_MS)).series;
    expect(Array.from(s.count)).toEqual([7]);
    expect(Array.from(s.sum)).toEqual([149]);
    expect(Array.from(s.max)).toEqual([100]);
  });

  it('keeps every hour of a packed day row when its hours are rolled concurrently', async () => {
    const org = await newOrg();
    const day = alignedPast(DAY_MS + 12 * HOUR_MS, DAY_MS);
    const hours = Array.from({ length: 12 }, (_, i) => day + i * HOUR_MS);
    const labels = Array.from({ length: 3 }, (_, i) => ({ __name__: 'packed', i: String(i) }));
    const oldWriter = new TsdbWriter(pool, { maxSampleAgeMs: 3 * DAY_MS });
    await oldWriter.write(
      org,
      labels.map((l, i) => ({
        labels: l,
        timestamps: hours.flatMap((h) => [h + 1000, h + 31_000]),
        values: hours.flatMap((_, k) => [k + i, k + i + 1]),
      })),
    );
    const rollups = new RollupService(pool);
    // Each hour re-packs the same three day rows; none may overwrite another's buckets.
    await Promise.all(hours.map((h) => rollups.rollup(org, '1h', h)));
    const res = await reader.selectRollup(
      org,
      [{ name: '__name__', op: '=', value: 'packed' }],
      '1h',
      day,
      day + DAY_MS,
    );
    expect(res.series).toHaveLength(3);
    for (const s of res.series) {
      const i = Number(s.labels.i);
      expect(Array.from(s.buckets)).toEqual(hours);
      expect(Array.from(s.count)).toEqual(hours.map(() => 2));
      expect(Array.from(s.sum)).toEqual(hours.map((_, k) => 2 * (k + i) + 1));
    }
    const rows = await owner.query(`select 1 from rollup_1h where org_id = $1`, [org]);
    expect(rows.rowCount).toBe(3);
  });

  it('loses and duplicates nothing when writes, compactions and rollups run concurrently', async () => {
    const org = await newOrg();
    const block = alignedPast(5 * HOUR_MS, BLOCK_MS);
    const rounds = 40;
    const labels = Array.from({ length: 20 }, (_, i) => ({ __name__: 'conc', i: String(i) }));
    const compactor = new Compactor(pool, { seriesBatch: 7 });
    const rollups = new RollupService(pool);
    const writes = Array.from({ length: rounds }, (_, r) =>
      // Each round writes twice (a retried request) from two writers with cold caches.
      Promise.all(
        [writer, new TsdbWriter(pool)].map((w) =>
          w.write(
            org,
            labels.map((l) => ({ labels: l, timestamps: [block + r * 15_000], values: [r] })),
          ),
        ),
      ),
    );
    const jobs = Array.from({ length: 6 }, (_, k) =>
      (async () => {
        for (let j = 0; j < 4; j++) {
          await compactor.compactBlock(org, block);
          if (k % 2 === 0) await rollups.rollupDirty(org);
        }
      })(),
    );
    await Promise.all([...writes, ...jobs]);
    await compactor.compactDue(org);
    await rollups.rollupDirty(org);
    const got = await reader.select(org, [{ name: '__name__', op: '=', value: 'conc' }], {
      start: block,
      end: block + BLOCK_MS,
    });
    expect(got).toHaveLength(20);
    for (const s of got)
      expect(Array.from(s.values)).toEqual(Array.from({ length: rounds }, (_, r) => r));
    const head = await owner.query(`select count(*)::int n from samples where org_id = $1`, [org]);
    expect(head.rows[0].n).toBe(0);
    const [first] = (
      await reader.selectRollup(
        org,
        [{ name: 'i', op: '=', value: '0' }],
        '1m',
        block,
        block + BLOCK_MS,
      )
    ).series;
    expect(Array.from(first.count).reduce((a, b) => a + b, 0)).toBe(rounds);
    expect(Array.from(first.sum).reduce((a, b) => a + b, 0)).toBe((rounds * (rounds - 1)) / 2);
  });

  it('keeps a dirty marker that a flush re-marked after a job claimed it', async () => {
    const org = await newOrg();
    const m = alignedPast(10 * MINUTE_MS, MINUTE_MS);
    const flusher = new LogFlusher(pool);
    await writer.write(org, [{ labels: { __name__: 'mk' }, timestamps: [m], values: [1] }]);
    // Writers leave no marker; folding the log does.
    expect(
      (await owner.query(`select count(*)::int n from tsdb_dirty where org_id = $1`, [org])).rows[0]
        .n,
    ).toBe(0);
    await flusher.flush(org);
    const claims = await withOrgClient(pool, org, (c) =>
      claimDirty(c, org, '1m', m, m + MINUTE_MS),
    );
    expect(claims.map((c) => c.bucket)).toEqual([m]);
    // A late sample arrives while the job is busy rolling the minute up.
    await writer.write(org, [{ labels: { __name__: 'mk' }, timestamps: [m + 5000], values: [2] }]);
    await flusher.flush(org);
    await withOrgClient(pool, org, (c) => releaseDirty(c, org, '1m', claims));
    const left = await owner.query(
      `select count(*)::int n from tsdb_dirty where org_id = $1 and kind = '1m'`,
      [org],
    );
    expect(left.rows[0].n).toBe(1);
    // Without a new mark, release does remove it.
    const again = await withOrgClient(pool, org, (c) => claimDirty(c, org, '1m', m, m + MINUTE_MS));
    await withOrgClient(pool, org, (c) => releaseDirty(c, org, '1m', again));
    expect(
      (
        await owner.query(
          `select count(*)::int n from tsdb_dirty where org_id = $1 and kind = '1m'`,
          [org],
        )
      ).rows[0].n,
    ).toBe(0);
  });

  it('rolls up from compressed chunks as well as from the head', async () => {
    const org = await newOrg();
    const block = alignedPast(6 * HOUR_MS, BLOCK_MS);
    const ts = Array.from({ length: 8 }, (_, i) => block + i * 15_000);
    await writer.write(org, [
      { labels: { __name__: 'g2' }, timestamps: ts, values: [1, 2, 3, 4, 5, 6, 7, 8] },
    ]);
    await new Compactor(pool).compactBlock(org, block);
    const rollups = new RollupService(pool);
    await rollups.rollup(org, '1m', block);
    await rollups.rollup(org, '1m', block + MINUTE_MS);
    const [s] = (
      await reader.selectRollup(
        org,
        [{ name: '__name__', op: '=', value: 'g2' }],
        '1m',
        block,
        block + 2 * MINUTE_MS,
      )
    ).series;
    expect(Array.from(s.sum)).toEqual([10, 26]);
  });

  it('fails a read over a chunk that does not decode and leaves its connection usable', async () => {
    const org = await newOrg();
    const block = alignedPast(5 * HOUR_MS, BLOCK_MS);
    const ts = Array.from({ length: 40 }, (_, i) => block + i * 15_000);
    const batch = ['a', 'b', 'c'].map((k) => ({
      labels: { __name__: 'corrupt_g', k },
      timestamps: ts,
      values: ts.map((_, i) => i),
    }));
    await writer.write(org, batch);
    await new Compactor(pool).compactBlock(org, block);
    // A sealed chunk claiming 2^32 - 1 samples (a codec error, not a 32 GB buffer), in the series
    // streamed first; the read fails and the one connection then serves the next read. (Draining
    // a longer COPY after such an error is covered in read/copy-rows.spec.ts.)
    await owner.query(
      `update sample_chunks set data = '\\x02ffffffff'::bytea
        where org_id = $1 and series_id = (select id from series where org_id = $1 and labels->>'k' = 'a')`,
      [org],
    );
    const { rows } = await owner.query(
      `select labels->>'k' as k from series where org_id = $1 order by id`,
      [org],
    );
    expect(rows.map((r) => r.k)).toEqual(['a', 'b', 'c']);
    const single = createPgPool(process.env.DATABASE_APP_URL!, 1);
    try {
      const one = new PgSeriesReader(single);
      const matchers = [{ name: '__name__', op: '=' as const, value: 'corrupt_g' }];
      const range = { start: block, end: block + HOUR_MS };
      await expect(one.select(org, matchers, range)).rejects.toThrow(ChunkCodecError);
      const rest = await one.select(
        org,
        [...matchers, { name: 'k', op: '!=' as const, value: 'a' }],
        range,
      );
      expect(rest.map((s) => [s.labels.k, s.timestamps.length])).toEqual([
        ['b', 40],
        ['c', 40],
      ]);
    } finally {
      await single.end();
    }
  });

  it('keeps a day row until its whole day has passed raw retention', async () => {
    const org = await newOrg({ retention_raw_days: 1 });
    // One with the default retention, so the day partitions are not dropped whole.
    await newOrg();
    const day = alignedPast(4 * DAY_MS, DAY_MS);
    await new PartitionManager(pool).ensureRange(day, day + DAY_MS);
    const ts = [day + HOUR_MS, day + 23 * HOUR_MS, day + DAY_MS + HOUR_MS];
    await new TsdbWriter(pool, { maxSampleAgeMs: 5 * DAY_MS }).write(org, [
      { labels: { __name__: 'kept' }, timestamps: ts, values: [1, 2, 3] },
    ]);
    // The first day's last block is sealed, so it is merged; the next day stays in 2 h chunks.
    expect(await new Compactor(pool, { graceMs: 0 }).compactDue(org, 1000)).toMatchObject({
      dayRows: 1,
    });
    const at = (rawCut: number) => new RetentionService(pool, { now: () => rawCut + DAY_MS });
    // The cut inside the day: 2 h chunks before it would go, the day row stays whole.
    expect((await at(day + 23 * HOUR_MS + MINUTE_MS).apply(org)).deleted.chunks).toBe(0);
    expect((await at(day + DAY_MS + HOUR_MS).apply(org)).deleted.chunks).toBe(1);
    const [s] = await reader.select(org, [{ name: '__name__', op: '=', value: 'kept' }], {
      start: day,
      end: day + 2 * DAY_MS,
    });
    expect(Array.from(s.timestamps)).toEqual([ts[2]]);
  });

  it('applies retention: deletes expired rows of the organization and drops partitions all have passed', async () => {
    const org = await newOrg({
      retention_raw_days: 30,
      retention_1m_days: 30,
      retention_1h_days: 30,
    });
    const old = alignedPast(20 * DAY_MS, DAY_MS) + HOUR_MS;
    const oldWriter = new TsdbWriter(pool, { maxSampleAgeMs: 30 * DAY_MS });
    await oldWriter.write(org, [
      { labels: { __name__: 'old' }, timestamps: [old, old + 15_000], values: [1, 2] },
    ]);
    const recent = Date.now() - MINUTE_MS;
    await oldWriter.write(org, [
      { labels: { __name__: 'new' }, timestamps: [recent], values: [3] },
    ]);
    const rollups = new RollupService(pool);
    await rollups.rollup(org, '1m', old - (old % MINUTE_MS));
    const day = new Date(old).toISOString().slice(0, 10).replace(/-/g, '');
    expect(
      (await owner.query(`select to_regclass($1) as r`, [`samples_d${day}`])).rows[0].r,
    ).not.toBeNull();
    await owner.query(
      `update organizations set retention_raw_days = 1, retention_1m_days = 1, retention_1h_days = 1 where id = $1`,
      [org],
    );

    // A late sample past raw retention must not re-roll its minute from what little is left.
    const oldRollup = async () =>
      (
        await reader.selectRollup(
          org,
          [{ name: '__name__', op: '=', value: 'old' }],
          '1m',
          0,
          Date.now(),
        )
      ).series[0];
    expect(Array.from((await oldRollup()).count)).toEqual([2]);
    await oldWriter.write(org, [
      { labels: { __name__: 'old' }, timestamps: [old + 30_000], values: [5] },
    ]);
    await rollups.rollupDirty(org);
    expect(Array.from((await oldRollup()).count)).toEqual([2]);

    const retention = new RetentionService(pool);
    const r = await retention.apply(org);
    // rollupDirty folded the log first: the three old samples are one chunk by now.
    expect(r.deleted).toMatchObject({ samples: 0, log: 0, chunks: 1, rollup1m: 1 });
    // Other organizations in this database keep the default 15 days of raw data, so a 20-day-old
    // day partition has expired for everyone and goes as a whole.
    expect(r.droppedPartitions).toEqual(
      expect.arrayContaining([`samples_d${day}`, `sample_chunks_d${day}`]),
    );
    expect(
      (await owner.query(`select to_regclass($1) as r`, [`samples_d${day}`])).rows[0].r,
    ).toBeNull();
    const left = await reader.select(org, [{ name: '__name__', op: '=~', value: 'old|new' }], {
      start: 0,
      end: Date.now(),
    });
    expect(left.map((s) => s.labels.__name__)).toEqual(['new']);
    expect(await retention.apply(org)).toMatchObject({
      deleted: { samples: 0, log: 0, rollup1m: 0 },
      droppedPartitions: [],
    });
  });

  it('derives 1m rollups from raw samples, stores them only before raw expiry, and keeps them past it', async () => {
    const org = await newOrg({ retention_raw_days: 3 });
    const old = alignedPast(2 * DAY_MS + 12 * HOUR_MS, MINUTE_MS);
    const recent = alignedPast(2 * HOUR_MS, HOUR_MS) + 10 * MINUTE_MS;
    const ts = (t0: number) => Array.from({ length: 8 }, (_, i) => t0 + i * 15_000);
    const vs = Float64Array.from([5, 9, 2, 2, 7, NaN, 3, 4]);
    await writer.write(org, [
      { labels: { __name__: 'm' }, timestamps: ts(old), values: vs },
      { labels: { __name__: 'm' }, timestamps: ts(recent), values: vs },
    ]);
    const m = [{ name: '__name__', op: '=' as const, value: 'm' }];
    const minutes = async () => {
      const [s] = (await reader.selectRollup(org, m, '1m', 0, Date.now())).series;
      return {
        buckets: Array.from(s.buckets),
        count: Array.from(s.count),
        max: Array.from(s.max),
        resets: Array.from(s.resets),
        changes: Array.from(s.changes),
        corr: Array.from(s.counterCorrection),
      };
    };
    const derived = await minutes();
    expect(derived).toEqual({
      buckets: [old, old + MINUTE_MS, recent, recent + MINUTE_MS],
      count: [4, 4, 4, 4],
      max: [9, 7, 9, 7],
      resets: [1, 0, 1, 0],
      changes: [2, 3, 2, 3],
      corr: [9, 0, 9, 0],
    });
    const stored = async () =>
      (
        await owner.query<{ data: Buffer }>(
          `select data from rollup_1m where org_id = $1 order by day`,
          [org],
        )
      ).rows.flatMap((r) => Array.from(decodeRollupBuckets(r.data).buckets));
    expect(await stored()).toEqual([]);
    const rollups = new RollupService(pool);
    await rollups.rollupDirty(org);
    // Only the minutes on their last day of raw retention are stored.
    expect(await stored()).toEqual([old, old + MINUTE_MS]);
    expect(await minutes()).toEqual(derived);
    // Raw retention passes them: the raw samples go, the stored minutes answer the same.
    await owner.query(`update organizations set retention_raw_days = 2 where id = $1`, [org]);
    const { deleted } = await new RetentionService(pool).apply(org);
    expect(deleted.samples + deleted.log + deleted.chunks).toBeGreaterThan(0);
    expect(await minutes()).toEqual(derived);
    // The hour built from raw samples agrees with its minutes.
    const [h] = (await reader.selectRollup(org, m, '1h', recent - 10 * MINUTE_MS, Date.now()))
      .series;
    expect(Array.from(h.count)).toEqual([8]);
    expect(Array.from(h.resets)).toEqual([1]);
    expect(Array.from(h.counterCorrection)).toEqual([9]);
    expect(Array.from(h.changes)).toEqual([6]);
  });

  it('creates partitions ahead idempotently through the owner function', async () => {
    const pm = new PartitionManager(pool, { now: () => Date.now() + 30 * DAY_MS });
    const created = await pm.ensureAhead(2);
    expect(created).toBeGreaterThan(0);
    expect(await pm.ensureAhead(2)).toBe(0);
    await expect(pm.ensureAhead(-1)).rejects.toThrow(TsdbInputError);
    await expect(
      pool.query('create table samples_x partition of samples for values from (0) to (1)'),
    ).rejects.toThrow();
  });

  it('counts active series and checks new series against the limits', async () => {
    const org = await newOrg();
    const limits = new SeriesLimitsService(pool, writer.index, { countCacheMs: 0 });
    const t = Date.now() - MINUTE_MS;
    await writer.write(
      org,
      ['a', 'b', 'c'].map((x) => ({ labels: { __name__: 'm1', x }, timestamps: [t], values: [1] })),
    );
    expect(await limits.activeSeries(org)).toBe(3);
    expect(await limits.seriesPerMetric(org)).toEqual(new Map([['m1', 3]]));
    const known = await limits.checkNewSeries(org, [{ __name__: 'm1', x: 'a' }], {
      maxActiveSeries: 3,
    });
    expect(known).toMatchObject({ newSeries: 0, ok: true });
    // A cold cache (another api replica) still recognises existing series through the index.
    const cold = new SeriesLimitsService(pool, new TsdbWriter(pool).index, { countCacheMs: 0 });
    expect(
      await cold.checkNewSeries(org, [{ __name__: 'm1', x: 'b' }], { maxActiveSeries: 3 }),
    ).toMatchObject({ newSeries: 0, ok: true });
    const fresh = await limits.checkNewSeries(
      org,
      [{ __name__: 'm1', x: 'd' }, { __name__: 'm2' }],
      { maxActiveSeries: 5, maxSeriesPerMetric: 3 },
    );
    expect(fresh).toEqual({
      newSeries: 2,
      activeSeries: 3,
      exceedsActiveSeries: false,
      exceededMetrics: ['m1'],
      ok: false,
    });
    expect(
      await limits.checkNewSeries(org, [{ __name__: 'm2' }], { maxActiveSeries: 3 }),
    ).toMatchObject({ exceedsActiveSeries: true, ok: false });
  });

  it('keeps series ids per organization behind a series memo, and still bumps last_seen', async () => {
    let now = Date.now();
    const memoWriter = new TsdbWriter(pool, { now: () => now });
    const index = memoWriter.index;
    const limits = new SeriesLimitsService(pool, index, { countCacheMs: 0, now: () => now });
    const [a, b] = [await newOrg(), await newOrg()];
    // One memo and one frozen labels object, as ingest hands them for the same label bytes.
    const labels = Object.freeze({ __name__: 'memo_m', job: 'j' });
    const memo = {};
    const write = (org: string, v: number) =>
      memoWriter.write(org, [
        { labels, memo, timestamps: [now - MINUTE_MS], values: Float64Array.of(v) },
      ]);
    const seriesIds = async (org: string) =>
      withOrgClient(pool, org, async (c) =>
        (await c.query<{ id: string }>(`select id from series where metric = 'memo_m'`)).rows.map(
          (r) => Number(r.id),
        ),
      );

    expect(await write(a, 1)).toMatchObject({ newSeries: 1, samples: 1 });
    const check = (org: string) =>
      limits.checkNewSeries(org, [labels], { maxActiveSeries: 0 }, [memo]);
    expect(await check(a)).toMatchObject({ newSeries: 0, ok: true });
    // The memo now holds organization a's id: organization b must still get a series of its own,
    // and be told the label set is new to it.
    expect(await check(b)).toMatchObject({ newSeries: 1, ok: false });
    expect(await write(b, 2)).toMatchObject({ newSeries: 1, samples: 1 });
    now += 1;
    expect(await write(a, 3)).toMatchObject({ newSeries: 0, samples: 1 });
    const [idA] = await seriesIds(a);
    const [idB] = await seriesIds(b);
    expect(idA).not.toBe(idB);
    const read = async (org: string) =>
      Array.from(
        (
          await reader.select(
            org,
            [
              { name: '__name__', op: '=', value: 'memo_m' },
              { name: 'job', op: '=', value: 'j' },
            ],
            {
              start: now - HOUR_MS,
              end: now + MINUTE_MS,
            },
          )
        )[0].values,
      );
    expect(await read(a)).toEqual([1, 3]);
    expect(await read(b)).toEqual([2]);

    // A memo hit bumps last_seen once it is older than the refresh interval, as a cache hit does.
    const lastSeen = async () =>
      withOrgClient(pool, a, async (c) =>
        Number(
          (
            await c.query<{ t: string }>(
              `select extract(epoch from last_seen) * 1000 as t from series where id = $1`,
              [idA],
            )
          ).rows[0].t,
        ),
      );
    const before = await lastSeen();
    await owner.query(`update series set last_seen = last_seen - interval '1 hour' where id = $1`, [
      idA,
    ]);
    now += index.lastSeenRefreshMs;
    await write(a, 4);
    expect(await lastSeen()).toBeGreaterThanOrEqual(before);

    // Another labels object with the same memo is a miss, never the memo's series.
    const other = Object.freeze({ __name__: 'memo_m', job: 'k' });
    await memoWriter.write(a, [
      { labels: other, memo, timestamps: [now - MINUTE_MS], values: Float64Array.of(5) },
    ]);
    expect((await seriesIds(a)).length).toBe(2);
    expect(await read(a)).toEqual([1, 3, 4]);

    // Equal labels through two memos in one write, new to the index: one series, one run of
    // samples in the log, the first given winning a shared timestamp.
    const twin = () => Object.freeze({ __name__: 'memo_m', job: 'twin' });
    const t = now - MINUTE_MS;
    const result = await memoWriter.write(a, [
      { labels: twin(), memo: {}, timestamps: [t, t + 2], values: Float64Array.of(6, 8) },
      { labels: twin(), memo: {}, timestamps: [t, t + 1], values: Float64Array.of(60, 7) },
    ]);
    expect(result).toMatchObject({ series: 1, newSeries: 1, samples: 4 });
    expect((await seriesIds(a)).length).toBe(3);
    const [twinSeries] = await reader.select(
      a,
      [
        { name: '__name__', op: '=', value: 'memo_m' },
        { name: 'job', op: '=', value: 'twin' },
      ],
      { start: now - HOUR_MS, end: now + MINUTE_MS },
    );
    expect(Array.from(twinSeries.timestamps)).toEqual([t, t + 1, t + 2]);
    expect(Array.from(twinSeries.values)).toEqual([6, 7, 8]);
  });

  it('writes columns as it writes series: known series straight to the log, anything else merged and bounded', async () => {
    const colWriter = new TsdbWriter(pool);
    const [a, b] = [await newOrg(), await newOrg()];
    const mk = (job: string) => Object.freeze({ __name__: 'col_m', job });
    const [x, y, xTwin] = [mk('x'), mk('y'), mk('x')];
    const [mx, my, mTwin] = [{}, {}, {}];
    const t = alignedPast(HOUR_MS, MINUTE_MS);
    const cols = (
      labels: Readonly<Record<string, string>>[],
      memos: object[],
      runs: number[][],
      values: Float64Array,
    ) => {
      const first = new Uint32Array(runs.length + 1);
      runs.forEach((r, i) => (first[i + 1] = first[i] + r.length));
      return {
        count: runs.length,
        labels,
        memos,
        first,
        timestamps: Float64Array.from(runs.flat()),
        values,
      };
    };
    const read = async (org: string, job: string) => {
      const [s] = await reader.select(
        org,
        [
          { name: '__name__', op: '=', value: 'col_m' },
          { name: 'job', op: '=', value: job },
        ],
        { start: t - DAY_MS, end: t + HOUR_MS },
      );
      return s ? { ts: Array.from(s.timestamps), values: words(s.values) } : undefined;
    };

    // New series (resolved through the index), then the same memos again (the fast path), with a
    // staleness marker kept bit for bit.
    const v1 = staleAt(Float64Array.of(1, 2, NaN), 2);
    expect(
      await colWriter.writeColumns(a, cols([x, y], [mx, my], [[t, t + 1000], [t]], v1)),
    ).toMatchObject({ series: 2, newSeries: 2, samples: 3, outOfBounds: 0 });
    const v2 = staleAt(Float64Array.of(3, 0), 1);
    expect(
      await colWriter.writeColumns(a, cols([x, y], [mx, my], [[t + 2000], [t + 1000]], v2)),
    ).toMatchObject({ series: 2, newSeries: 0, samples: 2, outOfBounds: 0 });
    expect(await read(a, 'x')).toEqual({
      ts: [t, t + 1000, t + 2000],
      values: words(Float64Array.of(1, 2, 3)),
    });
    expect(await read(a, 'y')).toEqual({
      ts: [t, t + 1000],
      values: words(staleAt(staleAt(new Float64Array(2), 0), 1)),
    });

    // Equal labels through a second memo: one series, the first given winning the timestamp.
    expect(
      await colWriter.writeColumns(
        a,
        cols(
          [x, xTwin],
          [mx, mTwin],
          [[t + 3000], [t + 3000, t + 4000]],
          Float64Array.of(5, 50, 6),
        ),
      ),
    ).toMatchObject({ series: 1, newSeries: 0, samples: 3 });
    // A series given twice, out of order, or out of bounds takes write()'s path.
    expect(
      await colWriter.writeColumns(
        a,
        cols([y, y], [my, my], [[t + 6000, t + 5000], [t - 30 * DAY_MS]], Float64Array.of(8, 7, 0)),
      ),
    ).toMatchObject({ series: 1, samples: 2, outOfBounds: 1 });
    expect((await read(a, 'x'))!.ts).toEqual([t, t + 1000, t + 2000, t + 3000, t + 4000]);
    expect((await read(a, 'x'))!.values).toEqual(words(Float64Array.of(1, 2, 3, 5, 6)));
    expect((await read(a, 'y'))!.ts).toEqual([t, t + 1000, t + 5000, t + 6000]);

    // The same memos for another organization: its own series.
    expect(
      await colWriter.writeColumns(b, cols([x], [mx], [[t]], Float64Array.of(9))),
    ).toMatchObject({ series: 1, newSeries: 1, samples: 1 });
    expect(await read(b, 'x')).toEqual({ ts: [t], values: words(Float64Array.of(9)) });
    expect(await read(b, 'y')).toBeUndefined();

    // A write of known series is one statement outside a transaction block: the organization
    // setting it makes for row-level security ends with it, on a connection the pool reuses.
    const onePool = createPgPool(process.env.DATABASE_APP_URL!, 1);
    try {
      const oneWriter = new TsdbWriter(onePool);
      const z = Object.freeze({ __name__: 'col_m', job: 'z' });
      const mz = {};
      for (const [i, v] of [1, 2].entries())
        await oneWriter.writeColumns(b, cols([z], [mz], [[t + i]], Float64Array.of(v)));
      const { rows } = await onePool.query<{ org: string | null }>(
        `select current_setting('app.org_id', true) as org`,
      );
      expect(rows[0].org ?? '').toBe('');
      expect((await read(b, 'z'))!.ts).toEqual([t, t + 1]);
    } finally {
      await onePool.end();
    }
  });

  it('keeps the first-logged sample of a timestamp, splits requests by block, and folds the log into chunks', async () => {
    const org = await newOrg();
    const block = alignedPast(5 * HOUR_MS, BLOCK_MS);
    const labels = { __name__: 'folded', job: 'j' };
    const values = Float64Array.from([1, NaN, 3, 4]);
    setStaleNaNAt(values, 2);
    // Out of order within the request, and across the block boundary.
    const ts = [block + 60_000, block + 30_000, block + BLOCK_MS - 1, block + BLOCK_MS];
    await writer.write(org, [{ labels, timestamps: ts, values }]);
    const logRows = await owner.query(
      `select block_start::float8 as b, count from sample_log where org_id = $1 order by id`,
      [org],
    );
    expect(logRows.rows).toEqual([
      { b: block, count: 3 },
      { b: block + BLOCK_MS, count: 1 },
    ]);
    // A later request with other values for two of the timestamps, and a new one: the first
    // logged values stay, before and after folding.
    await writer.write(org, [
      { labels, timestamps: [block + 30_000, block + 60_000, block + 90_000], values: [9, 9, 5] },
    ]);
    const want = {
      ts: [block + 30_000, block + 60_000, block + 90_000, block + BLOCK_MS - 1, block + BLOCK_MS],
      words: words(staleAt(Float64Array.from([NaN, 1, 5, 0, 4]), 3)),
      stale: 3,
    };
    // The stale marker's word pattern must survive, so compare words (values[2] is stale).
    const expectRead = async () => {
      const [s] = await reader.select(org, [{ name: 'job', op: '=', value: 'j' }], {
        start: block,
        end: block + 2 * BLOCK_MS,
      });
      expect(Array.from(s.timestamps)).toEqual(want.ts);
      expect(words(s.values)).toEqual(want.words);
      expect(isStaleNaNAt(s.values, want.stale)).toBe(true);
      expect(isStaleNaNAt(s.values, 0)).toBe(false);
      // A narrower range reads only its part of the log and chunks.
      const [part] = await reader.select(org, [{ name: 'job', op: '=', value: 'j' }], {
        start: block + 45_000,
        end: block + 90_000,
      });
      expect(Array.from(part.timestamps)).toEqual([block + 60_000, block + 90_000]);
    };
    await expectRead();
    const flusher = new LogFlusher(pool, { rowsPerTransaction: 2 });
    expect(await flusher.flush(org)).toEqual({ rows: 3, samples: 7, chunks: 3 });
    await expectRead();
    const versions = async () =>
      (
        await owner.query(
          `select get_byte(data, 0) as v from sample_chunks where org_id = $1 order by block_start`,
          [org],
        )
      ).rows.map((r) => r.v);
    // Open (uncompressed) chunks until the compactor seals the blocks once they are due.
    expect(await versions()).toEqual([0x53, 0x53]);
    expect(await flusher.flush(org)).toEqual({ rows: 0, samples: 0, chunks: 0 });
    // Re-sending after the fold changes nothing either.
    await writer.write(org, [{ labels, timestamps: ts, values: [7, 7, 7, 7] }]);
    await expectRead();
    await flusher.flush(org);
    await expectRead();
    expect(await flusher.pendingOrgs()).not.toContain(org);
    // Later samples are appended to the open chunk; one inside the chunk's range is merged
    // (the open chunk rewritten), and in one flush a timestamp logged twice keeps the first.
    await writer.write(org, [{ labels, timestamps: [block + BLOCK_MS + 15_000], values: [8] }]);
    await flusher.flush(org);
    await writer.write(org, [
      { labels, timestamps: [block + 100_000, block + BLOCK_MS + 30_000], values: [2, 9] },
    ]);
    await writer.write(org, [
      {
        labels,
        timestamps: [block + BLOCK_MS + 15_000, block + BLOCK_MS + 30_000],
        values: [7, 7],
      },
    ]);
    await flusher.flush(org);
    expect(await versions()).toEqual([0x53, 0x53]);
    const meta = await owner.query(
      `select min_ts::float8 as lo, max_ts::float8 as hi, count, length(data) as bytes
         from sample_chunks where org_id = $1 order by block_start`,
      [org],
    );
    expect(meta.rows).toEqual([
      { lo: block + 30_000, hi: block + BLOCK_MS - 1, count: 5, bytes: 1 + 16 * 5 },
      { lo: block + BLOCK_MS, hi: block + BLOCK_MS + 30_000, count: 3, bytes: 1 + 16 * 3 },
    ]);
    want.ts.splice(3, 0, block + 100_000);
    want.ts.push(block + BLOCK_MS + 15_000, block + BLOCK_MS + 30_000);
    want.words = words(staleAt(Float64Array.from([NaN, 1, 5, 2, 0, 4, 8, 9]), 4));
    want.stale = 4;
    await expectRead();
    await new Compactor(pool).compactDue(org);
    expect(await versions()).toEqual([2, 2]);
    await expectRead();
    // A late sample for a sealed block keeps it sealed.
    await writer.write(org, [{ labels, timestamps: [block + 120_000], values: [6] }]);
    await new LogFlusher(pool).flush(org);
    expect(await versions()).toEqual([2, 2]);
    want.ts.splice(4, 0, block + 120_000);
    want.words.splice(4, 0, words(Float64Array.of(6))[0]);
    want.stale = 5;
    await expectRead();
  });

  it('never misses or doubles a sample while the log is folded under concurrent reads', async () => {
    const org = await newOrg();
    const block = alignedPast(5 * HOUR_MS, BLOCK_MS);
    const rounds = 30;
    const labels = Array.from({ length: 10 }, (_, i) => ({ __name__: 'race', i: String(i) }));
    const flusher = new LogFlusher(pool, { rowsPerTransaction: 3 });
    let writing = true;
    const writes = (async () => {
      for (let r = 0; r < rounds; r++) {
        await writer.write(
          org,
          labels.map((l) => ({ labels: l, timestamps: [block + r * 15_000], values: [r] })),
        );
      }
      writing = false;
    })();
    const flushes = (async () => {
      while (writing) await flusher.flush(org);
    })();
    const reads = (async () => {
      let seen = 0;
      while (writing) {
        const got = await reader.select(org, [{ name: '__name__', op: '=', value: 'race' }], {
          start: block,
          end: block + BLOCK_MS,
        });
        for (const s of got) {
          // Each sample once, in order, and none that was already visible goes missing.
          const v = Array.from(s.values);
          expect(v).toEqual(Array.from({ length: v.length }, (_, r) => r));
        }
        const min = Math.min(...got.map((s) => s.values.length));
        expect(min).toBeGreaterThanOrEqual(seen);
        if (got.length === labels.length) seen = min;
      }
    })();
    await Promise.all([writes, flushes, reads]);
    await flusher.flush(org);
    const got = await reader.select(org, [{ name: '__name__', op: '=', value: 'race' }], {
      start: block,
      end: block + BLOCK_MS,
    });
    expect(got).toHaveLength(10);
    for (const s of got)
      expect(Array.from(s.values)).toEqual(Array.from({ length: rounds }, (_, r) => r));
    const chunks = await owner.query(
      `select count(*)::int as rows, sum(count)::int as n from sample_chunks where org_id = $1`,
      [org],
    );
    expect(chunks.rows[0]).toEqual({ rows: 10, n: 10 * rounds });
  });

  it("defers the worker's fold until the log has waited long enough or grown large enough", async () => {
    const org = await newOrg();
    const block = alignedPast(5 * HOUR_MS, BLOCK_MS);
    let now = 1_000_000;
    const flusher = new LogFlusher(pool, { foldAfterMs: 10_000, foldAtSamples: 6, now: () => now });
    const labels = Array.from({ length: 2 }, (_, i) => ({ __name__: 'due', i: String(i) }));
    const scrape = (r: number) =>
      writer.write(
        org,
        labels.map((l) => ({ labels: l, timestamps: [block + r * 15_000], values: [r] })),
      );
    const read = async () =>
      (
        await reader.select(org, [{ name: '__name__', op: '=', value: 'due' }], {
          start: block,
          end: block + BLOCK_MS,
        })
      ).map((s) => Array.from(s.values));
    const logged = async () =>
      Number(
        (await owner.query(`select count(*) as n from sample_log where org_id = $1`, [org])).rows[0]
          .n,
      );

    expect(await flusher.flushDue(org)).toEqual({ rows: 0, samples: 0, chunks: 0 });
    await scrape(0);
    // First seen pending now: deferred, and readers see the samples in the log meanwhile.
    expect(await flusher.flushDue(org)).toEqual({ deferred: true, rows: 0, samples: 0, chunks: 0 });
    now += 9_999;
    await scrape(1);
    expect((await flusher.flushDue(org)).deferred).toBe(true);
    expect(await read()).toEqual([
      [0, 1],
      [0, 1],
    ]);
    now += 1;
    expect(await flusher.flushDue(org)).toEqual({ rows: 2, samples: 4, chunks: 2 });
    expect(await logged()).toBe(0);
    expect(await read()).toEqual([
      [0, 1],
      [0, 1],
    ]);

    // The age counts again from the next time the log is found pending; the sample bound
    // folds before it.
    await scrape(2);
    expect((await flusher.flushDue(org)).deferred).toBe(true);
    await scrape(3);
    expect((await flusher.flushDue(org)).deferred).toBe(true);
    await scrape(4);
    expect(await flusher.flushDue(org)).toEqual({ rows: 3, samples: 6, chunks: 2 });
    // flush() folds whatever the bounds (compaction and rollups need every sample in chunks).
    await scrape(5);
    expect(await flusher.flush(org)).toEqual({ rows: 1, samples: 2, chunks: 2 });
    expect(await read()).toEqual([
      [0, 1, 2, 3, 4, 5],
      [0, 1, 2, 3, 4, 5],
    ]);
  });
});
