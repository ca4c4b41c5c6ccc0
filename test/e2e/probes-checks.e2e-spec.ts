process.env.TOCSIN_ALLOW_PRIVATE_TARGETS = 'true'; // the checked servers listen on loopback

import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { resetConfigCache } from '@tocsin/config';
import { DbModule } from '@tocsin/db';
import { RedisModule } from '@tocsin/queue';
import { TenancyModule } from '@tocsin/tenancy';
import { AlertingWorkerModule } from '../../apps/worker/src/alerting/alerting-worker.module';
import { ProbesWorkerModule } from '../../apps/worker/src/probes/probes-worker.module';
import { codeOf, gql, signUp, startApi, type RunningApi, type SignedUp } from './support/api';

@Module({ imports: [DbModule, RedisModule, TenancyModule, ProbesWorkerModule, AlertingWorkerModule] })
class ProbeAndEvaluateWorker {}

async function until<T>(fn: () => Promise<T | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const CHECK_FIELDS = 'id name status consecutiveFailures lastStatusCode lastError lastDurationSeconds ruleId';

describe('synthetic checks end to end', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let site: Server;
  let sitePort: number;
  let healthy = true;
  let a: SignedUp;
  let b: SignedUp;

  const ok = async (query: string, variables: Record<string, unknown>, who: SignedUp) => {
    const r = await gql(api.url, query, variables, { token: who.token });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };

  beforeAll(async () => {
    resetConfigCache();
    site = createServer((req, res) => {
      if (req.headers['x-token'] !== 'tok-123') return void res.writeHead(403).end('no token');
      if (healthy) res.end('hello world');
      else res.writeHead(500).end('broken');
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    sitePort = (site.address() as AddressInfo).port;
    api = await startApi();
    worker = await NestFactory.createApplicationContext(ProbeAndEvaluateWorker, { logger: ['error', 'warn'] });
    a = await signUp(api.url, 'checka');
    b = await signUp(api.url, 'checkb');
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    site.closeAllConnections();
    await new Promise((r) => site.close(r));
  });

  it('refuses bad checks with clear errors', async () => {
    const create = (input: Record<string, unknown>) => gql(api.url, 'mutation($i: CheckInput!) { createCheck(input: $i) { id } }', { i: input }, { token: a.token });
    expect(codeOf(await create({ name: 'x', kind: 'HTTP', target: 'ftp://x/' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await create({ name: 'x', kind: 'HTTP', target: 'http://x/', config: { jsonPath: 'nope' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await create({ name: 'x', kind: 'TCP', target: 'x' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await create({ name: 'x', kind: 'HTTP', target: 'http://x/', timeoutSeconds: 120 }))).toBe('BAD_USER_INPUT');
  });

  it('createCheck(alertWhenDown) creates the rule; N consecutive failures fire it, recovery resolves it; org B sees none of it', async () => {
    const created = await ok(
      `mutation($i: CheckInput!) { createCheck(input: $i, alertWhenDown: true) { ${CHECK_FIELDS} } }`,
      { i: { name: 'homepage', kind: 'HTTP', target: `http://127.0.0.1:${sitePort}/`, intervalSeconds: 1, timeoutSeconds: 0.5, failureThreshold: 2, config: { keyword: 'hello', headers: { 'x-token': 'tok-123' } } } },
      a,
    );
    const check = created.createCheck;
    expect(check.ruleId).toEqual(expect.any(String));
    const rule = (await ok('query($id: ID!) { rule(id: $id) { expr name } }', { id: check.ruleId }, a)).rule;
    expect(rule).toEqual({ name: 'CheckDown', expr: `probe_consecutive_failures{check_id="${check.id}"} >= 2` });

    await until(async () => (await ok(`query($id: ID!) { check(id: $id) { ${CHECK_FIELDS} } }`, { id: check.id }, a)).check.status === 'up', 15_000, 'check up');
    // The header reached the site (it answers 403 without it), yet is stored sealed and shown masked.
    expect((await ok('query($id: ID!) { check(id: $id) { config } }', { id: check.id }, a)).check.config).toEqual({ keyword: 'hello', keywordInvert: false, followRedirects: true, tlsInsecureSkipVerify: false, method: 'GET', headers: { 'x-token': '••••••' } });
    const owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    const stored = JSON.stringify((await owner.query('select config from probe_checks where id = $1', [check.id])).rows[0].config);
    await owner.end();
    expect(stored).not.toContain('tok-123');
    expect(codeOf(await gql(api.url, 'query($id: ID!) { check(id: $id) { id } }', { id: check.id }, { token: b.token }))).toBe('NOT_FOUND');

    healthy = false;
    const down = await until(async () => {
      const c = (await ok(`query($id: ID!) { check(id: $id) { ${CHECK_FIELDS} } }`, { id: check.id }, a)).check;
      return c.status === 'down' && c;
    }, 15_000, 'check down');
    expect(down).toMatchObject({ lastStatusCode: 500, lastError: 'unexpected status 500' });
    expect(down.consecutiveFailures).toBeGreaterThanOrEqual(2);
    const firing = await until(async () => {
      const alerts = (await ok('query($r: ID) { alerts(filter: { ruleId: $r, states: [FIRING] }) { state labels } }', { r: check.ruleId }, a)).alerts;
      return alerts.length > 0 && alerts;
    }, 20_000, 'alert firing');
    expect(firing[0].labels).toMatchObject({ alertname: 'CheckDown', check: 'homepage', check_id: check.id });
    expect((await ok('{ alerts { id } }', {}, b)).alerts).toEqual([]);

    healthy = true;
    await until(async () => {
      const alerts = (await ok('query($r: ID) { alerts(filter: { ruleId: $r, states: [RESOLVED] }) { state } }', { r: check.ruleId }, a)).alerts;
      return alerts.length > 0;
    }, 20_000, 'alert resolved');

    const changed = { name: 'homepage', kind: 'HTTP', target: `http://127.0.0.1:${sitePort}/`, intervalSeconds: 2, timeoutSeconds: 0.5, failureThreshold: 3, config: { keyword: 'hello', headers: { 'x-token': '••••••' } } };
    expect(codeOf(await gql(api.url, 'mutation($id: ID!, $i: CheckInput!) { updateCheck(id: $id, input: $i) { id } }', { id: check.id, i: changed }, { token: b.token }))).toBe('NOT_FOUND');
    const updated = (await ok(`mutation($id: ID!, $i: CheckInput!) { updateCheck(id: $id, input: $i) { ${CHECK_FIELDS} intervalSeconds failureThreshold } }`, { id: check.id, i: changed }, a)).updateCheck;
    expect(updated).toMatchObject({ intervalSeconds: 2, failureThreshold: 3, ruleId: check.ruleId });
    expect((await ok('query($id: ID!) { rule(id: $id) { expr } }', { id: check.ruleId }, a)).rule.expr).toBe(`probe_consecutive_failures{check_id="${check.id}"} >= 3`);
    // The masked header sent back kept its stored value: runs after the update still pass.
    const updatedAt = Date.now();
    await until(async () => {
      const c = (await ok('query($id: ID!) { check(id: $id) { status lastCheckedAt } }', { id: check.id }, a)).check;
      return Date.parse(c.lastCheckedAt) > updatedAt + 100 && c.status === 'up';
    }, 15_000, 'a passing run after the update');

    expect(await ok('mutation($id: ID!) { deleteCheck(id: $id) }', { id: check.id }, a)).toEqual({ deleteCheck: true });
    expect(codeOf(await gql(api.url, 'query($id: ID!) { rule(id: $id) { id } }', { id: check.ruleId }, { token: a.token }))).toBe('NOT_FOUND');
  }, 90_000);
});
