import { encodeWriteRequest, type MetricMetadata } from '@tocsin/ingest';
import { gql, signUp, startApi, type RunningApi } from './support/api';

// Push with remote_write, read back through the Prometheus HTTP API exactly as Grafana would,
// and check that one organization's key sees nothing of another's.
describe('Prometheus HTTP API', () => {
  let api: RunningApi;
  const keys: Record<'a' | 'b', { ingest: string; read: string }> = {} as never;
  const now = Date.now();
  const t0 = Math.floor(now / 1000) * 1000 - 10 * 60_000;

  async function keyFor(token: string, scopes: string): Promise<string> {
    const r = await gql(api.url, `mutation { createApiKey(input: { name: "k", scopes: [${scopes}] }) { secret } }`, {}, { token });
    return r.data!.createApiKey.secret;
  }

  function push(
    key: string,
    series: Array<{ labels: Record<string, string>; start: number; values: number[] }>,
    metadata: MetricMetadata[] = [],
  ) {
    const body = encodeWriteRequest(
      series.map((s) => ({
        labels: s.labels,
        timestamps: s.values.map((_, i) => s.start + i * 60_000),
        values: s.values,
      })),
      metadata,
    );
    return fetch(`${api.url}/api/v1/write`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '0.1.0',
      },
      body,
    });
  }

  async function prom(path: string, key: string, init?: RequestInit) {
    const res = await fetch(`${api.url}${path}`, { ...init, headers: { ...(init?.headers ?? {}), authorization: `Basic ${Buffer.from(`grafana:${key}`).toString('base64')}` } });
    return { status: res.status, body: (await res.json()) as any };
  }

  beforeAll(async () => {
    api = await startApi();
    for (const who of ['a', 'b'] as const) {
      const user = await signUp(api.url, `prom-${who}`);
      keys[who] = { ingest: await keyFor(user.token, 'INGEST'), read: await keyFor(user.token, 'READ') };
    }
    const a = await push(keys.a.ingest, [
      { labels: { __name__: 'http_requests_total', job: 'api', instance: 'a1' }, start: t0, values: [0, 60, 120, 180, 240, 300, 360, 420, 480, 540] },
      { labels: { __name__: 'http_requests_total', job: 'api', instance: 'a2' }, start: t0, values: [0, 30, 60, 90, 120, 150, 180, 210, 240, 270] },
      { labels: { __name__: 'secret_metric_of_a', job: 'hidden' }, start: t0, values: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
    ], [{ metric: 'secret_metric_of_a', type: 'gauge', help: 'Only A may read this.', unit: '' }]);
    expect(a.status).toBe(204);
    const b = await push(keys.b.ingest, [{ labels: { __name__: 'http_requests_total', job: 'api', instance: 'b1' }, start: t0, values: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5] }]);
    expect(b.status).toBe(204);
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers an instant query in Prometheus shape', async () => {
    const t = (t0 + 9 * 60_000) / 1000;
    const r = await prom(`/api/v1/query?query=${encodeURIComponent('sum by (job) (rate(http_requests_total[5m]))')}&time=${t}`, keys.a.read);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('success');
    expect(r.body.data.resultType).toBe('vector');
    expect(r.body.data.result).toHaveLength(1);
    expect(r.body.data.result[0].metric).toEqual({ job: 'api' });
    expect(r.body.data.result[0].value[0]).toBe(t);
    expect(Number(r.body.data.result[0].value[1])).toBeCloseTo(1.5, 9);
  });

  it('answers a range query via form POST', async () => {
    const form = new URLSearchParams({ query: 'http_requests_total{instance="a1"}', start: String(t0 / 1000), end: String((t0 + 9 * 60_000) / 1000), step: '60' });
    const r = await prom('/api/v1/query_range', keys.a.read, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(200);
    expect(r.body.data.resultType).toBe('matrix');
    expect(r.body.data.result[0].values).toHaveLength(10);
    expect(r.body.data.result[0].values[9]).toEqual([(t0 + 9 * 60_000) / 1000, '540']);
  });

  it('lists series, label names and values of the caller\'s organization only', async () => {
    const labels = await prom('/api/v1/labels', keys.b.read);
    expect(labels.body.data).toEqual(['__name__', 'instance', 'job']);
    const names = await prom('/api/v1/label/__name__/values', keys.b.read);
    expect(names.body.data).toEqual(['http_requests_total']);
    const series = await prom(`/api/v1/series?match[]=${encodeURIComponent('{__name__=~".+"}')}`, keys.b.read);
    expect(series.body.data).toEqual([{ __name__: 'http_requests_total', job: 'api', instance: 'b1' }]);
    const q = await prom(`/api/v1/query?query=${encodeURIComponent('{__name__=~".+"}')}&time=${(t0 + 9 * 60_000) / 1000}`, keys.b.read);
    expect(q.body.data.result.map((s: { metric: Record<string, string> }) => s.metric.instance)).toEqual(['b1']);
    expect((await prom('/api/v1/metadata', keys.b.read)).body.data).toEqual({});
    expect((await prom('/api/v1/metadata?metric=secret_metric_of_a', keys.a.read)).body.data).toEqual({
      secret_metric_of_a: [{ type: 'gauge', help: 'Only A may read this.', unit: '' }],
    });
  });

  it('reports a parse error with its position as bad_data', async () => {
    const r = await prom(`/api/v1/query?query=${encodeURIComponent('sum(rate(x[5m])')}`, keys.a.read);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ status: 'error', errorType: 'bad_data' });
    expect(r.body.error).toMatch(/^1:\d+: parse error/);
  });

  it('refuses keys without the read scope and anonymous callers', async () => {
    expect((await prom('/api/v1/query?query=up', keys.a.ingest)).status).toBe(403);
    const anon = await fetch(`${api.url}/api/v1/query?query=up`);
    expect(anon.status).toBe(401);
  });

  it('answers the same data through GraphQL for charts, per organization', async () => {
    const q = `query($r: RangeInput!) {
      metricNames(range: $r)
      labelValues(name: "instance", range: $r)
      queryRange(query: "rate(http_requests_total[5m])", range: $r) { resultType series { labels timestamps values } }
    }`;
    const range = { start: t0, end: t0 + 9 * 60_000, step: 60_000 };
    const a = await gql(api.url, q, { r: range }, { token: keys.a.read });
    expect(a.errors).toBeUndefined();
    expect(a.data!.metricNames).toEqual(['http_requests_total', 'secret_metric_of_a']);
    expect(a.data!.labelValues).toEqual(['a1', 'a2']);
    const a1 = a.data!.queryRange.series.find((s: { labels: Record<string, string> }) => s.labels.instance === 'a1');
    expect(a1.values[a1.values.length - 1]).toBeCloseTo(1, 9);
    const b = await gql(api.url, q, { r: range }, { token: keys.b.read });
    expect(b.data!.metricNames).toEqual(['http_requests_total']);
    expect(b.data!.labelValues).toEqual(['b1']);
    const bad = await gql(api.url, 'query($r: RangeInput!) { queryRange(query: "rate(", range: $r) { resultType } }', { r: range }, { token: keys.a.read });
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('aligns a chart range to the step it chose, so refreshes ask for the same grid', async () => {
    const q = `query($r: RangeInput!) { queryRange(query: "http_requests_total", range: $r) { series { timestamps } } }`;
    // 9 min + a few seconds over 250 points: a 3 s step; start and end off the grid.
    const at = async (start: number, end: number) => {
      const r = await gql(api.url, q, { r: { start, end } }, { token: keys.a.read });
      expect(r.errors).toBeUndefined();
      return r.data!.queryRange.series.flatMap((s: { timestamps: number[] }) => s.timestamps) as number[];
    };
    const g = Math.ceil(t0 / 3_000) * 3_000;
    const first = await at(g + 1_234, g + 9 * 60_000 + 4_567);
    expect(first.length).toBeGreaterThan(0);
    for (const t of first) expect(t % 3_000).toBe(0);
    // A refresh 800 ms later lands on the same grid.
    expect(await at(g + 2_034, g + 9 * 60_000 + 5_367)).toEqual(first);
  });

  it('reports usage against limits from what was ingested', async () => {
    const r = await gql(api.url, '{ usage { activeSeries maxActiveSeries ingestionRateLimit topMetrics { metric series } lastHour { samples } } }', {}, { token: keys.a.read });
    expect(r.errors).toBeUndefined();
    expect(r.data!.usage.activeSeries).toBe(3);
    expect(r.data!.usage.maxActiveSeries).toBe(150000);
    expect(r.data!.usage.ingestionRateLimit).toBe(10000);
    expect(r.data!.usage.topMetrics[0]).toEqual({ metric: 'http_requests_total', series: 2 });
    // Per-minute counts are checked with a controlled clock in ingest-usage.int-spec.ts.
    expect(r.data!.usage.lastHour).toHaveLength(60);
    const b = await gql(api.url, '{ usage { activeSeries topMetrics { metric } } }', {}, { token: keys.b.read });
    expect(b.data!.usage.activeSeries).toBe(1);
  });

  it('caches query_range per organization: same text, each its own answer; counted on /metrics', async () => {
    // An hour of history ending well before the cache's freshness horizon (10 min).
    const start = Math.floor((now - 2 * 3600_000) / 60_000) * 60_000;
    const values = Array.from({ length: 61 }, () => 1);
    expect((await push(keys.a.ingest, [{ labels: { __name__: 'cache_probe', owner: 'a' }, start, values }])).status).toBe(204);
    expect((await push(keys.b.ingest, [{ labels: { __name__: 'cache_probe', owner: 'b' }, start, values: values.map(() => 2) }])).status).toBe(204);
    const ask = async (key: string, headers: Record<string, string> = {}) => {
      const form = new URLSearchParams({ query: 'sum by (owner) (cache_probe)', start: String(start / 1000), end: String(start / 1000 + 3600), step: '60' });
      const res = await fetch(`${api.url}/api/v1/query_range`, {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${key}`, ...headers },
      });
      const body = (await res.json()) as any;
      return { cache: String(res.headers.get('x-tocsin-cache')).split(';')[0], result: body.data.result };
    };
    const a1 = await ask(keys.a.read);
    const a2 = await ask(keys.a.read);
    expect([a1.cache, a2.cache]).toEqual(['miss', 'hit']);
    expect(a2.result).toEqual(a1.result);
    expect(a1.result.map((r: any) => r.metric)).toEqual([{ owner: 'a' }]);
    const b1 = await ask(keys.b.read);
    expect(b1.cache).toBe('miss');
    expect(b1.result.map((r: any) => r.metric)).toEqual([{ owner: 'b' }]);
    expect(b1.result[0].values[0][1]).toBe('2');
    expect((await ask(keys.a.read, { 'cache-control': 'no-cache' })).cache).toBe('bypass');
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(Number(/^tocsin_query_cache_requests_total\{status="hit"\} (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^tocsin_query_cache_bytes [1-9]/m);
  });

  it("applies an organization's own query limits, set by its admin, to it alone", async () => {
    const admin = await signUp(api.url, 'prom-limits');
    const set = await gql(api.url, 'mutation { updateOrganizationLimits(input: { queryMaxSamples: 1000 }) { queryMaxSamples queryTimeoutSeconds } }', {}, { token: admin.token });
    expect(set.data!.updateOrganizationLimits).toEqual({ queryMaxSamples: 1000, queryTimeoutSeconds: 120 });
    const tooSmall = await gql(api.url, 'mutation { updateOrganizationLimits(input: { queryTimeoutSeconds: 0 }) { queryTimeoutSeconds } }', {}, { token: admin.token });
    expect(tooSmall.errors?.[0].message).toBe('queryTimeoutSeconds must be an integer from 1 to 3600');
    const ingest = await keyFor(admin.token, 'INGEST');
    const read = await keyFor(admin.token, 'READ');
    const series = [1, 2].map((n) => ({ labels: { __name__: 'limited', n: String(n) }, start: t0, values: Array.from({ length: 10 }, () => n) }));
    expect((await push(ingest, series)).status).toBe(204);
    // 2 series × 601 one-second steps hold 1,202 points: over this organization's 1,000.
    const form = (query: string) => new URLSearchParams({ query, start: String(t0 / 1000), end: String(t0 / 1000 + 600), step: '1' });
    const post = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-cache' } };
    const refused = await prom('/api/v1/query_range', read, { ...post, body: form('limited') });
    expect(refused).toMatchObject({ status: 422, body: { errorType: 'execution', error: 'query processing would load too many samples into memory in query execution' } });
    expect((await prom('/api/v1/query_range', keys.a.read, { ...post, body: form('http_requests_total') })).status).toBe(200);
  });

  it('serves buildinfo for Grafana', async () => {
    const r = await prom('/api/v1/status/buildinfo', keys.a.read);
    expect(r.body.data.version).toMatch(/^2\./);
  });
});
