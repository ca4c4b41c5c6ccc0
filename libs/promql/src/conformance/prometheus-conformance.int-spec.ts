import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWriteRequest } from '@tocsin/ingest';
import { createEngine, MemorySeriesReader, type PromQueryData } from '../index';
import {
  conformanceExpressions,
  conformanceWindow,
  diffPromData,
  INSTANT_ONLY,
} from './conformance-cases';
import { generateConformanceData, type GeneratedSeries } from './conformance-data';

// Runs the same expressions against Debian's Prometheus 2.42 and our engine over identical
// data (pushed to Prometheus by remote_write) and requires identical series and values.

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const ORG = 'conformance-org';
const HOUR = 3_600_000;

const { END, START, FIXED } = conformanceWindow(Date.now());
const EXPRESSIONS = conformanceExpressions(FIXED);

interface PromResponse {
  status: string;
  data: PromQueryData;
  error?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('PromQL conformance with Prometheus 2.42', () => {
  let proc: ChildProcess | undefined;
  let dir: string;
  let base: string;
  let stderr = '';
  const reader = new MemorySeriesReader();
  const engine = createEngine({ reader });

  beforeAll(async () => {
    if (!existsSync(PROMETHEUS)) {
      throw new Error(
        `Prometheus binary not found at ${PROMETHEUS}: install it with "apt-get install -y prometheus" ` +
          '(Debian 12 ships 2.42, the version this conformance test targets)',
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'tocsin-promql-conformance-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      'global:\n  scrape_interval: 15s\n  evaluation_interval: 1m\n',
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    proc = spawn(
      PROMETHEUS,
      [
        '--web.enable-remote-write-receiver',
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--config.file=${join(dir, 'prometheus.yml')}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    proc.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const readyBy = Date.now() + 20_000;
    for (;;) {
      if (proc.exitCode !== null)
        throw new Error(`prometheus exited with ${proc.exitCode}: ${stderr}`);
      try {
        if ((await fetch(`${base}/-/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > readyBy) throw new Error(`prometheus did not become ready: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const data = generateConformanceData(END, 2 * HOUR);
    for (const s of data) {
      reader.add(
        ORG,
        s.labels,
        s.timestamps.map((t, i) => ({ t, v: s.values[i], stale: s.stale[i] })),
      );
    }
    // Prometheus' head rejects samples older than an hour before its newest one, so history
    // goes in by time window across all series, oldest first.
    const windowMs = 10 * 60_000;
    for (let from = START - windowMs; from <= END + windowMs; from += windowMs) {
      const batch = data
        .map((s: GeneratedSeries) => {
          const idx = s.timestamps.flatMap((t, i) => (t >= from && t < from + windowMs ? [i] : []));
          return {
            labels: s.labels,
            timestamps: idx.map((i) => s.timestamps[i]),
            values: s.values.slice(idx[0] ?? 0, (idx[idx.length - 1] ?? -1) + 1),
          };
        })
        .filter((s) => s.timestamps.length > 0);
      if (batch.length === 0) continue;
      const res = await fetch(`${base}/api/v1/write`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-protobuf',
          'Content-Encoding': 'snappy',
          'X-Prometheus-Remote-Write-Version': '0.1.0',
        },
        body: encodeWriteRequest(batch),
      });
      if (res.status !== 204 && res.status !== 200) {
        throw new Error(`remote write failed: ${res.status} ${await res.text()}`);
      }
    }
  }, 40_000);

  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc!.once('exit', r));
      proc.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function prom(path: string, params: Record<string, string>): Promise<PromResponse> {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    return (await res.json()) as PromResponse;
  }

  it('covers at least 60 expressions', () => {
    expect(EXPRESSIONS.length + INSTANT_ONLY.length).toBeGreaterThanOrEqual(60);
  });

  it('agrees on instant queries', async () => {
    const failures: string[] = [];
    let nonEmpty = 0;
    let total = 0;
    // In the middle of the data, at its end, just after a counter reset, inside the gap of
    // queue_depth (past the lookback) and just after its staleness marker.
    const times = [
      END - 53 * 60_000 + 7_000,
      END,
      START + 101 * 15_000,
      START + 45 * 60_000,
      START + 301 * 15_000,
    ];
    for (const t of times) {
      for (const expr of [...EXPRESSIONS, ...INSTANT_ONLY]) {
        const want = await prom('/api/v1/query', { query: expr, time: String(t / 1000) });
        if (want.status !== 'success') {
          failures.push(`${expr} @${t}: prometheus failed: ${want.error}`);
          continue;
        }
        total++;
        if (!Array.isArray(want.data.result) || want.data.result.length > 0) nonEmpty++;
        try {
          const got = await engine.instantQuery(ORG, expr, t);
          const d = diffPromData(expr, want.data, got);
          if (d) failures.push(`instant ${expr} @${t / 1000}: ${d}`);
        } catch (err) {
          failures.push(`instant ${expr} @${t / 1000}: threw ${(err as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Guards against agreeing on nothing (e.g. data that never reached Prometheus).
    expect(nonEmpty / total).toBeGreaterThan(0.8);
  }, 30_000);

  it.each([
    [START + 20 * 60_000 + 13_000, 60_000],
    [START + 3 * 60_000, 47_000],
  ])(
    'agrees on range queries from %p every %p ms',
    async (start, step) => {
      const failures: string[] = [];
      // The first start is off the minute grid, which Prometheus does not align; the second step
      // does not divide a minute, so subquery grids and range steps never coincide.
      let nonEmpty = 0;
      for (const expr of EXPRESSIONS) {
        const want = await prom('/api/v1/query_range', {
          query: expr,
          start: String(start / 1000),
          end: String(END / 1000),
          step: String(step / 1000),
        });
        if (want.status !== 'success') {
          failures.push(`${expr}: prometheus failed: ${want.error}`);
          continue;
        }
        if ((want.data.result as unknown[]).length > 0) nonEmpty++;
        try {
          const got = await engine.rangeQuery(ORG, expr, start, END, step);
          const d = diffPromData(expr, want.data, got);
          if (d) failures.push(`range ${expr}: ${d}`);
        } catch (err) {
          failures.push(`range ${expr}: threw ${(err as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
      expect(nonEmpty / EXPRESSIONS.length).toBeGreaterThan(0.9);
    },
    30_000,
  );

  it('rejects the same invalid queries with bad_data', async () => {
    for (const expr of [
      'sum(',
      'rate(http_requests_total)',
      'foo_bar(x)',
      '1 > 2',
      'http_requests_total[5m] + 1',
    ]) {
      const want = await prom('/api/v1/query', { query: expr, time: String(END / 1000) });
      expect(want).toMatchObject({ status: 'error', errorType: 'bad_data' });
      await expect(engine.instantQuery(ORG, expr, END)).rejects.toMatchObject({
        errorType: 'bad_data',
      });
    }
  });

  it('fails the same queries at execution time', async () => {
    for (const expr of [
      'http_requests_total / on(instance) http_requests_total',
      'up / on(instance) group_left http_requests_total',
      'label_replace(up, "instance", "x", "instance", ".*")',
      '{__name__=~"request_duration_seconds_(sum|count)"} * 2',
    ]) {
      const want = await prom('/api/v1/query', { query: expr, time: String(END / 1000) });
      expect({ expr, ...want }).toMatchObject({ expr, status: 'error', errorType: 'execution' });
      await expect(engine.instantQuery(ORG, expr, END)).rejects.toMatchObject({
        errorType: 'execution',
      });
    }
  });
});
