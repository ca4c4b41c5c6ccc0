import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isStaleNaNAt, type WriteSeries } from '@tocsin/tsdb';
import { SsrfGuard } from '../ssrf/ssrf-guard';
import { ExpositionParseError, parseExposition } from './exposition-parser';
import { compileRelabelConfigs, relabel } from './relabel';
import { scrapeOnce, type ScrapeTargetSpec } from './scrape-engine';

describe('parseExposition', () => {
  it('reads comments, HELP/TYPE, escapes, timestamps, NaN/Inf, histograms and summaries', () => {
    const text = [
      '# HELP http_requests_total The total. With "quotes" \\ and more',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400",} 3 1395066363000',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      'metric_without_timestamp_and_labels 12.47',
      'something_weird{problem="division by zero"} +Inf -3982045',
      'nan_metric NaN',
      'neg_inf -Inf',
      '# A histogram',
      'http_request_duration_seconds_bucket{le="0.05"} 24054',
      'http_request_duration_seconds_bucket{le="+Inf"} 144320',
      'http_request_duration_seconds_sum 53423',
      'http_request_duration_seconds_count 144320',
      'rpc_duration_seconds{quantile="0.5"} 4773',
      '',
    ].join('\n');
    const s = parseExposition(text);
    expect(s).toHaveLength(12);
    expect(s[0]).toEqual({ labels: { __name__: 'http_requests_total', method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 });
    expect(s[2].labels).toEqual({ __name__: 'msdos_file_access_time_seconds', path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(s[4]).toMatchObject({ value: Infinity, timestampMs: -3982045 });
    expect(Number.isNaN(s[5].value)).toBe(true);
    expect(s[6].value).toBe(-Infinity);
    expect(s[8].labels).toEqual({ __name__: 'http_request_duration_seconds_bucket', le: '+Inf' });
  });

  it('reads OpenMetrics: second timestamps, exemplars, EOF', () => {
    const s = parseExposition('# TYPE a counter\na_total{x="1"} 5 1700000000.5 # {trace_id="abc"} 1 1700000000\n# EOF\n', true);
    expect(s).toEqual([{ labels: { __name__: 'a_total', x: '1' }, value: 5, timestampMs: 1700000000500 }]);
  });

  it.each([['{a="b"} 1'], ['m{a=b} 1'], ['m{a="b} 1'], ['m abc'], ['m 1 2 3'], ['m{a="1",a="2"} 1'], ['m']])('rejects %j with a line number', (line) => {
    expect(() => parseExposition(`ok 1\n${line}\n`)).toThrow(ExpositionParseError);
    expect(() => parseExposition(`ok 1\n${line}\n`)).toThrow(/line 2/);
  });
});

describe('relabel', () => {
  const base = { __name__: 'node_cpu_seconds_total', cpu: '0', mode: 'idle', instance: 'h:9100' };
  it('keeps, drops and replaces like Prometheus', () => {
    expect(relabel(base, compileRelabelConfigs([{ action: 'keep', source_labels: ['mode'], regex: 'idle|user' }]))).toEqual(base);
    expect(relabel({ ...base, mode: 'irq' }, compileRelabelConfigs([{ action: 'keep', source_labels: ['mode'], regex: 'idle|user' }]))).toBeNull();
    expect(relabel(base, compileRelabelConfigs([{ action: 'drop', source_labels: ['__name__'], regex: 'node_cpu.*' }]))).toBeNull();
    // The regex is anchored: "idl" does not match "idle".
    expect(relabel(base, compileRelabelConfigs([{ action: 'drop', source_labels: ['mode'], regex: 'idl' }]))).toEqual(base);
    expect(
      relabel(base, compileRelabelConfigs([{ source_labels: ['instance', 'cpu'], separator: '/', regex: '([^:]+):\\d+/(.*)', target_label: 'host_cpu', replacement: '${1}-$2' }])),
    ).toEqual({ ...base, host_cpu: 'h-0' });
    expect(relabel(base, compileRelabelConfigs([{ source_labels: ['x'], regex: '', target_label: 'cpu', replacement: '' }]))).toEqual({ __name__: base.__name__, mode: 'idle', instance: 'h:9100' }); // an empty replacement removes the label
    expect(relabel(base, compileRelabelConfigs([{ action: 'labeldrop', regex: 'cpu|mode' }]))).toEqual({ __name__: base.__name__, instance: 'h:9100' });
  });
  it('refuses bad configs clearly', () => {
    expect(() => compileRelabelConfigs([{ action: 'replace', regex: '(' , target_label: 'x' }])).toThrow(/invalid regex/);
    expect(() => compileRelabelConfigs([{ action: 'replace' }])).toThrow(/target_label/);
  });
});

describe('scrapeOnce', () => {
  let server: Server;
  let body = '';
  let status = 200;
  let seenAuth: string | undefined;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      seenAuth = req.headers.authorization;
      res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const target = (): ScrapeTargetSpec => ({
    job: 'node',
    scheme: 'http',
    address: `127.0.0.1:${port}`,
    metricsPath: '/metrics',
    timeoutMs: 2000,
    labels: { env: 'test' },
    auth: { bearer: 's3cret' },
    metricRelabel: compileRelabelConfigs([{ action: 'drop', source_labels: ['__name__'], regex: 'dropped_.*' }]),
  });
  const open = new SsrfGuard({ allowPrivate: true });
  const byName = (w: WriteSeries[], name: string) => w.filter((s) => s.labels.__name__ === name);

  it('labels samples with job/instance/target labels, writes up and scrape_* series, and marks vanished series stale', async () => {
    body = 'a{job="theirs"} 1\nb 2\ndropped_x 3\n';
    const first = await scrapeOnce(target(), open, [], 1_000_000);
    expect(seenAuth).toBe('Bearer s3cret');
    expect(first.up).toBe(true);
    expect(first.samplesScraped).toBe(3);
    expect(first.samplesPostRelabel).toBe(2);
    expect(byName(first.write, 'a')[0].labels).toEqual({ __name__: 'a', exported_job: 'theirs', job: 'node', instance: `127.0.0.1:${port}`, env: 'test' });
    expect(byName(first.write, 'up')[0].values[0]).toBe(1);
    expect(byName(first.write, 'scrape_samples_scraped')[0].values[0]).toBe(3);

    body = 'a{job="theirs"} 1\n';
    const second = await scrapeOnce(target(), open, first.seriesKeys, 1_015_000);
    const b = byName(second.write, 'b');
    expect(b).toHaveLength(1);
    expect(isStaleNaNAt(b[0].values as Float64Array, 0)).toBe(true);

    status = 500;
    const down = await scrapeOnce(target(), open, second.seriesKeys, 1_030_000);
    expect(down.up).toBe(false);
    expect(down.error).toMatch(/500/);
    expect(byName(down.write, 'up')[0].values[0]).toBe(0);
    expect(isStaleNaNAt(byName(down.write, 'a')[0].values as Float64Array, 0)).toBe(true);
    status = 200;
  });

  it('fails a scrape whose body is over the size limit instead of storing its first part', async () => {
    body = 'a 1\n'.repeat(100);
    const r = await scrapeOnce({ ...target(), bodySizeLimitBytes: 64 }, open, [], 1);
    expect(r.up).toBe(false);
    expect(r.error).toMatch(/exceeds the limit of 64 bytes/);
    expect(byName(r.write, 'a')).toEqual([]);
    expect((await scrapeOnce({ ...target(), bodySizeLimitBytes: 400 }, open, [], 2)).up).toBe(true);
  });

  it('reports a parse error as the target being down', async () => {
    body = 'ok 1\nbroken{ 2\n';
    const r = await scrapeOnce(target(), open, [], 1);
    expect(r.up).toBe(false);
    expect(r.error).toMatch(/line 2/);
  });

  it('is refused by the closed guard without touching the server', async () => {
    seenAuth = 'untouched';
    const r = await scrapeOnce(target(), new SsrfGuard({ allowPrivate: false }), [], 1);
    expect(r.error).toMatch(/^blocked/);
    expect(seenAuth).toBe('untouched');
  });
});
