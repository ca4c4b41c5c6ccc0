import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type Pool } from 'pg';
import { APP_ROLE, appUrlFrom } from '@tocsin/config';
import { createPgPool, migrate } from '@tocsin/db';
import { aggregateBuckets, type BucketAggregate } from './jobs/rollup-math';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  PgSeriesReader,
  RollupService,
  type RollupSeries,
} from './index';

// 20261127100000_rollup_packed moves per-bucket rollup rows into packed day rows. This applies
// the migrations before it to a database of its own, fills the old layout as the old rollup job
// did, applies the rest, and checks that readers see the same buckets bit for bit — before and
// after the rollup job re-packs the hours still within raw retention.

const PACKED = '20261127100000_rollup_packed';
const root = join(__dirname, '..', '..', '..');
const COLS = [
  'bucket',
  'count',
  'resets',
  'changes',
  'sum',
  'sumSq',
  'min',
  'max',
  'firstTs',
  'firstValue',
  'lastTs',
  'lastValue',
  'counterCorrection',
] as const;

function bits(xs: Float64Array): string[] {
  const w = new Uint32Array(xs.buffer, xs.byteOffset, xs.length * 2);
  return Array.from({ length: xs.length }, (_, i) => `${w[2 * i + 1]}:${w[2 * i]}`);
}

function rollupBits(s: RollupSeries) {
  const { labels, ...cols } = s;
  return { labels, ...Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, bits(v)])) };
}

describe('migration to packed rollup rows', () => {
  const dbName = `tocsin_test_rollpack_${randomBytes(4).toString('hex')}`;
  const password = process.env.DATABASE_APP_PASSWORD ?? 'tocsin_app';
  let ownerUrl: string;
  let owner: Client;
  let pool: Pool;
  let before: string;

  beforeAll(async () => {
    const admin = new Client({ connectionString: process.env.TOCSIN_TEST_SERVER_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    const url = new URL(process.env.TOCSIN_TEST_SERVER_URL!);
    url.pathname = `/${dbName}`;
    ownerUrl = url.toString();
    before = mkdtempSync(join(tmpdir(), 'tocsin-migrations-'));
    const all = join(root, 'prisma', 'migrations');
    for (const name of readdirSync(all))
      if (name < PACKED) cpSync(join(all, name), join(before, name), { recursive: true });
    await migrate({ ownerUrl, migrationsDir: before, appRole: APP_ROLE, appPassword: password });
    owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
  }, 60_000);

  afterAll(async () => {
    await owner?.end();
    await pool?.end();
    rmSync(before, { recursive: true, force: true });
    const admin = new Client({ connectionString: process.env.TOCSIN_TEST_SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('keeps every stored bucket, and re-packs hours within raw retention from raw samples', async () => {
    const org = randomUUID();
    const other = randomUUID();
    for (const id of [org, other])
      await owner.query(
        `insert into organizations (id, slug, name, retention_raw_days) values ($1, $2, 'o', 3)`,
        [id, `s-${id}`],
      );
    const now = Date.now();
    const today = now - (now % DAY_MS);
    await owner.query(`select tsdb_ensure_partitions($1, $2)`, [today - 40 * DAY_MS, now]);
    // One series with raw samples over the last two days; only rollups remain of 10 days ago.
    const { rows } = await owner.query<{ id: string }>(
      `insert into series (org_id, metric, labels, hash) values ($1, 'c', '{"a":"1"}', '\\x01'), ($2, 'c', '{"a":"1"}', '\\x01') returning id`,
      [org, other],
    );
    const [sid, otherSid] = rows.map((r) => Number(r.id));
    // Whole hours only, the last one ended over an hour ago: all due for the rollup job.
    const lastHour = now - (now % HOUR_MS) - HOUR_MS;
    const ts: number[] = [];
    const vs: number[] = [];
    let v = 0;
    for (let t = lastHour - 30 * HOUR_MS + 7_000; t < lastHour; t += 30_000) {
      ts.push(t);
      v = ts.length % 500 === 0 ? 1 : v + (ts.length % 7);
      vs.push(ts.length % 333 === 0 ? NaN : v);
    }
    await owner.query(
      `insert into samples (org_id, series_id, ts, value)
       select $1, $2, t, v from unnest($3::bigint[], $4::float8[]) u(t, v)`,
      [org, sid, ts, vs.map((x) => (Number.isNaN(x) ? 'NaN' : String(x)))],
    );
    const recent = aggregateBuckets(Float64Array.from(ts), Float64Array.from(vs), HOUR_MS);
    const oldTs = Array.from({ length: 240 }, (_, i) => today - 10 * DAY_MS + 3_000 + i * 30_000);
    const old = aggregateBuckets(
      Float64Array.from(oldTs),
      Float64Array.from(oldTs, (_, i) => (i % 40 === 39 ? NaN : i % 13)),
      HOUR_MS,
    );
    const minutes = aggregateBuckets(
      Float64Array.from(oldTs),
      Float64Array.from(oldTs, (_, i) => i),
      MINUTE_MS,
    );
    const insertOld = async (table: string, s: number, o: string, aggs: BucketAggregate[]) => {
      for (const a of aggs)
        await owner.query(
          `insert into ${table} (org_id, series_id, bucket, count, resets, changes, sum, sum_sq, min, max,
                                 first_ts, first_value, last_ts, last_value, counter_correction)
           values ($1, $2, ${COLS.map((_, i) => `$${i + 3}`).join(', ')})`,
          [o, s, ...COLS.map((k) => (Number.isNaN(a[k]) ? 'NaN' : String(a[k])))],
        );
    };
    await insertOld('rollup_1h', sid, org, [...old, ...recent]);
    await insertOld('rollup_1h', otherSid, other, old);
    await insertOld('rollup_1m', sid, org, minutes);

    const res = await migrate({
      ownerUrl,
      migrationsDir: join(root, 'prisma', 'migrations'),
      appRole: APP_ROLE,
      appPassword: password,
    });
    expect(res.applied[0]).toBe(PACKED);
    pool = createPgPool(appUrlFrom(ownerUrl, password), 2);
    const reader = new PgSeriesReader(pool);
    const m = [{ name: '__name__', op: '=' as const, value: 'c' }];
    const expected = (aggs: BucketAggregate[]) => {
      const col = (k: (typeof COLS)[number]) => Float64Array.from(aggs, (a) => a[k]);
      return rollupBits({
        labels: { __name__: 'c', a: '1' },
        buckets: col('bucket'),
        count: col('count'),
        sum: col('sum'),
        sumSquares: col('sumSq'),
        min: col('min'),
        max: col('max'),
        firstTs: col('firstTs'),
        firstValue: col('firstValue'),
        lastTs: col('lastTs'),
        lastValue: col('lastValue'),
        resets: col('resets'),
        changes: col('changes'),
        counterCorrection: col('counterCorrection'),
      });
    };
    const hours = async (from: number, to: number) => {
      const r = await reader.selectRollup(org, m, '1h', from, to);
      return { dirtyFrom: r.dirtyFrom, series: r.series.map(rollupBits) };
    };
    const all = [...old, ...recent];
    // Moved as they were; the hours within raw retention wait to be re-packed.
    expect(await hours(today - 20 * DAY_MS, now)).toEqual({
      dirtyFrom: recent[0].bucket,
      series: [expected(all)],
    });
    expect(await hours(today - 20 * DAY_MS, today - 5 * DAY_MS)).toEqual({
      dirtyFrom: null,
      series: [expected(old)],
    });
    const [min] = (await reader.selectRollup(org, m, '1m', today - 20 * DAY_MS, today - 5 * DAY_MS))
      .series;
    expect(rollupBits(min)).toEqual(expected(minutes));
    // Tenants stay apart in the new tables.
    const [theirs] = (await reader.selectRollup(other, m, '1h', 0, now)).series;
    expect(rollupBits(theirs)).toEqual(expected(old));

    const rollups = new RollupService(pool);
    while ((await rollups.rollupDirty(org)).hours > 0);
    expect(await hours(today - 20 * DAY_MS, now)).toEqual({
      dirtyFrom: null,
      series: [expected(all)],
    });
    const formats = await owner.query<{ day: string; format: number }>(
      `select day, get_byte(data, 0) as format from rollup_1h where org_id = $1 order by day`,
      [org],
    );
    const recentDays = [...new Set(recent.map((a) => a.bucket - (a.bucket % DAY_MS)))];
    expect(formats.rows.map((r) => [Number(r.day), r.format])).toEqual([
      [today - 10 * DAY_MS, 0],
      ...recentDays.map((d) => [d, 1]),
    ]);
    const rls = await owner.query<{ relname: string }>(
      `select relname from pg_class where relname in ('rollup_1m', 'rollup_1h')
          and relrowsecurity and relforcerowsecurity order by relname`,
    );
    expect(rls.rows.map((r) => r.relname)).toEqual(['rollup_1h', 'rollup_1m']);
  }, 60_000);
});
