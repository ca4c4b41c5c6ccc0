import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
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
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('heartbeats end to end', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let a: SignedUp;
  let b: SignedUp;

  const ok = async (query: string, variables: Record<string, unknown>, who: SignedUp) => {
    const r = await gql(api.url, query, variables, { token: who.token });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };

  beforeAll(async () => {
    api = await startApi();
    worker = await NestFactory.createApplicationContext(ProbeAndEvaluateWorker, { logger: ['error', 'warn'] });
    a = await signUp(api.url, 'hba');
    b = await signUp(api.url, 'hbb');
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('validates the schedule', async () => {
    const create = (i: Record<string, unknown>) => gql(api.url, 'mutation($i: HeartbeatInput!) { createHeartbeat(input: $i) { pushUrl } }', { i }, { token: a.token });
    expect(codeOf(await create({ name: 'x' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await create({ name: 'x', periodSeconds: 60, cron: '* * * * *' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await create({ name: 'x', cron: '99 * * * *' }))).toBe('BAD_USER_INPUT');
    expect((await fetch(`${api.url}/api/v1/heartbeat/hb_${'x'.repeat(43)}`)).status).toBe(404);
  });

  it('missed → alert fires → beat resumes → alert resolves; the token is the only credential and org B sees nothing', async () => {
    const created = (
      await ok(
        'mutation($i: HeartbeatInput!) { createHeartbeat(input: $i, alertWhenMissed: true) { pushUrl heartbeat { id status ruleId dueBy } } }',
        { i: { name: 'nightly-backup', periodSeconds: 2, graceSeconds: 1 } },
        a,
      )
    ).createHeartbeat;
    const { id, ruleId } = created.heartbeat;
    const path = new URL(created.pushUrl).pathname;
    expect(path).toMatch(/^\/api\/v1\/heartbeat\/hb_/);
    const push = (method: string) => fetch(`${api.url}${path}`, { method });

    expect((await push('GET')).status).toBe(200);
    expect((await push('DELETE')).status).toBe(404);
    const status = async () => (await ok('{ heartbeats { id status lastBeatAt } }', {}, a)).heartbeats.find((h: { id: string }) => h.id === id);
    expect((await status()).status).toBe('up');
    expect((await ok('{ heartbeats { id } }', {}, b)).heartbeats).toEqual([]);

    // Keep beating for a while: no alert.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      expect((await push('POST')).status).toBe(200);
    }
    const firingNow = async () => (await ok('query($r: ID) { alerts(filter: { ruleId: $r, states: [FIRING] }) { labels } }', { r: ruleId }, a)).alerts;
    expect(await firingNow()).toEqual([]);

    // Stop: after period + grace the beat is missed, heartbeat_up goes to 0 and the rule fires.
    await until(async () => (await status()).status === 'missed', 10_000, 'missed');
    const alerts = await until(async () => {
      const l = await firingNow();
      return l.length > 0 && l;
    }, 15_000, 'alert firing');
    expect(alerts[0].labels).toMatchObject({ alertname: 'HeartbeatMissed', heartbeat: 'nightly-backup' });
    expect((await ok('{ alerts { id } }', {}, b)).alerts).toEqual([]);

    // A late beat resolves it.
    expect((await push('POST')).status).toBe(200);
    await until(
      async () => (await ok('query($r: ID) { alerts(filter: { ruleId: $r, states: [RESOLVED] }) { id } }', { r: ruleId }, a)).alerts.length > 0,
      15_000,
      'alert resolved',
    );
    expect((await status()).status).toBe('up');

    expect(await ok('mutation($id: ID!) { deleteHeartbeat(id: $id) }', { id }, a)).toEqual({ deleteHeartbeat: true });
    expect((await push('GET')).status).toBe(404);
  }, 90_000);
});
