// remote_write ingest, Tocsin against Debian's Prometheus 2.42 on the same machine, same data.
// Figures are printed, never asserted.
//   npm run bench:ingest -- [--series 10000] [--batch 2000] [--concurrency 4] [--seconds 30] [--rounds 300]
//                           [--api-processes 1]   (Tocsin's API_PROCESSES: api processes sharing the port)
//                           [--worker-nice 0]     (Tocsin's WORKER_NICE: the worker's CPU niceness)
// Env: DATABASE_URL / REDIS_URL (default: embedded ones, see scripts/infra.mjs), PROMETHEUS_BIN.
//
// The load is built once: `rounds` scrapes of `series` node_exporter-like series, 15 s apart,
// placed in the previous 2 h block so that Tocsin's compaction can run on them afterwards.
// Like Prometheus' queue manager, series are sharded (series % concurrency), each shard's
// samples are cut in order into requests of `batch` samples (one TimeSeries per sample, as
// Prometheus sends), and each shard has one request in flight. Both servers get exactly these
// bodies, from a worker thread, for at most `seconds` each (less if the bodies run out: then
// the rate is over the time it took).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createPgPool } from '@tocsin/db';
import { encodeWriteRequest, encodeWriteRequestProto, snappyCompress } from '@tocsin/ingest';
import { BLOCK_MS, Compactor, storageStats } from '@tocsin/tsdb';
import {
  benchOrg,
  cleanup,
  duBytes,
  freshDatabase,
  memoryOf,
  parseFlags,
  processTree,
  requirePrometheus,
  startPrometheus,
  startTocsinApi,
  startTocsinWorker,
  table,
  tempDir,
  type BenchDatabase,
  type Memory,
} from './support/bench-infra';
import type { LoadJob, LoadResult } from './support/remote-write-load.worker';

const flags = parseFlags({
  series: 10_000,
  batch: 2_000,
  concurrency: 4,
  seconds: 30,
  rounds: 300,
  apiProcesses: 1,
  workerNice: 0,
});
const SCRAPE_MS = 15_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

interface Load {
  buffer: SharedArrayBuffer;
  offsets: number[];
  samples: number[];
  shards: number[][];
  totalSamples: number;
  start: number;
  end: number;
}

/** node_exporter-like label sets and values (counters, byte gauges, two-decimal gauges, constants). */
function buildLoad(): Load {
  const rand = rng(42);
  const modes = ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal', 'nice'];
  const names = [
    'node_cpu_seconds_total',
    'node_network_receive_bytes_total',
    'node_memory_Active_bytes',
    'node_load1',
    'up',
  ];
  const series = Array.from({ length: flags.series }, (_, i) => ({
    labels: {
      __name__: names[i % names.length],
      instance: `host-${Math.floor(i / 40)}.example.internal:9100`,
      job: 'node',
      cpu: String(i % 16),
      mode: modes[i % modes.length],
      env: 'production',
      region: 'eu-west-1',
      series_no: String(i),
    },
    kind: i % names.length,
    value: 0,
  }));
  const step = (s: (typeof series)[number]) => {
    if (s.kind <= 1) s.value += Math.floor(rand() * 5000);
    else if (s.kind === 2) s.value = 4096 * Math.floor(rand() * 1e6);
    else if (s.kind === 3) s.value = Math.round(rand() * 400) / 100;
    else s.value = 1;
    return s.value;
  };
  const now = Date.now();
  const start = Math.floor(now / BLOCK_MS) * BLOCK_MS - BLOCK_MS;
  const end = start + flags.rounds * SCRAPE_MS;
  if (end > now - 60_000)
    throw new Error(
      `--rounds ${flags.rounds} reaches past now; at most ${Math.floor((now - 60_000 - start) / SCRAPE_MS)} here`,
    );

  // Per shard, the ordered sample stream cut into requests. Encoding 10^6 TimeSeries one by one
  // takes minutes on a busy machine, so each series is encoded once (encodeWriteRequestProto) and
  // copied with its sample patched in: a WriteRequest is one repeated field, so concatenated
  // single-series messages are the same bytes encodeWriteRequest produces (checked below).
  const templates = series.map((s) => {
    const t = encodeWriteRequestProto([{ labels: s.labels, timestamps: [start], values: [0] }]);
    const sizeAtEnd = encodeWriteRequestProto([
      { labels: s.labels, timestamps: [end], values: [0] },
    ]).length;
    // The Sample ends the message: 0x09 <8-byte double> 0x10 <6-byte varint timestamp>.
    if (t[t.length - 16] !== 0x09 || t[t.length - 7] !== 0x10 || sizeAtEnd !== t.length)
      throw new Error('unexpected remote_write encoding; cannot patch samples');
    return t;
  });
  const scratch = Buffer.alloc(8);
  const patched = (i: number, t: number, v: number, into: Buffer, at: number) => {
    const tpl = templates[i];
    tpl.copy(into, at);
    const end = at + tpl.length;
    scratch.writeDoubleLE(v);
    scratch.copy(into, end - 15);
    let x = t;
    for (let k = 0; k < 6; k++) {
      into[end - 6 + k] = (x % 128) | (k < 5 ? 0x80 : 0);
      x = Math.floor(x / 128);
    }
    return end;
  };
  const bodies: Buffer[] = [];
  const samples: number[] = [];
  const shards: number[][] = Array.from({ length: flags.concurrency }, () => []);
  const pending: Array<Array<[number, number, number]>> = shards.map(() => []);
  let checked = false;
  const flush = (shard: number) => {
    const entries = pending[shard];
    if (!entries.length) return;
    const proto = Buffer.allocUnsafe(entries.reduce((n, [i]) => n + templates[i].length, 0));
    let at = 0;
    for (const [i, t, v] of entries) at = patched(i, t, v, proto, at);
    const body = snappyCompress(proto);
    if (!checked) {
      const direct = encodeWriteRequest(
        entries.map(([i, t, v]) => ({ labels: series[i].labels, timestamps: [t], values: [v] })),
      );
      if (!direct.equals(body)) throw new Error('patched request differs from encodeWriteRequest');
      checked = true;
    }
    shards[shard].push(bodies.length);
    bodies.push(body);
    samples.push(entries.length);
    pending[shard] = [];
  };
  for (let r = 0; r < flags.rounds; r++) {
    const t = start + r * SCRAPE_MS;
    for (let i = 0; i < series.length; i++) {
      const shard = i % flags.concurrency;
      pending[shard].push([i, t, step(series[i])]);
      if (pending[shard].length >= flags.batch) flush(shard);
    }
  }
  for (let s = 0; s < shards.length; s++) flush(s);
  const total = bodies.reduce((n, b) => n + b.length, 0);
  const buffer = new SharedArrayBuffer(total);
  const view = new Uint8Array(buffer);
  const offsets = [0];
  for (const b of bodies) {
    view.set(b, offsets[offsets.length - 1]);
    offsets.push(offsets[offsets.length - 1] + b.length);
  }
  return {
    buffer,
    offsets,
    samples,
    shards,
    totalSamples: flags.rounds * flags.series,
    start,
    end,
  };
}

function drive(load: Load, url: string, headers: Record<string, string>): Promise<LoadResult> {
  const job: LoadJob = {
    url,
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      ...headers,
    },
    buffer: load.buffer,
    offsets: load.offsets,
    samples: load.samples,
    shards: load.shards,
    seconds: flags.seconds,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'support', 'remote-write-load.worker.js'), {
      workerData: job,
    });
    worker.once('message', (m: { ok: boolean; result?: LoadResult; error?: string }) =>
      m.ok ? resolve(m.result!) : reject(new Error(m.error)),
    );
    worker.once('error', reject);
  });
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds of a group of processes (an api primary and its api processes), summed. */
const groupCpu = (pids: number[]) => pids.reduce((sum, p) => sum + cpuSeconds(p), 0);

/** Memory of a group of processes, summed (VmHWM too: an upper bound of the group's peak). */
function groupMemory(pids: number[]): Memory {
  const ms = pids.map(memoryOf);
  return {
    rssMiB: ms.reduce((n, m) => n + m.rssMiB, 0),
    hwmMiB: ms.reduce((n, m) => n + m.hwmMiB, 0),
  };
}

/** Peak VmRSS of each group (summed over its processes) seen while the load runs (every 250 ms). */
function watchMemory(groups: number[][]): () => Memory[] {
  const peak = groups.map(() => 0);
  const timer = setInterval(
    () => groups.forEach((g, i) => (peak[i] = Math.max(peak[i], groupMemory(g).rssMiB))),
    250,
  );
  return () => {
    clearInterval(timer);
    return groups.map((g, i) => {
      const now = groupMemory(g);
      return { ...now, rssMiB: Math.max(peak[i], now.rssMiB) };
    });
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
/** p50 / p99 of the first tenth of the requests (in completion order), then of the rest. */
const splitPct = (xs: number[]) => {
  const cut = Math.ceil(xs.length / 10);
  const f = (ys: number[]) => `${pct(ys, 50).toFixed(0)} / ${pct(ys, 99).toFixed(0)}`;
  return `${f(xs.slice(0, cut))} | ${f(xs.slice(cut))}`;
};
const mib = (m: number) => `${m.toFixed(0)} MiB`;
/** Bytes of WAL the server has generated (pg_stat_wal, PostgreSQL 14+): cluster-wide. */
async function walBytes(db: { query: BenchDatabase['owner']['query'] }): Promise<number> {
  return Number(
    (await db.query<{ b: string }>('SELECT wal_bytes::text AS b FROM pg_stat_wal')).rows[0].b,
  );
}

/** Row writes to the ingest tables of this database so far (autovacuum may already have run). */
async function tableWrites(db: { query: BenchDatabase['owner']['query'] }) {
  const { rows } = await db.query<{
    t: string;
    ins: string;
    upd: string;
    hot: string;
    del: string;
    dead: string;
    bytes: string;
  }>(
    `SELECT coalesce(p.relname, s.relname) AS t, sum(s.n_tup_ins) AS ins, sum(s.n_tup_upd) AS upd,
            sum(s.n_tup_hot_upd) AS hot, sum(s.n_tup_del) AS del, sum(s.n_dead_tup) AS dead,
            sum(pg_total_relation_size(s.relid)) AS bytes
       FROM pg_stat_user_tables s
       LEFT JOIN pg_inherits i ON i.inhrelid = s.relid
       LEFT JOIN pg_class p ON p.oid = i.inhparent
      WHERE coalesce(p.relname, s.relname) IN ('sample_chunks', 'sample_log', 'tsdb_dirty')
      GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => ({
    table: r.t,
    ins: Number(r.ins),
    upd: Number(r.upd),
    hot: Number(r.hot),
    del: Number(r.del),
    dead: Number(r.dead),
    bytes: Number(r.bytes),
  }));
}

const rate = (r: LoadResult) => r.acceptedSamples / (r.elapsedMs / 1000);

async function main(): Promise<void> {
  const version = requirePrometheus();
  console.log(`bench:ingest — remote_write, Tocsin vs ${version}`);
  console.log(
    `  load: ${flags.series} series × ${flags.rounds} scrapes @ ${SCRAPE_MS / 1000} s, ${flags.batch} samples/request ` +
      `(Prometheus 2.42 default max_samples_per_send is 500), ${flags.concurrency} shards in flight, ≤ ${flags.seconds} s per server`,
  );
  let t0 = performance.now();
  const load = buildLoad();
  const mb = load.offsets[load.offsets.length - 1] / 1e6;
  console.log(
    `  pre-encoded ${load.samples.length} requests, ${load.totalSamples} samples, ${mb.toFixed(1)} MB snappy ` +
      `(${((mb * 1e6) / load.totalSamples).toFixed(1)} B/sample on the wire) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
      `timestamps ${new Date(load.start).toISOString()} … ${new Date(load.end).toISOString()}`,
  );

  // Prometheus first, alone.
  const promDir = join(tempDir('prom-ingest'), 'data');
  const prom = await startPrometheus(promDir, ['--web.enable-remote-write-receiver']);
  const promIdle = memoryOf(prom.pid);
  const promCpu0 = cpuSeconds(prom.pid);
  let stopWatch = watchMemory([[prom.pid]]);
  const promResult = await drive(load, `${prom.url}/api/v1/write`, {});
  const [promMem] = stopWatch();
  const promCpu = cpuSeconds(prom.pid) - promCpu0;
  const promHeadBytes = duBytes(promDir);
  const snap = (await (
    await fetch(`${prom.url}/api/v1/admin/tsdb/snapshot`, { method: 'POST' })
  ).json()) as {
    data: { name: string };
  };
  const promBlockBytes = duBytes(join(promDir, 'snapshots', snap.data.name));
  await prom.stop();
  console.log(
    `  prometheus: ${JSON.stringify(promResult.statuses)} ${promResult.firstError ?? ''}`,
  );

  // Then Tocsin: api and worker as deployed, against a fresh database.
  const db = await freshDatabase('ingest');
  const org = await benchOrg(db.owner);
  console.log(
    '  tocsin org: ingestion_rate/burst and max_active_series raised to 2e9, so the limiter is not what is measured',
  );
  const api = await startTocsinApi(db, { processes: flags.apiProcesses });
  const worker = await startTocsinWorker({ ...api.env, WORKER_NICE: String(flags.workerNice) });
  // With API_PROCESSES > 1: the primary and its api processes, counted together as "api".
  const apiPids = processTree(api.pid);
  console.log(
    `  tocsin api: API_PROCESSES=${flags.apiProcesses} (${apiPids.length} process(es) counted as api); worker: WORKER_NICE=${flags.workerNice}`,
  );
  const [apiIdle, workerIdle] = [groupMemory(apiPids), memoryOf(worker.pid)];
  const cpu0 = [groupCpu(apiPids), cpuSeconds(worker.pid)];
  const wal0 = await walBytes(db.owner);
  stopWatch = watchMemory([apiPids, [worker.pid]]);
  // PostgreSQL's share: the CPU of this (fresh) database's backends, all opened for this run.
  // Sampled through the run: a pool closes a connection idle for 10 s, and its backend's CPU
  // would be lost from a count taken only at the drained log.
  const backendCpu = new Map<number, number>();
  const sampleBackends = async () => {
    const { rows } = await db.owner.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    for (const r of rows) {
      const s = cpuSeconds(r.pid);
      if (!Number.isNaN(s)) backendCpu.set(r.pid, Math.max(s, backendCpu.get(r.pid) ?? 0));
    }
  };
  const backendTimer = setInterval(() => void sampleBackends().catch(() => undefined), 500);
  const tocsinResult = await drive(load, `${api.url}/api/v1/write`, {
    authorization: `Bearer ${org.ingestKey}`,
  });
  const [apiMem, workerMem] = stopWatch();
  // Acknowledged samples sit in the head log until the worker's flusher folds them into chunks;
  // the flush is part of ingest's cost, so CPU is taken once the log has drained.
  const unfolded = async () =>
    Number(
      (await db.owner.query<{ n: string }>('SELECT coalesce(sum(count), 0) AS n FROM sample_log'))
        .rows[0].n,
    );
  const unfoldedAtEnd = await unfolded();
  // As written: the log's bytes (heap, TOAST, index; dead rows of folded ones included) over the
  // samples still in it, when it holds enough to say.
  const head = await storageStats(db.owner);
  const drain0 = performance.now();
  while ((await unfolded()) > 0 && performance.now() - drain0 < 120_000)
    await new Promise((r) => setTimeout(r, 100));
  const drainS = (performance.now() - drain0) / 1000;
  const unfoldedLeft = await unfolded();
  const apiCpu = groupCpu(apiPids) - cpu0[0];
  const workerCpu = cpuSeconds(worker.pid) - cpu0[1];
  clearInterval(backendTimer);
  await sampleBackends();
  const pgCpu = [...backendCpu.values()].reduce((sum, s) => sum + s, 0);
  const wal = (await walBytes(db.owner)) - wal0;
  const writes = await tableWrites(db.owner);
  console.log(
    `  tocsin CPU: api ${apiCpu.toFixed(1)} s, worker ${workerCpu.toFixed(1)} s, PostgreSQL backends ${pgCpu.toFixed(1)} s`,
  );
  console.log(
    `  tocsin head log: ${unfoldedAtEnd} samples unfolded at the last acknowledgement, drained in ${drainS.toFixed(1)} s` +
      (unfoldedLeft ? ` (${unfoldedLeft} still unfolded after 120 s)` : ''),
  );
  console.log(
    `  tocsin WAL from the load's start to the drained log: ${(wal / 1e6).toFixed(0)} MB, ` +
      `${(wal / tocsinResult.acceptedSamples).toFixed(1)} B per accepted sample (server-wide: on a shared ` +
      `server it includes other databases' writes)`,
  );
  for (const w of writes)
    console.log(
      `  tocsin ${w.table}: ${w.ins} inserted, ${w.upd} updated (${w.hot} HOT), ${w.del} deleted, ${w.dead} dead tuples, ${(w.bytes / 1e6).toFixed(0)} MB`,
    );
  console.log(
    `  tocsin: ${JSON.stringify(tocsinResult.statuses)} ${tocsinResult.firstError ?? ''}`,
  );
  await worker.stop();
  await api.stop();

  // On disk: the head as written, then chunks once the (past) block is compacted.
  await db.owner.query('VACUUM ANALYZE samples');
  const pool = createPgPool(db.appUrl, 2);
  t0 = performance.now();
  const compacted = await new Compactor(pool, { graceMs: 0 }).compactDue(org.orgId);
  const compactS = (performance.now() - t0) / 1000;
  await pool.end();
  await db.owner.query('VACUUM ANALYZE samples');
  await db.owner.query('VACUUM ANALYZE sample_chunks');
  const after = await storageStats(db.owner);
  // Flushes rewrite open chunks and sealing rewrites them once more: the table holds their dead
  // versions until VACUUM lets later writes reuse the space. The live size is what rests.
  await db.owner.query('VACUUM FULL sample_chunks');
  const live = await storageStats(db.owner);
  console.log(
    `  tocsin compaction: ${compacted.samples} samples of ${compacted.blocks} block(s) in ${compactS.toFixed(1)} s` +
      (after.headSamples
        ? ` (${after.headSamples} samples stay in the head: their block is not over yet)`
        : ''),
  );

  const pr = rate(promResult);
  const tr = rate(tocsinResult);
  const promAccepted = promResult.acceptedSamples;
  const fmtRun = (r: LoadResult) =>
    `${(r.elapsedMs / 1000).toFixed(1)} s${r.exhausted ? ' (all bodies sent)' : ''}`;
  console.log('\nresults (2xx-acknowledged samples only)\n');
  console.log(
    table(
      ['', 'Tocsin', 'Prometheus 2.42', 'Tocsin/Prometheus'],
      [
        ['accepted samples/s', Math.round(tr), Math.round(pr), (tr / pr).toFixed(3)],
        ['accepted samples', tocsinResult.acceptedSamples, promAccepted, ''],
        ['non-2xx samples', tocsinResult.rejectedSamples, promResult.rejectedSamples, ''],
        ['run time', fmtRun(tocsinResult), fmtRun(promResult), ''],
        [
          'request p50 / p99 ms',
          `${pct(tocsinResult.latenciesMs, 50).toFixed(0)} / ${pct(tocsinResult.latenciesMs, 99).toFixed(0)}`,
          `${pct(promResult.latenciesMs, 50).toFixed(0)} / ${pct(promResult.latenciesMs, 99).toFixed(0)}`,
          '',
        ],
        [
          // Completion order: the first tenth holds the first scrape round (new series, a cold JIT).
          'p50 / p99 ms, first 10 % of requests | rest',
          splitPct(tocsinResult.latenciesMs),
          splitPct(promResult.latenciesMs),
          '',
        ],
        [
          'process CPU-s per 1M samples',
          `${(((apiCpu + workerCpu) / tocsinResult.acceptedSamples) * 1e6).toFixed(1)} (api+worker, log drained); PostgreSQL backends ${((pgCpu / tocsinResult.acceptedSamples) * 1e6).toFixed(1)}`,
          `${((promCpu / promAccepted) * 1e6).toFixed(1)}`,
          '',
        ],
        [
          'RSS idle, before load (VmRSS)',
          `api ${mib(apiIdle.rssMiB)}, worker ${mib(workerIdle.rssMiB)}`,
          mib(promIdle.rssMiB),
          '',
        ],
        [
          'RSS peak during load (VmRSS)',
          `api ${mib(apiMem.rssMiB)}, worker ${mib(workerMem.rssMiB)}`,
          mib(promMem.rssMiB),
          ((apiMem.rssMiB + workerMem.rssMiB) / promMem.rssMiB).toFixed(2),
        ],
        [
          'RSS high-water mark (VmHWM)',
          `api ${mib(apiMem.hwmMiB)}, worker ${mib(workerMem.hwmMiB)}`,
          mib(promMem.hwmMiB),
          '',
        ],
        [
          'disk, as written (B/sample)',
          head.headSamples > 100_000
            ? `${(head.headBytes / head.headSamples).toFixed(1)} (head log at the last ack, incl. folded rows not vacuumed)`
            : 'n/a (log nearly empty at the last ack)',
          `${(promHeadBytes / promAccepted).toFixed(2)} (WAL + head chunks, du)`,
          '',
        ],
        [
          'disk, compacted (B/sample)',
          after.chunkSamples
            ? `${after.chunkBytesPerSample.toFixed(2)} (sample_chunks, storageStats)`
            : 'n/a (nothing compacted)',
          `${(promBlockBytes / promAccepted).toFixed(2)} (snapshot block, du)`,
          after.chunkSamples
            ? (after.chunkBytesPerSample / (promBlockBytes / promAccepted)).toFixed(2)
            : '',
        ],
        [
          'disk, compacted, live (B/sample)',
          live.chunkSamples
            ? `${live.chunkBytesPerSample.toFixed(2)} (sample_chunks after VACUUM FULL)`
            : 'n/a',
          `${(promBlockBytes / promAccepted).toFixed(2)}`,
          live.chunkSamples
            ? (live.chunkBytesPerSample / (promBlockBytes / promAccepted)).toFixed(2)
            : '',
        ],
        [
          'samples per series compacted',
          Math.round(after.chunkSamples / flags.series),
          Math.round(promAccepted / flags.series),
          '',
        ],
      ],
    ),
  );
  console.log(
    '\nNotes: one machine for everything (load generator in a worker thread, PostgreSQL, Redis, the servers); ' +
      "Tocsin's figure includes PostgreSQL's work, which its CPU row does not count. Prometheus' snapshot " +
      'writes its head as one compacted block; Tocsin compacted with Compactor(graceMs 0).compactDue. Few samples ' +
      'per series make chunk and index overhead dominate both compacted figures (bench:query shows steady-state sizes).',
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
