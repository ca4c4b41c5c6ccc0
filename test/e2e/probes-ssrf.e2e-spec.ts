import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileRelabelConfigs, httpCheckConfigSchema, runCheck, scrapeOnce, SsrfGuard } from '@tocsin/probes';
import { httpRequest } from '../../libs/notify/src/http';

// One canary on 127.0.0.1 and a redirector pointing at it. With the guard on (the default),
// scrapes, checks and webhooks aimed at either send the canary 0 bytes; with private targets
// allowed the same requests reach it (scrapes and checks through the redirect too). Nothing
// here leaves 127.0.0.1.
describe('SSRF canary: scrapes, checks and webhooks share one guard', () => {
  let canary: Server;
  let redirector: Server;
  let canaryBytes = 0;
  let canaryRequests = 0;
  let canaryPort: number;
  let redirectorPort: number;

  beforeAll(async () => {
    canary = createServer((req, res) => {
      canaryRequests++;
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('canary_up 1\n'));
    });
    canary.on('connection', (s) => s.on('data', (d: Buffer) => (canaryBytes += d.length)));
    await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
    canaryPort = (canary.address() as AddressInfo).port;
    redirector = createServer((req, res) => res.writeHead(307, { location: `http://127.0.0.1:${canaryPort}/metrics` }).end());
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    redirectorPort = (redirector.address() as AddressInfo).port;
  });
  afterAll(async () => {
    canary.closeAllConnections();
    redirector.closeAllConnections();
    await Promise.all([canary, redirector].map((s) => new Promise((r) => s.close(r))));
  });

  const attempts = (guard: SsrfGuard, allowPrivate: boolean) => {
    const scrape = (address: string) =>
      scrapeOnce({ job: 'j', scheme: 'http', address, metricsPath: '/metrics', timeoutMs: 1000, labels: {}, metricRelabel: compileRelabelConfigs([]) }, guard, [], Date.now());
    const check = (url: string) => runCheck({ id: 'c', name: 'c', kind: 'http', target: url, timeoutMs: 1000, http: httpCheckConfigSchema.parse({}) }, guard);
    const webhook = (url: string) => httpRequest({ url, body: '{}', timeoutMs: 1000, allowPrivateNetworks: allowPrivate });
    return { scrape, check, webhook };
  };

  it('sends the canary nothing with the guard on, directly, by name, encoded, or via the redirector', async () => {
    const { scrape, check, webhook } = attempts(new SsrfGuard({ allowPrivate: false }), false);
    for (const host of [`127.0.0.1:${canaryPort}`, `localhost:${canaryPort}`, `2130706433:${canaryPort}`, `127.1:${canaryPort}`, `127.0.0.1:${redirectorPort}`]) {
      expect(await scrape(host)).toMatchObject({ up: false, error: expect.stringMatching(/^blocked/) });
      expect(await check(`http://${host}/`)).toMatchObject({ success: false, error: expect.stringMatching(/^blocked/) });
      expect(await webhook(`http://${host}/`)).toMatchObject({ ok: false, permanent: true });
    }
    expect(canaryRequests).toBe(0);
    expect(canaryBytes).toBe(0);
  });

  it('reaches the same canary when private targets are allowed', async () => {
    const { scrape, check, webhook } = attempts(new SsrfGuard({ allowPrivate: true }), true);
    expect(await scrape(`127.0.0.1:${redirectorPort}`)).toMatchObject({ up: true, samplesScraped: 1 });
    expect(await check(`http://127.0.0.1:${redirectorPort}/`)).toMatchObject({ success: true, statusCode: 200 });
    expect(await webhook(`http://127.0.0.1:${canaryPort}/`)).toMatchObject({ ok: true });
    expect(canaryRequests).toBe(3);
    expect(canaryBytes).toBeGreaterThan(0);
  });
});
