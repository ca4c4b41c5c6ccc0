import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createPgPool } from '@tocsin/db';
import {
  Compactor,
  DAY_MS,
  HOUR_MS,
  PgSeriesReader,
  RollupService,
  TsdbWriter,
  staleNaN,
  type SeriesReader,
} from '@tocsin/tsdb';
import { createEngine } from './engine';
import { ROLLUP_FUNCTIONS } from './rollup-functions';

// The engine over PostgreSQL with rollups (compressed chunks, packed 1h day rows, dirty markers)
// must answer exactly as the same reader restricted to raw samples: hour-aligned windows from
// rollups, every other query from chunks read by step windows.

describe('PromQL over PgSeriesReader with rollups', () => {
  let owner: Client;
  let pool: Pool;
  let org: string;
  // Across a UTC midnight, so 1h windows span two packed day rows: the latest midnight at least
  // 9 h ago, from 5 h before it to 5 h after (all rolled: the end is ≥ 4 h ago).
  const midnight = Math.floor((Date.now() - 9 * HOUR_MS) / DAY_MS) * DAY_MS;
  const start = midnight - 5 * HOUR_MS;
  const end = start + 10 * HOUR_MS;

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    pool = createPgPool(process.env.DATABASE_APP_URL!, 4);
    org = randomUUID();
    await owner.query(`insert into organizations (id, slug, name) values ($1, $2, 'o')`, [
      org,
      `s-${org}`,
    ]);
    let seed = 3;
    const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 0x1_0000_0000;
    const series = [0, 1, 2, 3, 4, 5].map((n) => {
      const timestamps: number[] = [];
      const values: number[] = [];
      let v = 0;
      for (let t = start + n * 1000; t < end; t += 20_000 + Math.floor(rand() * 30_000)) {
        // Some samples exactly on the hour, where windows begin and end.
        const at = rand() < 0.03 ? Math.ceil(t / HOUR_MS) * HOUR_MS : t;
        if (timestamps.length && at <= timestamps[timestamps.length - 1]) continue;
        if (n % 2 === 0) v = rand() < 0.01 ? Math.floor(rand() * 3) : v + Math.floor(rand() * 50);
        else v = rand() < 0.03 ? NaN : Math.round(rand() * 1e4) / 100;
        timestamps.push(at);
        values.push(n % 2 === 1 && rand() < 0.01 ? staleNaN() : v);
      }
      return {
        labels: { __name__: n % 2 === 0 ? 'c_total' : 'g', n: String(n) },
        timestamps,
        values: Float64Array.from(values),
      };
    });
    await new TsdbWriter(pool).write(org, series);
    await new Compactor(pool, { graceMs: 0 }).compactDue(org, 1000);
    const rollups = new RollupService(pool);
    while ((await rollups.rollupDirty(org)).hours > 0);
  }, 60_000);

  afterAll(async () => {
    await owner.end();
    await pool.end();
  });

  it('answers from rollups exactly as from raw samples, and falls back to raw while buckets are dirty', async () => {
    const pg = new PgSeriesReader(pool);
    const answered: Array<number | null> = [];
    const withRollups: SeriesReader = {
      select: (...a) => pg.select(...a),
      series: (...a) => pg.series(...a),
      labelNames: (...a) => pg.labelNames(...a),
      labelValues: (...a) => pg.labelValues(...a),
      selectRollup: async (...a) => {
        const res = await pg.selectRollup(...a);
        answered.push(res.dirtyFrom);
        return res;
      },
    };
    const rawOnly: SeriesReader = {
      select: (...a) => pg.select(...a),
      series: (...a) => pg.series(...a),
      labelNames: (...a) => pg.labelNames(...a),
      labelValues: (...a) => pg.labelValues(...a),
    };
    const rolled = createEngine({ reader: withRollups });
    const raw = createEngine({ reader: rawOnly });
    const compare = async (expr: string, from: number, step: number) => {
      const want = await raw.rangeQuery(org, expr, from, end, step);
      expect([expr, await rolled.rangeQuery(org, expr, from, end, step)]).toEqual([expr, want]);
      return want;
    };
    let nonEmpty = 0;
    for (const func of ROLLUP_FUNCTIONS)
      for (const metric of ['c_total', 'g'])
        for (const range of ['1h', '3h']) {
          const res = await compare(`${func}(${metric}[${range}])`, start + 3 * HOUR_MS, HOUR_MS);
          if (res.result.length) nonEmpty++;
        }
    expect(nonEmpty).toBeGreaterThan(ROLLUP_FUNCTIONS.size);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((d) => d === null)).toBe(true);
    // Step windows over chunks (a quarter of the samples) and instant selectors' lookback.
    for (const expr of ['rate(c_total[5m])', 'max_over_time(g[7m])', 'g', 'c_total offset 3m'])
      await compare(expr, start + 17_000, 20 * 60_000);

    // A late sample marks its minute and hour dirty: raw samples answer (with it) until rolled.
    answered.length = 0;
    await new TsdbWriter(pool).write(org, [
      { labels: { __name__: 'g', n: '1' }, timestamps: [start + 4 * HOUR_MS + 1], values: [1e6] },
    ]);
    const late = await compare('max_over_time(g[1h])', start + 3 * HOUR_MS, HOUR_MS);
    expect(answered).toEqual([start + 4 * HOUR_MS]);
    expect(JSON.stringify(late)).toContain('"1000000"');
    await new RollupService(pool).rollupDirty(org);
    answered.length = 0;
    await compare('max_over_time(g[1h])', start + 3 * HOUR_MS, HOUR_MS);
    expect(answered).toEqual([null]);
  }, 120_000);
});
