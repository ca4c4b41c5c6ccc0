import { execFileSync } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStaleNaNAt } from '@tocsin/tsdb';
import { SsrfGuard } from '../ssrf/ssrf-guard';
import { dnsCheckConfigSchema, httpCheckConfigSchema } from './check-config';
import { checkSeries, runCheck, type CheckSpec } from './check-engine';
import { jsonPathGet } from './json-path';

const open = new SsrfGuard({ allowPrivate: true });
const closed = new SsrfGuard({ allowPrivate: false });
const listen = async (s: Server | ReturnType<typeof createNetServer>): Promise<number> => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
};

describe('jsonPathGet', () => {
  it('walks objects and arrays and refuses bad paths', () => {
    const doc = { status: 'ok', items: [{ name: 'a' }], 'odd key': 1 };
    expect(jsonPathGet(doc, '$.status')).toBe('ok');
    expect(jsonPathGet(doc, '$.items[0].name')).toBe('a');
    expect(jsonPathGet(doc, "$['odd key']")).toBe(1);
    expect(jsonPathGet(doc, '$.missing.deeper')).toBeUndefined();
    expect(() => jsonPathGet(doc, 'status')).toThrow();
    expect(() => jsonPathGet(doc, '$..x')).toThrow();
  });
});

describe('runCheck against local servers', () => {
  let http: Server;
  let httpPort: number;
  let hits = 0;
  let https: Server;
  let httpsPort: number;
  let tcp: ReturnType<typeof createNetServer>;
  let tcpPort: number;
  let dns: UdpSocket;
  let dnsPort: number;
  let dnsQueries = 0;
  let tcpConnections = 0;

  beforeAll(async () => {
    http = createServer((req, res) => {
      hits++;
      if (req.url === '/ok') res.end('all systems go');
      else if (req.url === '/json') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","db":{"up":true}}');
      else if (req.url === '/fail') res.writeHead(500).end('boom');
      else if (req.url === '/slow') setTimeout(() => res.end('late'), 1500);
      else if (req.url === '/echo') {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => res.end(`${req.method} ${req.headers['x-probe']} ${body}`));
      } else res.writeHead(404).end();
    });
    httpPort = await listen(http);
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '30', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    https = createHttpsServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (req, res) => res.end('secure'));
    httpsPort = await listen(https);
    tcp = createNetServer((s) => {
      tcpConnections++;
      s.end();
    });
    tcpPort = await listen(tcp);
    dns = createSocket('udp4');
    dns.on('message', (msg, rinfo) => {
      dnsQueries++;
      // Answers every A question with 192.0.2.7 (header, the question echoed, one answer).
      let q = 12;
      while (msg[q] !== 0) q += msg[q] + 1;
      const question = msg.subarray(12, q + 5);
      const header = Buffer.from([msg[0], msg[1], 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
      const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7]);
      dns.send(Buffer.concat([header, question, answer]), rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => dns.bind(0, '127.0.0.1', r));
    dnsPort = dns.address().port;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await Promise.all([http, https, tcp].map((s) => new Promise((r) => s.close(r))));
    dns.close();
  });

  const httpSpec = (path: string, config: Record<string, unknown> = {}, timeoutMs = 1000): CheckSpec => ({
    id: 'c1',
    name: 'web',
    kind: 'http',
    target: `http://127.0.0.1:${httpPort}${path}`,
    timeoutMs,
    http: httpCheckConfigSchema.parse(config),
  });

  it('passes on 200 with the keyword, fails on 500, on a missing keyword and on a slow answer', async () => {
    expect(await runCheck(httpSpec('/ok', { keyword: 'go' }), open)).toMatchObject({ success: true, statusCode: 200, error: null });
    expect(await runCheck(httpSpec('/ok', { keyword: 'down' }), open)).toMatchObject({ success: false, error: 'keyword "down" not found' });
    expect(await runCheck(httpSpec('/ok', { keyword: 'go', keywordInvert: true }), open)).toMatchObject({ success: false });
    expect(await runCheck(httpSpec('/fail'), open)).toMatchObject({ success: false, statusCode: 500, error: 'unexpected status 500' });
    expect(await runCheck(httpSpec('/fail', { expectedStatus: [500] }), open)).toMatchObject({ success: true });
    const slow = await runCheck(httpSpec('/slow', {}, 300), open);
    expect(slow).toMatchObject({ success: false, error: expect.stringMatching(/timeout/) });
    expect(slow.durationMs).toBeGreaterThanOrEqual(250);
    expect(slow.durationMs).toBeLessThan(1400);
  });

  it('asserts JSON paths and sends method, headers and body', async () => {
    expect(await runCheck(httpSpec('/json', { jsonPath: '$.db.up' }), open)).toMatchObject({ success: true });
    expect(await runCheck(httpSpec('/json', { jsonPath: '$.status', jsonPathEquals: 'ok' }), open)).toMatchObject({ success: true });
    expect(await runCheck(httpSpec('/json', { jsonPath: '$.status', jsonPathEquals: 'degraded' }), open)).toMatchObject({ success: false, error: '$.status is ok, expected degraded' });
    expect(await runCheck(httpSpec('/ok', { jsonPath: '$.x' }), open)).toMatchObject({ success: false, error: 'body is not JSON' });
    expect(await runCheck(httpSpec('/echo', { method: 'POST', headers: { 'x-probe': 'yes' }, body: 'hello', keyword: 'POST yes hello' }), open)).toMatchObject({ success: true });
  });

  it('fails a self-signed certificate, and reads its expiry when told to skip verification', async () => {
    const spec: CheckSpec = { id: 'c2', name: 'tls', kind: 'http', target: `https://localhost:${httpsPort}/`, timeoutMs: 2000, http: httpCheckConfigSchema.parse({}) };
    const bad = await runCheck(spec, open);
    expect(bad).toMatchObject({ success: false, error: expect.stringMatching(/^tls: /) });
    const skipped = await runCheck({ ...spec, http: httpCheckConfigSchema.parse({ tlsInsecureSkipVerify: true }) }, open);
    expect(skipped).toMatchObject({ success: true, statusCode: 200 });
    const days = (skipped.certNotAfter! - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30.01);
    const series = checkSeries(spec, skipped, 0, 1000);
    expect(series.find((s) => s.labels.__name__ === 'probe_ssl_earliest_cert_expiry')!.values[0]).toBeCloseTo(skipped.certNotAfter! / 1000);
  });

  it('connects over TCP and reports a refused port', async () => {
    expect(await runCheck({ id: 't', name: 'tcp', kind: 'tcp', target: `127.0.0.1:${tcpPort}`, timeoutMs: 1000 }, open)).toMatchObject({ success: true });
    const closedPort = await (async () => {
      const s = createNetServer();
      const p = await listen(s);
      await new Promise((r) => s.close(r));
      return p;
    })();
    expect(await runCheck({ id: 't', name: 'tcp', kind: 'tcp', target: `127.0.0.1:${closedPort}`, timeoutMs: 1000 }, open)).toMatchObject({ success: false, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('asks a configured DNS server and asserts the records', async () => {
    const spec = (expect_: string[]): CheckSpec => ({ id: 'd', name: 'dns', kind: 'dns', target: 'app.example.test', timeoutMs: 1000, dns: dnsCheckConfigSchema.parse({ server: `127.0.0.1:${dnsPort}`, expect: expect_ }) });
    expect(await runCheck(spec(['192.0.2.7']), open)).toMatchObject({ success: true, answers: ['192.0.2.7'] });
    expect(await runCheck(spec(['192.0.2.8']), open)).toMatchObject({ success: false, error: 'missing A 192.0.2.8 (got 192.0.2.7)' });
  });

  it('writes blackbox-named series', () => {
    const s = checkSeries({ id: 'c1', name: 'web', kind: 'http', target: 'http://x/' }, { success: false, durationMs: 1500, error: 'x', statusCode: 500 }, 3, 42);
    expect(Object.fromEntries(s.map((x) => [x.labels.__name__, x.values[0]]))).toEqual({
      probe_success: 0,
      probe_duration_seconds: 1.5,
      probe_consecutive_failures: 3,
      probe_http_status_code: 500,
    });
    expect(s[0].labels).toEqual({ __name__: 'probe_success', check: 'web', check_id: 'c1', kind: 'http', instance: 'http://x/', job: 'tocsin_checks' });
    expect(isStaleNaNAt(s[0].values as Float64Array, 0)).toBe(false);
  });

  it('sends 0 bytes to loopback when the guard is closed: HTTP, TCP, and DNS servers', async () => {
    const before = hits;
    const [dnsBefore, tcpBefore] = [dnsQueries, tcpConnections];
    expect(await runCheck(httpSpec('/ok'), closed)).toMatchObject({ success: false, error: expect.stringMatching(/^blocked/) });
    expect(await runCheck({ id: 't', name: 'tcp', kind: 'tcp', target: `127.0.0.1:${tcpPort}`, timeoutMs: 1000 }, closed)).toMatchObject({ success: false });
    expect(
      await runCheck({ id: 'd', name: 'dns', kind: 'dns', target: 'x.test', timeoutMs: 500, dns: dnsCheckConfigSchema.parse({ server: `127.0.0.1:${dnsPort}` }) }, closed),
    ).toMatchObject({ success: false });
    expect(hits).toBe(before);
    expect(dnsQueries).toBe(dnsBefore);
    expect(tcpConnections).toBe(tcpBefore);
  });
});
