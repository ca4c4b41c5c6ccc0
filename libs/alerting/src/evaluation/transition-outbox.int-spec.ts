import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, type Pool } from 'pg';
import { DbModule, PG_POOL } from '@tocsin/db';
import { RedisModule } from '@tocsin/queue';
import { TenancyModule, runAsOrg } from '@tocsin/tenancy';
import { TsdbWriter } from '@tocsin/tsdb';
import { AlertingCoreModule } from '../alerting.module';
import { AlertTransitionSink, type AlertTransition } from '../alerts/alert-transition';
import { RulesService } from '../rules/rules.service';
import { RuleEvaluator } from './rule-evaluator.service';
import { TransitionOutbox } from './transition-outbox.service';

@Module({ imports: [DbModule, RedisModule, TenancyModule, AlertingCoreModule] })
class TestModule {}

const M = 60_000;

// The outbox on real PostgreSQL through the app role: a hand-off that did not happen leaves the
// history row undispatched, the sweep feeds it once, and never feeds a row a later dispatched
// transition of the same alert has overtaken.
describe('transition outbox', () => {
  let app: INestApplicationContext;
  let owner: Client;
  let writer: TsdbWriter;
  let sink: AlertTransitionSink;
  const orgId = randomUUID();
  const t0 = Math.floor((Date.now() - 20 * M) / M) * M;
  const fed: AlertTransition[] = [];

  const rows = async (ruleId: string) =>
    (
      await owner.query<{ to_state: string; dispatched: boolean }>(
        `select to_state, dispatched_at is not null as dispatched from alert_history
         where org_id = $1 and rule_id = $2 order by at`,
        [orgId, ruleId],
      )
    ).rows.map((r) => `${r.to_state}:${r.dispatched ? 'sent' : 'pending'}`);

  async function makeRule(name: string) {
    const rules = app.get(RulesService);
    const group = await runAsOrg(orgId, () => rules.createGroup({ name, interval: '1m' }));
    const rule = await runAsOrg(orgId, () =>
      rules.createRule(group.id, { kind: 'alerting', name, expr: `${name}_value > 10` }),
    );
    return { groupId: group.id, ruleId: rule.id };
  }

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    await owner.query('insert into organizations (id, slug, name) values ($1, $2, $3)', [
      orgId,
      `ob-${orgId.slice(0, 8)}`,
      'outbox int',
    ]);
    app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    writer = new TsdbWriter(app.get<Pool>(PG_POOL));
    sink = app.get(AlertTransitionSink);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.end();
  });

  afterEach(() => jest.restoreAllMocks());

  it('stamps a transition once the sink took it', async () => {
    const { groupId, ruleId } = await makeRule('stamped');
    await writer.write(orgId, [
      { labels: { __name__: 'stamped_value' }, timestamps: [t0], values: [50] },
    ]);
    await app.get(RuleEvaluator).evaluateGroup(orgId, groupId, t0);
    expect(await rows(ruleId)).toEqual(['firing:sent']);
  });

  it('feeds a transition whose hand-off failed again, exactly once', async () => {
    const { groupId, ruleId } = await makeRule('lost');
    await writer.write(orgId, [
      { labels: { __name__: 'lost_value' }, timestamps: [t0], values: [50] },
    ]);
    jest.spyOn(sink, 'onTransitions').mockRejectedValueOnce(new Error('worker died'));
    await app.get(RuleEvaluator).evaluateGroup(orgId, groupId, t0);
    expect(await rows(ruleId)).toEqual(['firing:pending']);

    jest.spyOn(sink, 'onTransitions').mockImplementation(async (_org, ts) => {
      fed.push(...ts);
    });
    const outbox = app.get(TransitionOutbox);
    // Younger than the sweep age: a hand-off may still be in flight, so it is left alone.
    expect(await outbox.sweepOrg(orgId, new Date(t0))).toEqual({ refed: 0, superseded: 0 });
    expect(await outbox.sweepOrg(orgId, new Date())).toEqual({ refed: 1, superseded: 0 });
    expect(fed.map((t) => [t.ruleName, t.from, t.to, t.replayed])).toEqual([
      ['lost', 'inactive', 'firing', true],
    ]);
    expect(fed[0].labels).toMatchObject({ alertname: 'lost' });
    expect(await rows(ruleId)).toEqual(['firing:sent']);
    expect(await outbox.sweepOrg(orgId, new Date())).toEqual({ refed: 0, superseded: 0 });
    expect(fed).toHaveLength(1);
  });

  it('does not feed a lost transition that a later dispatched one overtook', async () => {
    fed.length = 0;
    const { groupId, ruleId } = await makeRule('overtaken');
    await writer.write(orgId, [
      { labels: { __name__: 'overtaken_value' }, timestamps: [t0], values: [50] },
    ]);
    jest.spyOn(sink, 'onTransitions').mockRejectedValueOnce(new Error('worker died'));
    await app.get(RuleEvaluator).evaluateGroup(orgId, groupId, t0);
    // The sample is out of the lookback window at t0 + 10m: the alert resolves, handed off fine.
    await app.get(RuleEvaluator).evaluateGroup(orgId, groupId, t0 + 10 * M);
    expect(await rows(ruleId)).toEqual(['firing:pending', 'resolved:sent']);
    jest.spyOn(sink, 'onTransitions').mockImplementation(async (_org, ts) => {
      fed.push(...ts);
    });
    expect(await app.get(TransitionOutbox).sweepOrg(orgId, new Date())).toEqual({
      refed: 0,
      superseded: 1,
    });
    expect(fed).toEqual([]);
    expect(await rows(ruleId)).toEqual(['firing:sent', 'resolved:sent']);
  });

  it('lists only organizations with old undispatched rows to the app role', async () => {
    const pool = app.get<Pool>(PG_POOL);
    const { rows: orgs } = await pool.query<{ org_id: string }>(
      'select org_id from list_undispatched_alert_orgs(now())',
    );
    expect(orgs.map((o) => o.org_id)).not.toContain(orgId);
  });
});
