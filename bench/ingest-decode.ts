// Decode throughput of the ingest path on one core: snappy + protobuf decode, then validation,
// then the whole framework-free handler with a sink that only counts. Prints figures; asserts
// nothing. Run: node scripts/build.mjs && node dist/bench/ingest-decode.js
import {
  createIngestHandler,
  decodeWriteRequest,
  DEFAULT_INGEST_LIMITS,
  encodeWriteRequest,
  validateBatch,
  type EncodableSeries,
} from '@tocsin/ingest';

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
  const deadline = Date.now() + 2000;
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

async function main(): Promise<void> {
  const ingest = createIngestHandler({
    sink: { write: async (_o, b) => ({ samplesWritten: b.sampleCount }) },
  });
  const ctx = { orgId: 'bench', limits: DEFAULT_INGEST_LIMITS };
  for (const [seriesCount, perSeries] of [
    [2000, 1],
    [500, 10],
  ] as const) {
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
}

void main();
