import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createPgPool } from '@tocsin/db';
import { Compactor, DAY_MS, PartitionManager, PgSeriesReader, TsdbWriter } from '@tocsin/tsdb';
import { createEngine, MemorySeriesReader } from '../index';
import {
  conformanceExpressions,
  conformanceWindow,
  diffPromData,
  INSTANT_ONLY,
} from './conformance-cases';
import { generateConformanceData } from './conformance-data';

// The engine over the PostgreSQL-backed reader (app role, RLS on) must answer exactly as over
// the in-memory reader the Prometheus conformance test vouches for: same matchers, same
// ranges, staleness markers intact.

const { END, START, FIXED } = conformanceWindow(Date.now());
const EXPRESSIONS = conformanceExpressions(FIXED);

describe('PromQL over PgSeriesReader', () => {
  let owner: Client;
  let pool: Pool;
  let org: string;
  let otherOrg: string;
  const memory = new MemorySeriesReader();

  async function newOrg(): Promise<string> {
    const id = randomUUID();
    await owner.query(`insert into organizations (id, slug, name) values ($1, $2, 'o')`, [
      id,
      `s-${id}`,
    ]);
    return id;
  }

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    pool = createPgPool(process.env.DATABASE_APP_URL!, 4);
    org = await newOrg();
    otherOrg = await newOrg();
    const data = generateConformanceData(END, 2 * 3_600_000);
    const writer = new TsdbWriter(pool);
    await writer.write(org, data);
    // Another tenant's identical series must never leak into the first one's answers.
    await writer.write(
      otherOrg,
      data.map((s) => ({ ...s, values: s.values.map((v) => v * 1000) })),
    );
    for (const s of data) {
      memory.add(
        'mem',
        s.labels,
        s.timestamps.map((t, i) => ({ t, v: s.values[i], stale: s.stale[i] })),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await owner.end();
    await pool.end();
  });

  /**
   * The engine's answers over PostgreSQL and over memory for every expression: instant ones at
   * three times, range ones from an unaligned start at a 1-minute step. Returns the differences
   * and how many instant answers were non-empty.
   */
  async function compare(
    orgId: string,
    mem: MemorySeriesReader,
    w: { END: number; START: number; FIXED: number },
  ): Promise<{ failures: string[]; nonEmpty: number }> {
    const pgEngine = createEngine({ reader: new PgSeriesReader(pool) });
    const memEngine = createEngine({ reader: mem });
    const failures: string[] = [];
    let nonEmpty = 0;
    const expressions = conformanceExpressions(w.FIXED);
    for (const t of [w.END, w.START + 45 * 60_000, w.START + 301 * 15_000]) {
      for (const expr of [...expressions, ...INSTANT_ONLY]) {
        const want = await memEngine.instantQuery('mem', expr, t);
        const got = await pgEngine.instantQuery(orgId, expr, t).catch((e: Error) => e);
        if (got instanceof Error) failures.push(`instant ${expr} @${t}: threw ${got.message}`);
        else {
          const d = diffPromData(expr, want, got);
          if (d) failures.push(`instant ${expr} @${t}: ${d}`);
          if (!Array.isArray(want.result) || want.result.length > 0) nonEmpty++;
        }
      }
    }
    const start = w.START + 20 * 60_000 + 13_000;
    for (const expr of expressions) {
      const want = await memEngine.rangeQuery('mem', expr, start, w.END, 60_000);
      const got = await pgEngine
        .rangeQuery(orgId, expr, start, w.END, 60_000)
        .catch((e: Error) => e);
      if (got instanceof Error) failures.push(`range ${expr}: threw ${got.message}`);
      else {
        const d = diffPromData(expr, want, got);
        if (d) failures.push(`range ${expr}: ${d}`);
      }
    }
    return { failures, nonEmpty };
  }

  it('answers instant and range queries like the in-memory reader', async () => {
    const { failures, nonEmpty } = await compare(org, memory, { END, START, FIXED });
    expect(failures).toEqual([]);
    expect(nonEmpty).toBeGreaterThan(EXPRESSIONS.length * 2);
  }, 120_000);

  it('answers the same from a day row followed by 2 h chunks, across the day boundary', async () => {
    // The same data two hours around yesterday's start, so the windows cross a day boundary.
    const dayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
    const w = conformanceWindow(dayStart + 3_600_000 + 2 * 60_000);
    const data = generateConformanceData(w.END, 2 * 3_600_000);
    const dayOrg = await newOrg();
    await new PartitionManager(pool).ensureRange(w.START, w.END);
    await new TsdbWriter(pool).write(dayOrg, data);
    const r = await new Compactor(pool, { graceMs: 0 }).compactDue(dayOrg, 1000);
    // The first day's last block is sealed: day rows; the second day's hour stays in 2 h chunks.
    expect(r.dayRows).toBe(data.length);
    const rows = await owner.query(
      `select (select count(*)::int from sample_days where org_id = $1) as days,
              (select count(*)::int from sample_chunks where org_id = $1) as chunks`,
      [dayOrg],
    );
    expect(rows.rows[0]).toEqual({ days: data.length, chunks: data.length });
    const mem = new MemorySeriesReader();
    for (const s of data) {
      mem.add(
        'mem',
        s.labels,
        s.timestamps.map((t, i) => ({ t, v: s.values[i], stale: s.stale[i] })),
      );
    }
    const { failures, nonEmpty } = await compare(dayOrg, mem, w);
    expect(failures).toEqual([]);
    expect(nonEmpty).toBeGreaterThan(EXPRESSIONS.length * 2);
  }, 120_000);
});
