import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gql, signUp, startApi, type RunningApi } from './support/api';
import { freePort } from './support/free-port';

// What the reviewer does by hand: a stock Debian Prometheus scrapes a
// prometheus-node-exporter (and itself) and remote_writes to Tocsin with an ingest key; then
// PromQL over Tocsin's copy must answer what that Prometheus answers over its own, for
// expressions over real exporter data (not the generated data of the conformance suite), and
// the series, label and metadata look-ups Grafana makes must agree too.
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const NODE_EXPORTER = process.env.NODE_EXPORTER ?? '/usr/bin/prometheus-node-exporter';

const EXPRESSIONS = [
  'up',
  'node_load1',
  'rate(node_cpu_seconds_total[10s])',
  'sum by (mode) (rate(node_cpu_seconds_total[10s]))',
  '100 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[10s])) * 100',
  'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes',
  'irate(node_network_receive_bytes_total{device!="lo"}[10s])',
  'increase(prometheus_http_requests_total[10s])',
  'topk(3, rate(node_disk_read_bytes_total[10s]))',
  'count_values("v", node_filesystem_readonly)',
  'histogram_quantile(0.9, sum by (le) (rate(prometheus_http_request_duration_seconds_bucket[10s])))',
  'sum without (cpu) (rate(node_cpu_seconds_total[10s]))',
  'max_over_time(node_memory_Active_bytes[10s]) - min_over_time(node_memory_Active_bytes[10s])',
  'quantile_over_time(0.9, node_load5[10s])',
  'deriv(node_memory_MemFree_bytes[10s])',
  'predict_linear(node_filesystem_free_bytes[10s], 3600)',
  'changes(node_load1[10s])',
  'resets(node_cpu_seconds_total[10s])',
  'absent(nonexistent_metric)',
  'label_replace(up, "host", "$1", "instance", "(.*):.*")',
  'node_load1 offset 5s',
  'sum(rate(node_cpu_seconds_total[10s])) by (cpu) / on (cpu) group_left count(node_cpu_seconds_total) by (cpu)',
  'up and on (job) node_load1',
  'max_over_time(rate(node_cpu_seconds_total{mode="user"}[5s])[10s:2s])',
  'sort_desc(sum by (device) (node_filesystem_size_bytes))',
  'timestamp(node_load1)',
  'count(count by (__name__) ({job="node"}))',
  'rate(prometheus_tsdb_head_samples_appended_total[10s])',
  'node_load1 atan2 node_load5',
];

interface PromAnswer {
  status: string;
  errorType?: string;
  data: {
    resultType: string;
    result: Array<{
      metric: Record<string, string>;
      value?: [number, string];
      values?: Array<[number, string]>;
    }>;
  };
}

function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

/** Differences between two answers, described (empty when they agree). */
function differences(expected: PromAnswer, actual: PromAnswer): string[] {
  if (expected.status !== actual.status) return [`status ${expected.status} vs ${actual.status}`];
  if (expected.status !== 'success')
    return expected.errorType === actual.errorType
      ? []
      : [`errorType ${expected.errorType} vs ${actual.errorType}`];
  const key = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort());
  const got = new Map(actual.data.result.map((s) => [key(s.metric), s]));
  const out: string[] = [];
  for (const s of expected.data.result) {
    const o = got.get(key(s.metric));
    got.delete(key(s.metric));
    if (!o) {
      out.push(`missing ${key(s.metric)}`);
      continue;
    }
    const want = s.values ?? [s.value!];
    const have = new Map((o.values ?? [o.value!]).map(([t, v]) => [t, v]));
    if (have.size !== want.length)
      out.push(`${key(s.metric)}: ${want.length} points vs ${have.size}`);
    for (const [t, v] of want) {
      if (!have.has(t) || !sameValue(v, have.get(t)!)) {
        out.push(`${key(s.metric)} @${t}: ${v} vs ${have.get(t)}`);
        break;
      }
    }
  }
  for (const k of got.keys()) out.push(`extra ${k}`);
  return out;
}

describe('a stock Prometheus scraping node_exporter, remote_writing to Tocsin', () => {
  let api: RunningApi;
  let dir: string;
  let prometheusUrl: string;
  let readKey: string;
  const children: ChildProcess[] = [];

  async function tocsin(path: string, params: Record<string, string> = {}): Promise<any> {
    const res = await fetch(`${api.url}/api/v1/${path}?${new URLSearchParams(params)}`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    return res.json();
  }

  async function prometheus(path: string, params: Record<string, string> = {}): Promise<any> {
    return (await fetch(`${prometheusUrl}/api/v1/${path}?${new URLSearchParams(params)}`)).json();
  }

  beforeAll(async () => {
    for (const bin of [PROMETHEUS, NODE_EXPORTER])
      if (!existsSync(bin))
        throw new Error(
          `${bin} is missing: apt-get install -y prometheus prometheus-node-exporter`,
        );
    api = await startApi();
    const user = await signUp(api.url, 'stock-prometheus');
    const key = async (scope: string) =>
      (
        await gql(
          api.url,
          `mutation { createApiKey(input: { name: "${scope}", scopes: [${scope}] }) { secret } }`,
          {},
          { token: user.token },
        )
      ).data!.createApiKey.secret as string;
    const ingestKey = await key('INGEST');
    readKey = await key('READ');

    dir = mkdtempSync(join(tmpdir(), 'tocsin-stock-prometheus-'));
    const exporterPort = await freePort();
    const promPort = await freePort();
    prometheusUrl = `http://127.0.0.1:${promPort}`;
    children.push(
      spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${exporterPort}`], { stdio: 'ignore' }),
    );
    // A 1 s scrape and a 1 s send deadline, so that a few seconds hold enough samples for 10 s
    // windows and Tocsin's copy is at most a few seconds behind.
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: node',
        `    static_configs: [{ targets: ['127.0.0.1:${exporterPort}'] }]`,
        '  - job_name: prometheus',
        `    static_configs: [{ targets: ['127.0.0.1:${promPort}'] }]`,
        'remote_write:',
        `  - url: ${api.url}/api/v1/write`,
        '    authorization:',
        `      credentials: ${ingestKey}`,
        '    queue_config: { batch_send_deadline: 1s }',
        '    metadata_config: { send_interval: 5s }',
        '',
      ].join('\n'),
    );
    children.push(
      spawn(
        PROMETHEUS,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
          '--log.level=warn',
        ],
        { stdio: 'ignore' },
      ),
    );
  });

  afterAll(async () => {
    for (const c of children) c.kill();
    await Promise.all(
      children.map((c) =>
        c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined,
      ),
    );
    if (dir) rmSync(dir, { recursive: true, force: true });
    await api?.close();
  });

  it("answers PromQL over the exporter data as that Prometheus does, and Grafana's look-ups alike", async () => {
    // 20 s of scrapes, then until Tocsin holds samples up to the evaluation time of both servers.
    await new Promise((r) => setTimeout(r, 20_000));
    const at = Math.floor(Date.now() / 1000) - 5;
    // Samples of one scrape travel in several shards' batches: 2 s of margin past `at`.
    for (let tries = 0; ; tries++) {
      const last = await tocsin('query', { query: 'min(timestamp(up))', time: String(at + 4) });
      if (last.data?.result?.[0] && Number(last.data.result[0].value[1]) >= at + 2) break;
      if (tries > 40) throw new Error(`Tocsin has no samples up to ${at}: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const failures: string[] = [];
    for (const query of EXPRESSIONS) {
      for (const [kind, params] of [
        ['query', { query, time: String(at) }],
        ['query_range', { query, start: String(at - 10), end: String(at), step: '1' }],
      ] as const) {
        const d = differences(await prometheus(kind, params), await tocsin(kind, params));
        if (d.length) failures.push(`${kind} ${query}: ${d.slice(0, 2).join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
    // What Grafana asks besides queries; Tocsin holds exactly what was remote_written.
    const window = { start: String(at - 10), end: String(at) };
    for (const [path, params] of [
      ['labels', window],
      ['label/__name__/values', window],
      ['label/mode/values', { ...window, 'match[]': 'node_cpu_seconds_total' }],
      ['series', { ...window, 'match[]': '{__name__=~"node_load.*"}' }],
    ] as const) {
      const sorted = (x: any) =>
        JSON.stringify((x.data as unknown[]).map((v) => JSON.stringify(v)).sort());
      expect([path, sorted(await tocsin(path, params))]).toEqual([
        path,
        sorted(await prometheus(path, params)),
      ]);
    }
    const [promMeta, ourMeta] = [
      await prometheus('metadata', { metric: 'node_load1' }),
      await tocsin('metadata', { metric: 'node_load1' }),
    ];
    expect(promMeta.data.node_load1).toHaveLength(1);
    expect(ourMeta.data).toEqual(promMeta.data);
  }, 120_000);
});
