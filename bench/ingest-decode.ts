// Decode throughput of the ingest path on one core: snappy + protobuf decode, then validation,
// then the whole framework-free handler with a sink that only counts; last, the api's whole
// in-process path (handler, series limits, TsdbWriter building the log row) over a stub
// database, on bench:ingest's load shape. Prints figures; asserts nothing.
// Run: node scripts/build.mjs && node dist/bench/ingest-decode.js
import type { Pool } from 'pg';
import {
  createIngestHandler,
  decodeWriteRequest,
  DEFAULT_INGEST_LIMITS,
  encodeWriteRequest,
  sampleSinkFromTsdb,
  seriesLimiterFromTsdb,
  validateBatch,
  type EncodableSeries,
} from '@tocsin/ingest';
import { SeriesIndex, SeriesLimitsService, TsdbWriter } from '@tocsin/tsdb';

const NOW = Date.now();

/** node_exporter-like series: a handful of labels with repeating names and values. */
function makeRequest(
  seriesCount: number,
  samplesPerSeries: number,
): { body: Buffer; samples: number } {
  const series: EncodableSeries[] = [];
  const modes = ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal', 'nice'];
  for (let i = 0; i < seriesCount; i++) {
    const timestamps: number[] = [];
    const values: number[] = [];
    for (let k = 0; k < samplesPerSeries; k++) {
      timestamps.push(NOW - (samplesPerSeries - k) * 15_000);
      values.push(Math.random() * 1e6);
    }
    series.push({
      labels: {
        __name__:
          i % 3 === 0
            ? 'node_cpu_seconds_total'
            : i % 3 === 1
              ? 'node_network_receive_bytes_total'
              : 'http_requests_total',
        instance: `host-${i % 97}.example.internal:9100`,
        job: 'node',
        cpu: String(i % 16),
        mode: modes[i % modes.length],
        env: 'production',
        region: 'eu-west-1',
        pod: `api-7d9f8c6b5-${(i * 7919).toString(36).slice(-5)}`,
      },
      timestamps,
      values,
    });
  }
  return { body: encodeWriteRequest(series), samples: seriesCount * samplesPerSeries };
}

async function measure(
  label: string,
  samples: number,
  fn: () => unknown | Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + Number(process.env.BENCH_SECONDS ?? 2) * 1000;
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  while (Date.now() < deadline) {
    await fn();
    n++;
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu0);
  // CPU seconds, not wall time: on a shared machine the wall clock mostly measures the neighbours.
  const cpu = (used.user + used.system) / 1e6;
  const perCpu = (n * samples) / cpu / 1e6;
  const perWall = (n * samples) / wall / 1e6;
  console.log(
    `${label.padEnd(50)} ${perCpu.toFixed(2)} M samples/CPU-s  ${perWall.toFixed(2)} M samples/wall-s  ${((cpu / n) * 1000).toFixed(2)} ms CPU/request`,
  );
}

/**
 * A pg Pool that answers without a database: the series insert returns an id per label hash,
 * counts are 0, everything else has no rows. Enough for TsdbWriter to do all of its own work.
 */
function stubPool(): Pool {
  let nextId = 1;
  const query = async (q: string | { text: string }, params?: unknown[]) => {
    const text = typeof q === 'string' ? q : q.text;
    if (text.includes('INSERT INTO series')) {
      const hashes = params![3] as Buffer[];
      return { rows: hashes.map((hash) => ({ id: String(nextId++), hash, inserted: true })) };
    }
    if (text.includes('count(*)') || text.includes('tsdb_ensure_partitions'))
      return { rows: [{ n: '0' }] };
    return { rows: [] };
  };
  const client = { query, release: () => undefined };
  return { connect: async () => client, query } as unknown as Pool;
}

/**
 * bench:ingest's requests: 10,000 node_exporter-like series in 4 shards (series % 4), each
 * shard's scrapes cut into requests of 2,000 one-sample TimeSeries, for `scrapes` scrapes.
 */
function shardedRequests(scrapes: number): Buffer[] {
  const seriesCount = 10_000;
  const shards = 4;
  const out: Buffer[] = [];
  const start = NOW - 3_600_000;
  for (let shard = 0; shard < shards; shard++) {
    let pending: EncodableSeries[] = [];
    for (let k = 0; k < scrapes; k++) {
      for (let i = shard; i < seriesCount; i += shards) {
        pending.push({
          labels: {
            __name__: `node_metric_${i % 50}`,
            instance: `host-${Math.floor(i / 50)}.example.internal:9100`,
            job: 'node',
            cpu: String(i % 16),
            env: 'production',
            region: 'eu-west-1',
            datacenter: 'dc-1',
            rack: `r${i % 20}`,
          },
          timestamps: [start + k * 15_000],
          values: [Math.random() * 1e6],
        });
        if (pending.length === 2000) {
          out.push(encodeWriteRequest(pending));
          pending = [];
        }
      }
    }
  }
  return out;
}

async function main(): Promise<void> {
  const ingest = createIngestHandler({
    sink: { write: async (_o, b) => ({ samplesWritten: b.sampleCount }) },
  });
  const ctx = { orgId: 'bench', limits: DEFAULT_INGEST_LIMITS };
  // BENCH_ONLY=api: only the last, whole-path measurement.
  const cases =
    process.env.BENCH_ONLY === 'api'
      ? []
      : ([
          [2000, 1],
          [500, 10],
        ] as const);
  for (const [seriesCount, perSeries] of cases) {
    const { body, samples } = makeRequest(seriesCount, perSeries);
    const shape = `${seriesCount} series x ${perSeries} sample(s), ${(body.length / 1024).toFixed(0)} KiB`;
    console.log(`remote_write request: ${shape}`);
    await measure('  snappy + protobuf decode', samples, () => decodeWriteRequest(body));
    await measure('  decode + validate', samples, () =>
      validateBatch(decodeWriteRequest(body), DEFAULT_INGEST_LIMITS, Date.now()),
    );
    await measure('  whole handler (counting sink, no rate limiter)', samples, () =>
      ingest(
        'remote_write',
        { body, contentType: 'application/x-protobuf', contentEncoding: 'snappy' },
        ctx,
      ),
    );
  }

  const index = new SeriesIndex();
  const writer = new TsdbWriter(stubPool(), { index });
  const api = createIngestHandler({
    sink: sampleSinkFromTsdb(writer),
    seriesLimiter: seriesLimiterFromTsdb(new SeriesLimitsService(stubPool(), index)),
  });
  const requests = shardedRequests(8);
  const apiCtx = {
    orgId: '00000000-0000-4000-8000-000000000001',
    limits: { ...DEFAULT_INGEST_LIMITS, maxActiveSeries: 2e9 },
  };
  console.log(
    `bench:ingest's shape: 10000 series, 4 shards, ${requests.length} requests of 2000 one-sample series`,
  );
  let next = 0;
  await measure('  handler + series limits + TsdbWriter (stub db)', 2000, async () => {
    const res = await api(
      'remote_write',
      {
        body: requests[next++ % requests.length],
        contentType: 'application/x-protobuf',
        contentEncoding: 'snappy',
      },
      apiCtx,
    );
    if (res.status !== 204) throw new Error(`status ${res.status}: ${JSON.stringify(res.body)}`);
  });
}

void main();
