import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DbModule } from '@tocsin/db';
import { RedisModule } from '@tocsin/queue';
import { TenancyModule } from '@tocsin/tenancy';
import { AlertingWorkerModule } from '../../apps/worker/src/alerting/alerting-worker.module';
import { codeOf, gql, signUp, startApi, type RunningApi, type SignedUp } from './support/api';

// Only the alert-evaluate processor of the worker: the rest of the worker is other suites' concern.
@Module({ imports: [DbModule, RedisModule, TenancyModule, AlertingWorkerModule] })
class EvaluateOnlyWorker {}

async function waitFor<T>(fn: () => T | undefined | false, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Black box: rules over GraphQL, samples over the ingest API, transitions over graphql-ws; an
// organization never sees, changes or hears another's rules and alerts.
describe('alert rules end to end', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let a: SignedUp;
  let b: SignedUp;
  let ingestKey: string;

  const ok = async (query: string, variables: Record<string, unknown>, who: SignedUp) => {
    const r = await gql(api.url, query, variables, { token: who.token });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };

  beforeAll(async () => {
    api = await startApi();
    worker = await NestFactory.createApplicationContext(EvaluateOnlyWorker, {
      logger: ['error', 'warn'],
    });
    a = await signUp(api.url, 'alerta');
    b = await signUp(api.url, 'alertb');
    ingestKey = (
      await ok(
        'mutation { createApiKey(input: { name: "agent", scopes: [INGEST] }) { secret } }',
        {},
        a,
      )
    ).createApiKey.secret;
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  const push = (name: string, labels: Record<string, string>, value: number) =>
    fetch(`${api.url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
      body: JSON.stringify({
        series: [{ labels: { __name__: name, ...labels }, samples: [[Date.now(), value]] }],
      }),
    });

  it('compiles a builder condition, imports and exports Prometheus rule files', async () => {
    const compiled = await ok(
      'query($c: JSON!) { compileCondition(condition: $c) { expr recoveryExpr for } }',
      {
        c: {
          kind: 'threshold',
          query: 'x',
          direction: 'above',
          critical: { threshold: 9, recovery: 5 },
        },
      },
      a,
    );
    expect(compiled.compileCondition).toEqual({
      expr: 'label_replace(x > 9, "severity", "critical", "", "")',
      recoveryExpr: 'label_replace(x > 5, "severity", "critical", "", "")',
      for: null,
    });
    const yaml =
      'groups:\n  - name: imported\n    interval: 2m\n    rules:\n      - alert: Down\n        expr: up == 0\n        for: 5m\n      - record: job:up:sum\n        expr: sum by (job) (up)\n';
    const imported = await ok(
      'mutation($y: String!) { importPrometheusRules(yaml: $y) { id name interval rules { kind name for } } }',
      { y: yaml },
      a,
    );
    expect(imported.importPrometheusRules[0]).toMatchObject({
      name: 'imported',
      interval: '2m',
      rules: [
        { kind: 'ALERTING', name: 'Down', for: '5m' },
        { kind: 'RECORDING', name: 'job:up:sum', for: '0s' },
      ],
    });
    const exported = await ok(
      'query($ids: [ID!]) { exportPrometheusRules(groupIds: $ids) }',
      { ids: [imported.importPrometheusRules[0].id] },
      a,
    );
    expect(exported.exportPrometheusRules).toBe(yaml);
    const bad = await gql(
      api.url,
      'mutation { importPrometheusRules(yaml: "groups: [") { id } }',
      {},
      { token: a.token },
    );
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });

  it("fires on a pushed sample at once, publishes to org A's subscribers only, and keeps org B out", async () => {
    const group = await ok(
      'mutation { createRuleGroup(input: { name: "e2e", interval: "1m" }) { id } }',
      {},
      a,
    );
    const groupId = group.createRuleGroup.id;
    const rule = await ok(
      'mutation($i: CreateRuleInput!) { createRule(input: $i) { id expr } }',
      {
        i: {
          groupId,
          kind: 'ALERTING',
          name: 'HotE2E',
          condition: {
            kind: 'threshold',
            query: 'e2e_temp',
            direction: 'above',
            critical: { threshold: 90 },
          },
          annotations: { summary: '{{ $labels.room }} is {{ $value }}' },
        },
      },
      a,
    );
    const ruleId = rule.createRule.id;

    const { createClient } = await import('graphql-ws');
    const WebSocket = (await import('ws')).default;
    const wsUrl = api.url.replace('http', 'ws') + '/graphql';
    const seen: Record<
      'a' | 'b',
      { to: string; ruleId: string; annotations: Record<string, string> }[]
    > = { a: [], b: [] };
    const firing: Record<'a' | 'b', string[][]> = { a: [], b: [] };
    const clients = (['a', 'b'] as const).map((who) => {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${(who === 'a' ? a : b).token}` },
        lazy: false,
      });
      client.subscribe<{
        alertTransitions: { to: string; ruleId: string; annotations: Record<string, string> };
      }>(
        { query: 'subscription { alertTransitions { ruleId from to annotations labels at } }' },
        {
          next: (v) => v.data && seen[who].push(v.data.alertTransitions),
          error: (e) =>
            seen[who].push({ to: `error ${JSON.stringify(e)}`, ruleId: '', annotations: {} }),
          complete: () => undefined,
        },
      );
      client.subscribe<{ firingAlerts: { ruleId: string }[] }>(
        { query: 'subscription { firingAlerts { ruleId state } }' },
        {
          next: (v) => v.data && firing[who].push(v.data.firingAlerts.map((x) => x.ruleId)),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      return client;
    });
    try {
      await waitFor(
        () => firing.a.length > 0 && firing.b.length > 0,
        20_000,
        'initial firing lists',
      );
      expect(firing.b[0]).toEqual([]);
      const started = Date.now();
      expect((await push('e2e_temp', { room: 'lab' }, 95)).status).toBe(200);
      const event = await waitFor(
        () => seen.a.find((e) => e.ruleId === ruleId),
        20_000,
        'org A transition',
      );
      // eslint-disable-next-line no-console
      console.log(`push → transition over graphql-ws: ${Date.now() - started} ms`);
      expect(event).toMatchObject({ to: 'FIRING', annotations: { summary: 'lab is 95' } });
      await waitFor(() => firing.a.some((l) => l.includes(ruleId)), 20_000, 'org A firing list');
      await new Promise((r) => setTimeout(r, 1000));
      expect(seen.b).toEqual([]);
      expect(firing.b.every((l) => l.length === 0)).toBe(true);
    } finally {
      for (const c of clients) await c.dispose();
    }

    const alerts = await ok(
      'query { alerts(filter: { states: [FIRING] }) { id ruleId state severity labels history { from to value } } }',
      {},
      a,
    );
    const mine = alerts.alerts.find((x: { ruleId: string }) => x.ruleId === ruleId);
    expect(mine).toMatchObject({
      state: 'FIRING',
      severity: 'critical',
      history: [{ from: 'INACTIVE', to: 'FIRING', value: 95 }],
    });
    const one = await ok(
      'query($id: ID!) { alert(id: $id) { id history { to } } }',
      { id: mine.id },
      a,
    );
    expect(one.alert.history).toEqual([{ to: 'FIRING' }]);

    // The backtest replays the same rule over what was stored: one firing interval, still open.
    const bt = await ok(
      'query($r: RuleInput!, $f: DateTime!, $t: DateTime!) { backtestRule(rule: $r, from: $f, to: $t, step: "5s") { steps notifications series { labels intervals { state to } } } }',
      {
        r: { kind: 'ALERTING', name: 'HotE2E', expr: 'e2e_temp > 90' },
        f: new Date(Date.now() - 60_000).toISOString(),
        t: new Date().toISOString(),
      },
      a,
    );
    expect(bt.backtestRule.series).toEqual([
      { labels: { alertname: 'HotE2E', room: 'lab' }, intervals: [{ state: 'FIRING', to: null }] },
    ]);
    expect(bt.backtestRule.notifications).toBe(1);
    const btB = await ok(
      'query($r: RuleInput!, $f: DateTime!, $t: DateTime!) { backtestRule(rule: $r, from: $f, to: $t) { series { labels } } }',
      {
        r: { kind: 'ALERTING', name: 'HotE2E', expr: 'e2e_temp > 90' },
        f: new Date(Date.now() - 60_000).toISOString(),
        t: new Date().toISOString(),
      },
      b,
    );
    expect(btB.backtestRule.series).toEqual([]);

    // Org B: reads nothing, changes nothing.
    const listB = await ok(
      '{ ruleGroups { id rules { id } } alerts(filter: { states: [INACTIVE, PENDING, FIRING, RESOLVED] }) { id } exportPrometheusRules }',
      {},
      b,
    );
    expect(JSON.stringify(listB)).not.toMatch(new RegExp(`${groupId}|${ruleId}|${mine.id}|HotE2E`));
    for (const [query, vars] of [
      ['query($id: ID!) { rule(id: $id) { id } }', { id: ruleId }],
      ['query($id: ID!) { ruleGroup(id: $id) { id } }', { id: groupId }],
      ['query($id: ID!) { alert(id: $id) { id } }', { id: mine.id }],
      [
        'mutation($id: ID!) { updateRule(id: $id, input: { kind: ALERTING, name: "x", expr: "vector(1)" }) { id } }',
        { id: ruleId },
      ],
      ['mutation($id: ID!) { deleteRule(id: $id) }', { id: ruleId }],
      [
        'mutation($id: ID!) { updateRuleGroup(id: $id, input: { interval: "5s" }) { id } }',
        { id: groupId },
      ],
      ['mutation($id: ID!) { deleteRuleGroup(id: $id) }', { id: groupId }],
      [
        'mutation($g: ID!) { createRule(input: { groupId: $g, kind: ALERTING, name: "x", expr: "vector(1)" }) { id } }',
        { g: groupId },
      ],
    ] as const) {
      expect([query, codeOf(await gql(api.url, query, vars, { token: b.token }))]).toEqual([
        query,
        'NOT_FOUND',
      ]);
    }
    const still = await ok('query($id: ID!) { rule(id: $id) { id expr } }', { id: ruleId }, a);
    expect(still.rule.expr).toBe(rule.createRule.expr);
  });

  it('refuses bad rules with clear errors and needs config:write to change', async () => {
    const group = await ok(
      'mutation { createRuleGroup(input: { name: "bad", interval: "30s" }) { id } }',
      {},
      a,
    );
    const cases = [
      { kind: 'ALERTING', name: 'x', expr: 'up >' },
      { kind: 'ALERTING', name: 'x', expr: 'up', for: 'soon' },
      { kind: 'ALERTING', name: 'x', expr: 'up', annotations: { s: '{{ $value | nope }}' } },
      { kind: 'RECORDING', name: 'not a metric', expr: 'up' },
      { kind: 'ALERTING', name: 'x' },
    ];
    for (const i of cases) {
      const r = await gql(
        api.url,
        'mutation($i: CreateRuleInput!) { createRule(input: $i) { id } }',
        { i: { groupId: group.createRuleGroup.id, ...i } },
        { token: a.token },
      );
      expect([i, codeOf(r)]).toEqual([i, 'BAD_USER_INPUT']);
    }
    const dup = await gql(
      api.url,
      'mutation { createRuleGroup(input: { name: "bad", interval: "30s" }) { id } }',
      {},
      { token: a.token },
    );
    expect(codeOf(dup)).toBe('CONFLICT');
    const key = (
      await ok('mutation { createApiKey(input: { name: "ro", scopes: [READ] }) { secret } }', {}, a)
    ).createApiKey.secret;
    const ro = await gql(
      api.url,
      'mutation($id: ID!) { deleteRuleGroup(id: $id) }',
      { id: group.createRuleGroup.id },
      { token: key },
    );
    expect(codeOf(ro)).toBe('FORBIDDEN');
    const readable = await gql(api.url, '{ ruleGroups { name } }', {}, { token: key });
    expect(readable.data!.ruleGroups.map((g: { name: string }) => g.name)).toContain('bad');
  });
});
