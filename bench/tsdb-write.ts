// Write throughput into TsdbWriter (both sample paths) and bytes per sample before and after
// compaction, on a fresh database of its own. Figures are printed, not asserted.
//   node scripts/build.mjs && node dist/bench/tsdb-write.js
// Env: DATABASE_URL (server, owner; default postgres@127.0.0.1:5432), BENCH_SERIES (2000),
// BENCH_HOURS (4), BENCH_CONCURRENCY (4), BENCH_JITTER_MS (0: Prometheus aligns scrape
// timestamps within 2 ms, so aligned is the realistic case), BENCH_KEEP_DB=1 to keep it.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { APP_ROLE, appUrlFrom } from '@tocsin/config';
import { createPgPool, migrate } from '@tocsin/db';
import {
  Compactor,
  DAY_MS,
  HOUR_MS,
  PgSeriesReader,
  storageStats,
  TsdbWriter,
  type WriteSeries,
} from '@tocsin/tsdb';

const SERIES = Number(process.env.BENCH_SERIES ?? 2000);
const HOURS = Number(process.env.BENCH_HOURS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const JITTER_MS = Number(process.env.BENCH_JITTER_MS ?? 0);
const SCRAPE_MS = 15_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

type Kind = 'counter' | 'constant' | 'bytes' | 'decimal';
interface SimSeries {
  labels: Record<string, string>;
  kind: Kind;
  value: number;
}

/**
 * A node_exporter-like mix: 40 % counters (integer increments), 20 % constant gauges (up, info
 * metrics), 20 % byte gauges moving in 4 KiB pages, 20 % gauges with two decimals.
 */
function makeSeries(n: number, rand: () => number): SimSeries[] {
  const kinds: Kind[] = ['counter', 'counter', 'constant', 'bytes', 'decimal'];
  return Array.from({ length: n }, (_, i) => {
    const kind = kinds[i % kinds.length];
    return {
      labels: {
        __name__: `bench_${kind}_${i % 50}`,
        instance: `host-${Math.floor(i / 50)}:9100`,
        job: 'node',
        series: String(i),
      },
      kind,
      value:
        kind === 'bytes'
          ? 4096 * Math.floor(rand() * 1e6)
          : kind === 'decimal'
            ? Math.round(rand() * 10000) / 100
            : kind === 'constant'
              ? 1
              : 0,
    };
  });
}

function step(s: SimSeries, rand: () => number): number {
  if (s.kind === 'counter') s.value += Math.floor(rand() * 50);
  else if (s.kind === 'bytes') s.value += 4096 * Math.floor((rand() - 0.5) * 20);
  else if (s.kind === 'decimal') s.value = Math.round((s.value + (rand() - 0.5) * 2) * 100) / 100;
  return s.value;
}

/** One remote_write-like request per scrape round: one sample for every series. */
function* requests(
  series: SimSeries[],
  start: number,
  end: number,
  rand: () => number,
): Generator<WriteSeries[]> {
  for (let t = start; t < end; t += SCRAPE_MS) {
    yield series.map((s) => ({
      labels: s.labels,
      timestamps: [t + (JITTER_MS ? Math.floor(rand() * (JITTER_MS + 1)) : 0)],
      values: [step(s, rand)],
    }));
  }
}

/** Writes `rounds` requests from the generator with CONCURRENCY writers in flight; false when it ran dry. */
async function writeSome(
  writer: TsdbWriter,
  orgId: string,
  gen: Generator<WriteSeries[]>,
  rounds: number,
  into: { samples: number; ms: number; requests: number },
): Promise<boolean> {
  const started = performance.now();
  let left = rounds;
  let more = true;
  const workers = Array.from({ length: CONCURRENCY }, async () => {
    while (left > 0) {
      left--;
      const next = gen.next();
      if (next.done) {
        more = false;
        return;
      }
      const r = await writer.write(orgId, next.value);
      into.samples += r.samples;
      into.requests++;
    }
  });
  await Promise.all(workers);
  into.ms += performance.now() - started;
  return more;
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `tocsin_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${dbName}`;
  const appPassword = process.env.DATABASE_APP_PASSWORD ?? 'tocsin_app';
  await migrate({
    ownerUrl: ownerUrl.toString(),
    migrationsDir: join(__dirname, '..', '..', 'prisma', 'migrations'),
    appRole: APP_ROLE,
    appPassword,
  });
  const owner = new Client({ connectionString: ownerUrl.toString() });
  await owner.connect();
  const pool = createPgPool(appUrlFrom(ownerUrl.toString(), appPassword), CONCURRENCY + 2);
  try {
    console.log(
      `tsdb write bench: ${SERIES} series, ${HOURS} h at ${SCRAPE_MS / 1000} s, ${CONCURRENCY} concurrent writers, jitter ${JITTER_MS} ms`,
    );
    // Whole blocks of a past day, so compaction is due and the emptied day of the head can be
    // reclaimed: what data older than two hours costs at rest.
    const today = Date.now() - (Date.now() % DAY_MS);
    const end = Date.now() - today >= 3 * HOUR_MS ? today : today - DAY_MS;
    const start = end - HOURS * HOUR_MS;
    const orgs: Record<string, string> = { log: randomUUID() };
    for (const [method, id] of Object.entries(orgs)) {
      await owner.query(`INSERT INTO organizations (id, slug, name) VALUES ($1, $2, $3)`, [
        id,
        `bench-${method}-${id}`,
        method,
      ]);
    }
    // One write path now (the head log); kept as a list so a variant can be compared in turns,
    // 20 requests at a time, with load from anything else on the machine falling on both alike.
    const runs = Object.keys(orgs).map((method) => ({
      method,
      writer: new TsdbWriter(pool),
      gen: requests(makeSeries(SERIES, rng(1)), start, end, rng(2)),
      stats: { samples: 0, ms: 0, requests: 0 },
      more: true,
    }));
    while (runs.some((r) => r.more)) {
      for (const r of runs) {
        if (r.more) r.more = await writeSome(r.writer, orgs[r.method], r.gen, 20, r.stats);
      }
    }
    let written = 0;
    for (const { method, stats } of runs) {
      written += stats.samples;
      console.log(
        `  write/${method.padEnd(6)} ${stats.samples} samples in ${(stats.ms / 1000).toFixed(1)} s = ${Math.round(stats.samples / (stats.ms / 1000))} samples/s (${stats.requests} requests of ${SERIES})`,
      );
    }
    await owner.query('VACUUM ANALYZE samples');
    const head = await storageStats(owner);
    console.log(
      `  head (raw rows): ${(head.headBytes / head.headSamples).toFixed(1)} bytes/sample over ${head.headSamples} samples`,
    );

    const compactor = new Compactor(pool, { graceMs: 0 });
    const c0 = performance.now();
    let compacted = 0;
    for (const id of Object.values(orgs)) compacted += (await compactor.compactDue(id)).samples;
    await compactor.reclaimHeadPartitions(); // compactDue does this too; a no-op then
    const cms = performance.now() - c0;
    console.log(
      `  compaction: ${compacted} samples in ${(cms / 1000).toFixed(1)} s = ${Math.round(compacted / (cms / 1000))} samples/s`,
    );
    await owner.query('VACUUM ANALYZE samples');
    await owner.query('VACUUM ANALYZE sample_chunks');
    const after = await storageStats(owner);
    console.log(
      `  after compaction: chunks ${after.chunkBytesPerSample.toFixed(2)} bytes/sample (${after.chunkBytes} bytes / ${after.chunkSamples} samples); ` +
        `head + chunks ${after.bytesPerSample.toFixed(2)} bytes/sample (the head's tables keep ${after.headBytes} bytes once emptied past days are reclaimed)`,
    );
    if (after.chunkSamples !== written)
      console.log(`  WARNING: wrote ${written} samples but chunks hold ${after.chunkSamples}`);

    const reader = new PgSeriesReader(pool);
    const r0 = performance.now();
    const read = await reader.select(orgs.unnest, [{ name: 'job', op: '=', value: 'node' }], {
      start,
      end,
    });
    const rms = performance.now() - r0;
    const readSamples = read.reduce((s, x) => s + x.timestamps.length, 0);
    console.log(
      `  read back from chunks: ${readSamples} samples of ${read.length} series in ${(rms / 1000).toFixed(2)} s = ${Math.round(readSamples / (rms / 1000))} samples/s`,
    );
  } finally {
    await pool.end();
    await owner.end();
    if (!process.env.BENCH_KEEP_DB)
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
