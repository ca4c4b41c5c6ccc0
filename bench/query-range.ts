// Dashboard query_range latency, Tocsin against Debian's Prometheus 2.42 on the same data.
// Figures are printed, never asserted.
//   npm run bench:query -- [--days 7] [--series 1000] [--interval 30] [--reps 5] [--warmup 20] [--step7d 1200] [--refresh 45]
// The default is the issue's size, 1,000 series × 7 d (20 M samples): about 5 minutes in all
// on the 2-core machine of 27 Nov, most of it Prometheus' own start-up compaction. `--series
// 200` (4 M samples, about 2.5 minutes) is the size sessions 4–9 compared branches at.
// Env: DATABASE_URL / REDIS_URL (default: embedded ones), PROMETHEUS_BIN, PROMTOOL_BIN.
//
// The data (deterministic): per instance (40 = 4 jobs × 10) 10 request counters, a 10-bucket
// histogram (+ _sum, _count), a memory gauge and 2 temperature gauges = 25 series; instances
// restart now and then, resetting their counters. Prometheus gets it by backfill (promtool tsdb
// create-blocks-from openmetrics, one file per 2 h block since promtool re-reads its whole input
// per block), then starts on those blocks and compacts them itself; Tocsin gets it through
// TsdbWriter, then Compactor and RollupService run until nothing is due: both stores in their
// steady state. Queries go over HTTP to each server, the two alternating so that machine load
// falls on both alike.
//
// Both servers first answer the whole query set `--warmup` times, untimed, as servers that have
// been running do: a Node process starting cold runs its first few hundred requests on code V8
// has not optimised yet (s9-qapi measured vector(1) at 2.8 ms in a fresh api's first 35
// requests, 1.3 ms from its 100th on), which a Go binary does not. `--warmup 0` measures a
// freshly started api.
//
// Two figures per query. "Cold": Tocsin's results cache bypassed (Cache-Control: no-cache), every
// run evaluates the whole range as Prometheus does. "Refresh": a Grafana dashboard left open —
// the same range re-asked every --refresh seconds with `now` moving on, start and end aligned to
// the step as Grafana aligns them, Tocsin's cache on; both servers get identical ranges and the
// answers are compared on every run. The cold figure is the one to compare engines by.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createPgPool } from '@tocsin/db';
import {
  BLOCK_MS,
  Compactor,
  DAY_MS,
  HOUR_MS,
  PartitionManager,
  RollupService,
  storageStats,
  TsdbWriter,
} from '@tocsin/tsdb';
import {
  benchOrg,
  cleanup,
  duBytes,
  freshDatabase,
  parseFlags,
  PROMTOOL_BIN,
  requirePrometheus,
  startPrometheus,
  startTocsinApi,
  table,
  tempDir,
} from './support/bench-infra';

const flags = parseFlags(
  {
    days: 7,
    series: 1000,
    interval: 30,
    reps: 5,
    warmup: 20,
    step7d: 1200,
    refresh: 45,
  },
  undefined,
  ['warmup'],
);
const INTERVAL_MS = flags.interval * 1000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

interface Series {
  labels: Record<string, string>;
  values: Float64Array;
}

const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
const BOUNDS = BUCKETS.map((le) => (le === '+Inf' ? Infinity : Number(le)));
const JOBS = ['api', 'web', 'db', 'cache'];
const PER_INSTANCE = 25;

/** The data set: `points` samples per series, `flags.series` series (a multiple of 25). */
function generate(points: number): Series[] {
  const instances = Math.max(1, Math.round(flags.series / PER_INSTANCE));
  const out: Series[] = [];
  const rand = rng(7);
  for (let n = 0; n < instances; n++) {
    const job = JOBS[n % JOBS.length];
    const base = { job, instance: `${job}-${Math.floor(n / JOBS.length)}:9100` };
    // Restarts: roughly one every two days, at deterministic points.
    const restarts = new Set<number>();
    for (let p = Math.floor(rand() * 5760); p < points; p += 2880 + Math.floor(rand() * 5760))
      restarts.add(p);
    const counters = Array.from({ length: 10 }, (_, k) => ({
      labels: {
        __name__: 'http_requests_total',
        ...base,
        method: k < 5 ? 'GET' : 'POST',
        status: ['200', '201', '404', '500', '503'][k % 5],
      },
      values: new Float64Array(points),
      weight: k % 5 === 0 ? 20 : 1 + (k % 3),
    }));
    const buckets = BUCKETS.map((le) => ({
      labels: { __name__: 'http_request_duration_seconds_bucket', ...base, le },
      values: new Float64Array(points),
    }));
    const hSum = {
      labels: { __name__: 'http_request_duration_seconds_sum', ...base },
      values: new Float64Array(points),
    };
    const hCount = {
      labels: { __name__: 'http_request_duration_seconds_count', ...base },
      values: new Float64Array(points),
    };
    const mem = {
      labels: { __name__: 'node_memory_usage_bytes', ...base },
      values: new Float64Array(points),
    };
    const temps = [0, 1].map((core) => ({
      labels: { __name__: 'node_cpu_temperature_celsius', ...base, core: String(core) },
      values: new Float64Array(points),
    }));
    const cum = new Float64Array(BUCKETS.length);
    let sum = 0;
    let memory = 2 ** 30 + Math.floor(rand() * 2 ** 30);
    for (let p = 0; p < points; p++) {
      const reset = restarts.has(p);
      let requests = 0;
      for (const c of counters) {
        const inc = Math.floor(rand() * c.weight * 10);
        requests += inc;
        c.values[p] = reset ? 0 : (p ? c.values[p - 1] : 0) + inc;
      }
      if (reset) {
        cum.fill(0);
        sum = 0;
      }
      for (let r = 0; r < Math.min(requests, 50); r++) {
        const latency = Math.exp(rand() * 7 - 6); // 2.5 ms … 2.7 s, log-uniform
        sum += latency;
        let b = 0;
        while (latency > BOUNDS[b]) b++;
        for (; b < BUCKETS.length; b++) cum[b]++;
      }
      buckets.forEach((b, i) => (b.values[p] = cum[i]));
      hSum.values[p] = Math.round(sum * 1000) / 1000;
      hCount.values[p] = cum[BUCKETS.length - 1];
      memory = reset
        ? 2 ** 30
        : Math.max(2 ** 28, memory + 4096 * Math.floor((rand() - 0.48) * 2000));
      mem.values[p] = memory;
      const day = (p * INTERVAL_MS) / DAY_MS;
      temps.forEach(
        (t, i) =>
          (t.values[p] =
            Math.round((55 + 10 * Math.sin(2 * Math.PI * day) + i + rand() * 3) * 100) / 100),
      );
    }
    out.push(...counters, ...buckets, hSum, hCount, mem, ...temps);
  }
  return out.map(({ labels, values }) => ({ labels, values }));
}

function labelText(labels: Record<string, string>): string {
  const { __name__, ...rest } = labels;
  return `${__name__}{${Object.entries(rest)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')}: ${code}\n${err}`)),
    );
  });
}

function writeAll(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.write(text)) return resolve();
    const fail = (err: Error) => reject(err);
    stream.once('error', fail).once('drain', () => {
      stream.off('error', fail);
      resolve();
    });
  });
}

/** One OpenMetrics file per 2 h block, backfilled by promtool two at a time. */
async function backfillPrometheus(
  series: Series[],
  start: number,
  dataDir: string,
  workDir: string,
): Promise<number> {
  mkdirSync(dataDir, { recursive: true });
  const points = series[0].values.length;
  const files: string[] = [];
  for (
    let blockStart = start - (start % BLOCK_MS);
    blockStart < start + points * INTERVAL_MS;
    blockStart += BLOCK_MS
  ) {
    const from = Math.max(0, Math.ceil((blockStart - start) / INTERVAL_MS));
    const to = Math.min(points, Math.ceil((blockStart + BLOCK_MS - start) / INTERVAL_MS));
    if (from >= to) continue;
    const file = join(workDir, `block-${blockStart}.om`);
    const stream = createWriteStream(file);
    for (const s of series) {
      const prefix = labelText(s.labels);
      let text = '';
      for (let p = from; p < to; p++)
        text += `${prefix} ${s.values[p]} ${(start + p * INTERVAL_MS) / 1000}\n`;
      await writeAll(stream, text);
    }
    await writeAll(stream, '# EOF\n');
    await new Promise<void>((resolve, reject) =>
      stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    files.push(file);
  }
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < files.length) {
        const file = files[next++];
        await run(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, dataDir]);
      }
    }),
  );
  return files.length;
}

interface Query {
  name: string;
  expr: string;
}

const QUERIES: Query[] = [
  { name: 'sum(rate)', expr: 'sum(rate(http_requests_total[5m]))' },
  { name: 'sum by job (rate)', expr: 'sum by (job) (rate(http_requests_total[5m]))' },
  {
    name: 'histogram_quantile 0.99',
    expr: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
  },
  { name: 'avg_over_time 1h', expr: 'avg_over_time(node_memory_usage_bytes[1h])' },
  { name: 'max by instance', expr: 'max by (instance) (node_cpu_temperature_celsius)' },
  {
    name: 'topk 5 sum by instance',
    expr: 'topk(5, sum by (instance) (rate(http_requests_total[5m])))',
  },
];

/** Windows on hour boundaries: answered from 1h rollups (up to the hour not rolled yet). */
const HOURLY_QUERIES: Query[] = [
  { name: 'max_over_time 1h', expr: 'max_over_time(node_cpu_temperature_celsius[1h])' },
  {
    name: 'sum by job (increase 1h)',
    expr: 'sum by (job) (increase(http_requests_total[1h]))',
  },
];

interface Answer {
  ms: number;
  /** Tocsin's Server-Timing durations (select, eval, body, handler), ms; empty for Prometheus. */
  timing: Record<string, number>;
  /** Raw samples Tocsin's selects returned (Server-Timing's select description). */
  samples?: number;
  series: number;
  points: number;
  result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
}

async function queryRange(
  base: string,
  headers: Record<string, string>,
  expr: string,
  start: number,
  end: number,
  stepS: number,
): Promise<Answer> {
  const body = new URLSearchParams({
    query: expr,
    start: String(start / 1000),
    end: String(end / 1000),
    step: String(stepS),
  });
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/query_range`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
    signal: AbortSignal.timeout(300_000),
  });
  const json = (await res.json()) as {
    status: string;
    error?: string;
    data?: { result: Answer['result'] };
  };
  const ms = performance.now() - t0;
  if (json.status !== 'success') throw new Error(`${base}: ${expr}: ${res.status} ${json.error}`);
  const result = json.data!.result;
  const timing: Record<string, number> = {};
  let samples: number | undefined;
  for (const metric of (res.headers.get('server-timing') ?? '').split(',')) {
    const [name, ...params] = metric.trim().split(';');
    for (const param of params) {
      const [k, v] = param.split('=');
      if (k === 'dur') timing[name] = Number(v);
      else if (k === 'desc' && name === 'select') samples = parseInt(v.replace(/"/g, ''), 10);
    }
  }
  return {
    ms,
    timing,
    samples,
    series: result.length,
    points: result.reduce((n, s) => n + s.values.length, 0),
    result,
  };
}

/** Points that differ (relative 1e-6, or present on one side only) between two answers. */
function differences(a: Answer, b: Answer): number {
  const key = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort());
  const bm = new Map(
    b.result.map((s) => [key(s.metric), new Map(s.values.map(([t, v]) => [t, v]))]),
  );
  let diff = 0;
  for (const s of a.result) {
    const other = bm.get(key(s.metric));
    bm.delete(key(s.metric));
    if (!other) {
      diff += s.values.length;
      continue;
    }
    for (const [t, v] of s.values) {
      const w = other.get(t);
      other.delete(t);
      const x = Number(v);
      const y = Number(w);
      if (
        w === undefined ||
        !(
          x === y ||
          Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y)) ||
          (Number.isNaN(x) && Number.isNaN(y))
        )
      )
        diff++;
    }
    diff += other.size;
  }
  for (const rest of bm.values()) diff += rest.size;
  return diff;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const version = requirePrometheus();
  const points = Math.floor((flags.days * DAY_MS) / INTERVAL_MS);
  const end = Math.floor((Date.now() - 5 * 60_000) / INTERVAL_MS) * INTERVAL_MS;
  const start = end - (points - 1) * INTERVAL_MS;
  console.log(`bench:query — query_range, Tocsin vs ${version}`);
  let t0 = performance.now();
  const series = generate(points);
  console.log(
    `  data: ${series.length} series × ${points} samples (${flags.days} d at ${flags.interval} s) = ${((series.length * points) / 1e6).toFixed(1)} M samples, ` +
      `${new Date(start).toISOString()} … ${new Date(end).toISOString()}, generated in ${secs(performance.now() - t0)}`,
  );

  const timings: Record<string, number> = {};
  const work = tempDir('query');
  const promData = join(work, 'prometheus');
  t0 = performance.now();
  const files = await backfillPrometheus(series, start, promData, work);
  timings['Prometheus backfill (promtool)'] = performance.now() - t0;
  console.log(
    `  prometheus: ${files} blocks backfilled in ${secs(timings['Prometheus backfill (promtool)'])}`,
  );

  const db = await freshDatabase('query');
  const org = await benchOrg(db.owner);
  const pool = createPgPool(db.appUrl, 6);
  const writer = new TsdbWriter(pool, { maxSampleAgeMs: (flags.days + 1) * DAY_MS });
  const compactor = new Compactor(pool, { graceMs: 0 });
  const rollups = new RollupService(pool);
  // Day partitions up front: four writers reaching a new day at once race in
  // tsdb_ensure_partitions ("relation samples_d… already exists"), a tsdb bug reported upstream.
  await new PartitionManager(pool).ensureRange(start, end);
  t0 = performance.now();
  let written = 0;
  let compactMs = 0;
  // A 2 h block of every series per round, four writers at once (quarter of the series each);
  // compaction after every simulated day keeps the head as small as it is in production.
  const perBlock = BLOCK_MS / INTERVAL_MS;
  const quarter = Math.ceil(series.length / 4);
  for (let p = 0; p < points; p += perBlock) {
    const q = Math.min(points, p + perBlock);
    const ts = Array.from({ length: q - p }, (_, i) => start + (p + i) * INTERVAL_MS);
    const settled = await Promise.allSettled(
      [0, 1, 2, 3].map((w) =>
        writer.write(
          org.orgId,
          series
            .slice(w * quarter, (w + 1) * quarter)
            .map((s) => ({ labels: s.labels, timestamps: ts, values: s.values.subarray(p, q) })),
        ),
      ),
    );
    // Settled, not all: a failed write must not leave the others running while cleanup drops the database.
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    written += settled.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value.samples : 0), 0);
    if ((p / perBlock) % 12 === 11 || q === points) {
      const c0 = performance.now();
      await compactor.compactDue(org.orgId, 1000);
      compactMs += performance.now() - c0;
      process.stdout.write(
        `\r  tocsin: ${(written / 1e6).toFixed(1)} M samples written and compacted…`,
      );
    }
  }
  timings['Tocsin write (TsdbWriter)'] = performance.now() - t0 - compactMs;
  timings['Tocsin compaction'] = compactMs;
  t0 = performance.now();
  let rolled = 0;
  for (;;) {
    const r = await rollups.rollupDirty(org.orgId);
    rolled += r.rows;
    if (r.minutes + r.hours === 0) break;
    process.stdout.write(`\r  tocsin: ${rolled} rollup rows…                         `);
  }
  timings['Tocsin rollups (1m, 1h)'] = performance.now() - t0;
  await pool.end();
  await db.owner.query('VACUUM ANALYZE');
  const asWritten = await storageStats(db.owner);
  // Open chunks are appended to in place, so each flush leaves the previous TOAST value behind
  // until VACUUM lets later writes reuse the space; how much is left depends on how writes and
  // autovacuum interleaved on the day. The live size is what rests (as bench:ingest measures).
  await db.owner.query('VACUUM FULL sample_chunks');
  await db.owner.query('VACUUM FULL sample_days');
  await db.owner.query('VACUUM FULL rollup_1m');
  await db.owner.query('VACUUM FULL rollup_1h');
  const stats = await storageStats(db.owner);
  console.log(
    `\r  tocsin: ${written} samples written in ${secs(timings['Tocsin write (TsdbWriter)'])} ` +
      `(${Math.round(written / (timings['Tocsin write (TsdbWriter)'] / 1000))}/s), compacted in ${secs(compactMs)}, ` +
      `${rolled} rollup rows in ${secs(timings['Tocsin rollups (1m, 1h)'])}; head ${stats.headSamples} samples; ` +
      `as written: chunks + rollups ${asWritten.atRestBytesPerSample.toFixed(2)} B/sample; ` +
      `live (after VACUUM FULL): chunks ${stats.chunkBytesPerSample.toFixed(2)} B/sample, rollups ${(stats.rollupBytes / 1e6).toFixed(1)} MB, ` +
      `at rest (chunks + rollups) ${stats.atRestBytesPerSample.toFixed(2)} B/sample`,
  );

  const prom = await startPrometheus(promData);
  // Prometheus merges the backfilled 2 h blocks in the background, starting a minute after it
  // starts; wait for that to settle so neither side is measured mid-compaction.
  t0 = performance.now();
  const blocksLoaded = async () => {
    const text = await (await fetch(`${prom.url}/metrics`)).text();
    return Number(/^prometheus_tsdb_blocks_loaded (\S+)/m.exec(text)?.[1] ?? NaN);
  };
  const initialBlocks = await blocksLoaded();
  let last = initialBlocks;
  let stableSince = performance.now();
  while (performance.now() - t0 < 240_000) {
    await new Promise((r) => setTimeout(r, 5000));
    const now = await blocksLoaded();
    if (now !== last) {
      last = now;
      stableSince = performance.now();
    } else if (performance.now() - t0 > 75_000 && performance.now() - stableSince > 20_000) break;
  }
  timings['Prometheus start + own compaction'] = performance.now() - t0;
  console.log(
    `  prometheus: ${initialBlocks} blocks at start, ${last} after its compaction (${secs(timings['Prometheus start + own compaction'])}); ${(duBytes(promData) / (series.length * points)).toFixed(2)} B/sample on disk`,
  );

  const api = await startTocsinApi(db);
  // Cold figures bypass the results cache; the refresh figures below use it.
  const tocsin = {
    url: api.url,
    headers: { authorization: `Bearer ${org.readKey}`, 'cache-control': 'no-cache' },
  };
  const tocsinCached = { url: api.url, headers: { authorization: `Bearer ${org.readKey}` } };
  const prometheus = { url: prom.url, headers: {} };
  // The issue's two ranges run every dashboard query; a third runs the queries whose windows
  // can come from 1h rollups (hour-aligned start, 1 h step), reported apart from the targets.
  const hourly = Math.ceil((end - Math.min(flags.days, 7) * DAY_MS) / HOUR_MS) * HOUR_MS;
  const ranges = [
    {
      name: '7 d',
      start: end - Math.min(flags.days, 7) * DAY_MS,
      end,
      step: flags.step7d,
      queries: QUERIES,
    },
    { name: '1 h', start: end - HOUR_MS, end, step: 15, queries: QUERIES },
    { name: '7 d hourly', start: hourly, end, step: 3600, queries: HOURLY_QUERIES },
  ];
  t0 = performance.now();
  for (let round = 0; round < flags.warmup; round++) {
    for (const range of ranges) {
      for (const q of range.queries) {
        for (const server of [tocsin, prometheus])
          await queryRange(server.url, server.headers, q.expr, range.start, range.end, range.step);
      }
    }
  }
  console.log(
    `  warm-up: the query set ${flags.warmup} times on each server, untimed, in ${secs(performance.now() - t0)}`,
  );
  const rows: Array<Array<string | number>> = [];
  const where: Array<Array<string | number>> = [];
  const summary: Record<string, number[]> = {};
  t0 = performance.now();
  for (const range of ranges) {
    for (const q of range.queries) {
      // One untimed run each: warms caches on both sides and gives the answers to compare.
      const [ta, pa] = [
        await queryRange(tocsin.url, tocsin.headers, q.expr, range.start, range.end, range.step),
        await queryRange(
          prometheus.url,
          prometheus.headers,
          q.expr,
          range.start,
          range.end,
          range.step,
        ),
      ];
      const diff = differences(ta, pa);
      const tms: number[] = [];
      const pms: number[] = [];
      const phases: Record<string, number[]> = {
        select: [],
        eval: [],
        body: [],
        handler: [],
        outside: [],
      };
      for (let r = 0; r < flags.reps; r++) {
        const t = await queryRange(
          tocsin.url,
          tocsin.headers,
          q.expr,
          range.start,
          range.end,
          range.step,
        );
        tms.push(t.ms);
        for (const k of ['select', 'eval', 'body', 'handler']) phases[k].push(t.timing[k] ?? NaN);
        phases.outside.push(t.ms - (t.timing.handler ?? NaN));
        pms.push(
          (
            await queryRange(
              prometheus.url,
              prometheus.headers,
              q.expr,
              range.start,
              range.end,
              range.step,
            )
          ).ms,
        );
      }
      const ratio = pct(tms, 50) / pct(pms, 50);
      (summary[range.name] ??= []).push(ratio);
      rows.push([
        `${range.name} ${q.name}`,
        range.step,
        `${pa.series}/${pa.points}`,
        diff === 0 ? 'same' : `${diff} differ`,
        pct(tms, 50).toFixed(0),
        pct(tms, 95).toFixed(0),
        pct(pms, 50).toFixed(0),
        pct(pms, 95).toFixed(0),
        ratio.toFixed(2),
      ]);
      where.push([
        `${range.name} ${q.name}`,
        ta.samples ?? '?',
        pct(tms, 50).toFixed(1),
        ...['handler', 'select', 'eval', 'body', 'outside'].map((k) =>
          pct(phases[k], 50).toFixed(1),
        ),
      ]);
      process.stdout.write(`\r  queried ${rows.length}…`);
    }
  }
  console.log(
    `\r  ${rows.length} queries × (1 + ${flags.reps}) runs on each server in ${secs(performance.now() - t0)}`,
  );
  console.log(
    `\nquery_range over HTTP, milliseconds (p50/p95 of ${flags.reps} runs after one warm-up run)\n`,
  );
  console.log(
    table(
      [
        'query',
        'step s',
        'series/points',
        'answers',
        'Tocsin p50',
        'p95',
        'Prom p50',
        'p95',
        'Tocsin/Prom p50',
      ],
      rows,
    ),
  );
  const geo = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
  console.log(
    `\nCOLD (Tocsin cache bypassed) geometric mean of the p50 ratios: 7 d ${geo(summary['7 d']).toFixed(2)}×, 1 h ${geo(summary['1 h']).toFixed(2)}×; 7 d hourly (rollups) ${geo(summary['7 d hourly']).toFixed(2)}×`,
  );

  // Dashboard refresh: run 0 is the dashboard being opened (fills Tocsin's cache, untimed); runs
  // 1…reps are refreshes --refresh seconds apart. "now" is simulated in the recent past so
  // every run's range is real history for both servers, identical on both.
  const refreshMs = flags.refresh * 1000;
  const refreshRows: Array<Array<string | number>> = [];
  const refreshSummary: Record<string, number[]> = {};
  t0 = performance.now();
  for (const range of ranges.slice(0, 2)) {
    const stepMs = range.step * 1000;
    const span = range.end - range.start;
    for (const q of range.queries) {
      const base = Date.now() - flags.reps * refreshMs;
      const tms: number[] = [];
      const pms: number[] = [];
      let diff = 0;
      let own = 0;
      let shape = '';
      for (let r = 0; r <= flags.reps; r++) {
        const now = base + r * refreshMs;
        const e = Math.floor(now / stepMs) * stepMs;
        const s = Math.floor((now - span) / stepMs) * stepMs;
        const ta = await queryRange(
          tocsinCached.url,
          tocsinCached.headers,
          q.expr,
          s,
          e,
          range.step,
        );
        const pa = await queryRange(prometheus.url, prometheus.headers, q.expr, s, e, range.step);
        diff += differences(ta, pa);
        // The cached answer against Tocsin's own uncached one (untimed): must be identical.
        const tu = await queryRange(tocsin.url, tocsin.headers, q.expr, s, e, range.step);
        own += JSON.stringify(ta.result) === JSON.stringify(tu.result) ? 0 : 1;
        shape = `${pa.series}/${pa.points}`;
        if (r === 0) continue;
        tms.push(ta.ms);
        pms.push(pa.ms);
      }
      const ratio = pct(tms, 50) / pct(pms, 50);
      (refreshSummary[range.name] ??= []).push(ratio);
      refreshRows.push([
        `${range.name} ${q.name}`,
        range.step,
        shape,
        diff === 0 ? 'same' : `${diff} differ`,
        own === 0 ? 'identical' : `${own} of ${flags.reps + 1} differ`,
        pct(tms, 50).toFixed(0),
        pct(tms, 95).toFixed(0),
        pct(pms, 50).toFixed(0),
        pct(pms, 95).toFixed(0),
        ratio.toFixed(2),
      ]);
      process.stdout.write(`\r  refreshed ${refreshRows.length}…`);
    }
  }
  console.log(
    `\r  ${refreshRows.length} dashboards × (1 + ${flags.reps}) refreshes ${flags.refresh} s apart on each server in ${secs(performance.now() - t0)}`,
  );
  console.log(
    `\nDASHBOARD REFRESH (Tocsin results cache on), milliseconds (p50/p95 of ${flags.reps} refreshes after the dashboard's first load; all ${flags.reps + 1} answers compared with Prometheus' and with Tocsin's uncached ones)\n`,
  );
  console.log(
    table(
      [
        'query',
        'step s',
        'series/points',
        'vs Prom',
        'cached vs uncached Tocsin',
        'Tocsin p50',
        'p95',
        'Prom p50',
        'p95',
        'Tocsin/Prom p50',
      ],
      refreshRows,
    ),
  );
  console.log(
    `\nREFRESH (cache on) geometric mean of the p50 ratios: 7 d ${geo(refreshSummary['7 d']).toFixed(2)}× (target ≤ 0.2×), 1 h ${geo(refreshSummary['1 h']).toFixed(2)}× (target ≤ 1.0×)`,
  );
  console.log(
    `COLD (cache bypassed), for comparison:       7 d ${geo(summary['7 d']).toFixed(2)}×, 1 h ${geo(summary['1 h']).toFixed(2)}×`,
  );
  // Where Tocsin's time goes, from the timed cold runs above: the api's Server-Timing header
  // (its own clock, in the process that answered) against what the client measured. `outside`
  // is the client's time beyond the handler: HTTP parsing, express/Nest/auth, the socket write,
  // loopback, fetch and the client's JSON parse — of which Prometheus' figure has its own share.
  console.log(
    "\nwhere Tocsin's time goes (p50s over the timed cold runs; Server-Timing against the client), ms\n",
  );
  console.log(
    table(
      ['query', 'samples read', 'client', 'handler', 'select', 'evaluate', 'body', 'outside'],
      where,
    ),
  );
  console.log('\nsetup times');
  console.log(
    table(
      ['step', 'time'],
      Object.entries(timings).map(([k, v]) => [k, secs(v)]),
    ),
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
