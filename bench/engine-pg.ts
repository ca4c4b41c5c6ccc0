// The PromQL engine over PgSeriesReader in process, on a database `bench:query` kept with
// BENCH_KEEP_DB=1: per query the median of select (the fetch phase's wall time) and evaluation,
// and a digest of the answer so that two builds can be compared for identical results.
//   node dist/bench/engine-pg.js --db tocsin_bench_query_… [--runs 20] [--warm 2] [--only 7d]
// Env: DATABASE_URL (server; the database is the --db one), DATABASE_APP_PASSWORD.
// `cpu` is this process's CPU time per query (median), less moved by other work on the machine
// than the wall times. The ranges are bench:query's, ending at the kept data's last sample (the
// data does not move with the clock), so the windows line up as they did in that run.
import { createHash } from 'node:crypto';
import { appUrlFrom } from '@tocsin/config';
import { createPgPool } from '@tocsin/db';
import { createEngine, type QueryResult } from '@tocsin/promql';
import { DAY_MS, HOUR_MS, PgSeriesReader, type SeriesReader } from '@tocsin/tsdb';
import { Client } from 'pg';
import { median, stringFlag } from './support/bench-infra';

const QUERIES = [
  ['sum(rate)', 'sum(rate(http_requests_total[5m]))'],
  ['sum by job (rate)', 'sum by (job) (rate(http_requests_total[5m]))'],
  [
    'histogram_quantile 0.99',
    'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
  ],
  ['avg_over_time 1h', 'avg_over_time(node_memory_usage_bytes[1h])'],
  ['max by instance', 'max by (instance) (node_cpu_temperature_celsius)'],
  ['topk 5 sum by instance', 'topk(5, sum by (instance) (rate(http_requests_total[5m])))'],
] as const;

/** A digest of an answer's labels (in name order), timestamps and value bits. */
function digest(res: QueryResult): string {
  const h = createHash('sha256');
  if (res.resultType !== 'matrix') return h.update(JSON.stringify(res)).digest('hex').slice(0, 12);
  for (const s of res.series) {
    h.update(JSON.stringify(Object.entries(s.labels).sort()));
    h.update(Buffer.from(Float64Array.from(s.timestamps).buffer));
    h.update(Buffer.from(Float64Array.from(s.values).buffer));
  }
  return h.digest('hex').slice(0, 12);
}

async function main(): Promise<void> {
  const db = stringFlag('db', '');
  if (!db) throw new Error('--db <kept bench:query database> is required');
  const runs = Number(stringFlag('runs', '20'));
  const warm = Number(stringFlag('warm', '2'));
  const only = stringFlag('only', '');
  const server = new URL(
    process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  );
  server.pathname = `/${db}`;
  const owner = new Client({ connectionString: server.toString() });
  await owner.connect();
  const { rows: orgs } = await owner.query<{ id: string }>('SELECT id FROM organizations');
  const { rows: last } = await owner.query<{ t: string }>(
    'SELECT greatest((SELECT max(max_ts) FROM sample_chunks), (SELECT max(max_ts) FROM sample_days)) AS t',
  );
  await owner.end();
  const orgId = orgs[0].id;
  const end = Number(last[0].t);
  const pool = createPgPool(
    appUrlFrom(server.toString(), process.env.DATABASE_APP_PASSWORD ?? 'tocsin_app'),
    6,
  );
  const pg = new PgSeriesReader(pool);
  let fetch0 = 0;
  let fetch1 = 0;
  const timed: SeriesReader = {
    select: async (o, m, h) => {
      const t = performance.now();
      if (!fetch0) fetch0 = t;
      const out = await pg.select(o, m, h);
      fetch1 = Math.max(fetch1, performance.now());
      return out;
    },
    series: (...a) => pg.series(...a),
    labelNames: (...a) => pg.labelNames(...a),
    labelValues: (...a) => pg.labelValues(...a),
    selectRollup: (...a) => pg.selectRollup(...a),
  };
  const engine = createEngine({ reader: timed });
  const ranges = [
    { name: '7d', start: end - 7 * DAY_MS, step: 1200_000 },
    { name: '1h', start: end - HOUR_MS, step: 15_000 },
  ].filter((r) => !only || r.name === only);
  const totals: Record<string, number[]> = {};
  for (const range of ranges) {
    for (const [name, expr] of QUERIES) {
      const sel: number[] = [];
      const tot: number[] = [];
      const cpu: number[] = [];
      let d = '';
      for (let k = 0; k < warm + runs; k++) {
        fetch0 = fetch1 = 0;
        const c = process.cpuUsage();
        const t = performance.now();
        const res = await engine.rangeQueryRaw(orgId, expr, range.start, end, range.step);
        const total = performance.now() - t;
        const used = process.cpuUsage(c);
        d = digest(res);
        if (k >= warm) {
          sel.push(fetch1 - fetch0);
          tot.push(total);
          cpu.push((used.user + used.system) / 1000);
        }
      }
      const s = median(sel);
      const t = median(tot);
      (totals[range.name] ??= []).push(t);
      console.log(
        `${`${range.name} ${name}`.padEnd(30)} total ${t.toFixed(1).padStart(6)}  select ${s.toFixed(1).padStart(6)}  evaluate ${(t - s).toFixed(1).padStart(5)}  cpu ${median(cpu).toFixed(1).padStart(5)}  answer ${d}`,
      );
    }
  }
  for (const [name, xs] of Object.entries(totals)) {
    const geo = Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
    console.log(`geometric mean of ${name} totals: ${geo.toFixed(1)} ms`);
  }
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
