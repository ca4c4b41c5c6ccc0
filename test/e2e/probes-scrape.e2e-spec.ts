process.env.TOCSIN_ALLOW_PRIVATE_TARGETS = 'true'; // node_exporter listens on loopback

import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { resetConfigCache } from '@tocsin/config';
import { DbModule } from '@tocsin/db';
import { RedisModule } from '@tocsin/queue';
import { TenancyModule } from '@tocsin/tenancy';
import { ProbesWorkerModule } from '../../apps/worker/src/probes/probes-worker.module';
import { codeOf, gql, signUp, startApi, type RunningApi, type SignedUp } from './support/api';
import { freePort } from './support/free-port';

@Module({ imports: [DbModule, RedisModule, TenancyModule, ProbesWorkerModule] })
class ProbeOnlyWorker {}

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';


async function until<T>(fn: () => Promise<T | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const TARGET_FIELDS = 'id job address health lastScrapeAt lastError lastDurationSeconds lastSamples authKind';

(existsSync(NODE_EXPORTER) ? describe : describe.skip)('scraping a real prometheus-node-exporter', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let exporter: ChildProcess | undefined;
  let port: number;
  let a: SignedUp;
  let b: SignedUp;
  let readA: string;
  let readB: string;

  const ok = async (query: string, variables: Record<string, unknown>, who: SignedUp) => {
    const r = await gql(api.url, query, variables, { token: who.token });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };
  const promQuery = async (expr: string, key: string) => {
    const res = await fetch(`${api.url}/api/v1/query?query=${encodeURIComponent(expr)}`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    return body.data.result;
  };
  const startExporter = async () => {
    exporter = spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    await until(async () => (await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.ok).catch(() => false)), 10_000, 'node_exporter');
  };

  beforeAll(async () => {
    resetConfigCache();
    port = await freePort();
    await startExporter();
    api = await startApi();
    worker = await NestFactory.createApplicationContext(ProbeOnlyWorker, { logger: ['error', 'warn'] });
    a = await signUp(api.url, 'scrapea');
    b = await signUp(api.url, 'scrapeb');
    readA = (await ok('mutation { createApiKey(input: { name: "r", scopes: [READ] }) { secret } }', {}, a)).createApiKey.secret;
    readB = (await ok('mutation { createApiKey(input: { name: "r", scopes: [READ] }) { secret } }', {}, b)).createApiKey.secret;
  }, 60_000);

  afterAll(async () => {
    exporter?.kill('SIGTERM');
    await worker?.close();
    await api?.close();
  });

  it('validates targets clearly', async () => {
    const bad = await gql(api.url, 'mutation($i: ScrapeTargetInput!) { createScrapeTarget(input: $i) { id } }', { i: { job: 'x', address: 'http://host/path' } }, { token: a.token });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    const badRelabel = await gql(
      api.url,
      'mutation($i: ScrapeTargetInput!) { createScrapeTarget(input: $i) { id } }',
      { i: { job: 'x', address: '127.0.0.1:1', metricRelabelConfigs: [{ action: 'replace', regex: '(' }] } },
      { token: a.token },
    );
    expect(codeOf(badRelabel)).toBe('BAD_USER_INPUT');
  });

  it('scrapes on schedule with job/instance labels, relabeling, up/scrape_* series and health; marks series stale when the target dies; org B sees nothing', async () => {
    const created = await ok(
      `mutation($i: ScrapeTargetInput!) { createScrapeTarget(input: $i) { ${TARGET_FIELDS} } }`,
      {
        i: {
          job: 'node',
          address: `127.0.0.1:${port}`,
          intervalSeconds: 2,
          timeoutSeconds: 1.5,
          labels: { env: 'e2e' },
          bearerToken: 'not-needed',
          metricRelabelConfigs: [
            { action: 'drop', source_labels: ['__name__'], regex: 'go_.*' },
            { source_labels: ['instance'], regex: '([^:]+):.*', target_label: 'host', replacement: '$1' },
          ],
        },
      },
      a,
    );
    const id = created.createScrapeTarget.id;
    expect(created.createScrapeTarget).toMatchObject({ job: 'node', health: 'unknown', authKind: 'bearer' });

    const healthy = await until(async () => {
      const t = (await ok(`query($id: ID!) { scrapeTarget(id: $id) { ${TARGET_FIELDS} } }`, { id }, a)).scrapeTarget;
      return t.health === 'up' && t;
    }, 20_000, 'first scrape');
    expect(healthy.lastSamples).toBeGreaterThan(100);
    expect(healthy.lastError).toBeNull();
    expect(healthy.lastDurationSeconds).toBeGreaterThan(0);

    const instance = `127.0.0.1:${port}`;
    const up = await promQuery('up{job="node"}', readA);
    expect(up).toEqual([expect.objectContaining({ metric: { __name__: 'up', job: 'node', instance, env: 'e2e' }, value: [expect.any(Number), '1'] })]);
    const cpu = await promQuery('node_cpu_seconds_total{mode="idle"}', readA);
    expect(cpu.length).toBeGreaterThan(0);
    expect(cpu[0].metric).toMatchObject({ job: 'node', instance, env: 'e2e', host: '127.0.0.1', cpu: expect.any(String) });
    expect(await promQuery('go_goroutines', readA)).toEqual([]);
    expect(Number((await promQuery('scrape_samples_scraped{job="node"}', readA))[0].value[1])).toBeGreaterThan(
      Number((await promQuery('scrape_samples_post_metric_relabeling{job="node"}', readA))[0].value[1]),
    );
    expect(Number((await promQuery('scrape_duration_seconds{job="node"}', readA))[0].value[1])).toBeGreaterThan(0);

    // Org B: no targets, no series.
    expect((await ok('{ scrapeTargets { id } }', {}, b)).scrapeTargets).toEqual([]);
    expect(await promQuery('up', readB)).toEqual([]);
    expect(codeOf(await gql(api.url, 'query($id: ID!) { scrapeTarget(id: $id) { id } }', { id }, { token: b.token }))).toBe('NOT_FOUND');

    // The target dies: up goes to 0 and its series are marked stale at once (not after 5 minutes).
    exporter!.kill('SIGTERM');
    await until(async () => {
      const t = (await ok(`query($id: ID!) { scrapeTarget(id: $id) { ${TARGET_FIELDS} } }`, { id }, a)).scrapeTarget;
      return t.health === 'down' && t;
    }, 20_000, 'target down');
    await until(async () => (await promQuery('up{job="node"}', readA))[0]?.value[1] === '0', 10_000, 'up == 0');
    expect(await promQuery('node_cpu_seconds_total', readA)).toEqual([]);

    // It comes back and so do its series.
    await startExporter();
    await until(async () => (await promQuery('node_load1{job="node"}', readA)).length === 1, 20_000, 'series back');

    expect(await ok('mutation($id: ID!) { deleteScrapeTarget(id: $id) }', { id }, a)).toEqual({ deleteScrapeTarget: true });
    expect((await ok('{ scrapeTargets { id } }', {}, a)).scrapeTargets).toEqual([]);
  }, 90_000);

  it('stores credentials sealed, sends them on scrapes, keeps them across updates and clears them on request', async () => {
    const guarded = createHttpServer((req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('prom:s3cret-pw').toString('base64')}`) return void res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('guarded_metric 42\n');
    });
    await new Promise<void>((r) => guarded.listen(0, '127.0.0.1', r));
    const address = `127.0.0.1:${(guarded.address() as AddressInfo).port}`;
    try {
      const input = { job: 'guarded', address, intervalSeconds: 1, timeoutSeconds: 0.5 };
      const id = (await ok(`mutation($i: ScrapeTargetInput!) { createScrapeTarget(input: $i) { id authKind } }`, { i: { ...input, basicAuth: { username: 'prom', password: 's3cret-pw' } } }, a)).createScrapeTarget.id;
      const owner = new Client({ connectionString: process.env.DATABASE_URL });
      await owner.connect();
      const stored = (await owner.query('select auth from scrape_targets where id = $1', [id])).rows[0].auth;
      await owner.end();
      expect(stored.kind).toBe('basic');
      expect(stored.sealed).toMatch(/^enc:v1:/);
      expect(JSON.stringify(stored)).not.toContain('s3cret-pw');
      const health = async () => (await ok(`query($id: ID!) { scrapeTarget(id: $id) { health lastError authKind intervalSeconds } }`, { id }, a)).scrapeTarget;
      await until(async () => (await health()).health === 'up', 15_000, 'authenticated scrape');
      // An update that does not resend the password keeps it.
      expect((await ok('mutation($id: ID!, $i: ScrapeTargetInput!) { updateScrapeTarget(id: $id, input: $i) { authKind intervalSeconds } }', { id, i: { ...input, intervalSeconds: 2 } }, a)).updateScrapeTarget).toEqual({ authKind: 'basic', intervalSeconds: 2 });
      expect((await ok('mutation($id: ID!, $i: ScrapeTargetInput!) { updateScrapeTarget(id: $id, input: $i) { authKind } }', { id, i: { ...input, clearAuth: true } }, a)).updateScrapeTarget).toEqual({ authKind: null });
      await until(async () => {
        const h = await health();
        return h.health === 'down' && /401/.test(h.lastError ?? '');
      }, 15_000, 'unauthenticated scrape fails');
      await ok('mutation($id: ID!) { deleteScrapeTarget(id: $id) }', { id }, a);
    } finally {
      guarded.closeAllConnections();
      await new Promise((r) => guarded.close(r));
    }
  }, 60_000);
});
