import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createPgPool } from '@tocsin/db';
import { PgSeriesReader, TsdbWriter } from '@tocsin/tsdb';
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

  it('answers instant and range queries like the in-memory reader', async () => {
    const pgEngine = createEngine({ reader: new PgSeriesReader(pool) });
    const memEngine = createEngine({ reader: memory });
    const failures: string[] = [];
    let nonEmpty = 0;
    for (const t of [END, START + 45 * 60_000, START + 301 * 15_000]) {
      for (const expr of [...EXPRESSIONS, ...INSTANT_ONLY]) {
        const want = await memEngine.instantQuery('mem', expr, t);
        const got = await pgEngine.instantQuery(org, expr, t).catch((e: Error) => e);
        if (got instanceof Error) failures.push(`instant ${expr} @${t}: threw ${got.message}`);
        else {
          const d = diffPromData(expr, want, got);
          if (d) failures.push(`instant ${expr} @${t}: ${d}`);
          if (!Array.isArray(want.result) || want.result.length > 0) nonEmpty++;
        }
      }
    }
    const start = START + 20 * 60_000 + 13_000;
    for (const expr of EXPRESSIONS) {
      const want = await memEngine.rangeQuery('mem', expr, start, END, 60_000);
      const got = await pgEngine.rangeQuery(org, expr, start, END, 60_000).catch((e: Error) => e);
      if (got instanceof Error) failures.push(`range ${expr}: threw ${got.message}`);
      else {
        const d = diffPromData(expr, want, got);
        if (d) failures.push(`range ${expr}: ${d}`);
      }
    }
    expect(failures).toEqual([]);
    expect(nonEmpty).toBeGreaterThan(EXPRESSIONS.length * 2);
  }, 120_000);
});
