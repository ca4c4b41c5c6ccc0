import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { EvaluationScheduler, schedulerId } from '@tocsin/alerting';
import { gql, signUp, startApi, type RunningApi, type SignedUp } from './support/api';

// The real worker process module: it boots with the alert-evaluate processor, repairs job
// schedulers from PostgreSQL (a lost one is re-created, one of a deleted group removed) and
// evaluates a group on its scheduler tick.
describe('alert evaluation in the real worker', () => {
  let api: RunningApi;
  let worker: INestApplicationContext | undefined;
  let a: SignedUp;

  beforeAll(async () => {
    api = await startApi();
    a = await signUp(api.url, 'alertworker');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('reconciles schedulers at start and evaluates on the tick', async () => {
    const r = await gql(
      api.url,
      'mutation { createRuleGroup(input: { name: "ticks", interval: "1s" }) { id } }',
      {},
      { token: a.token },
    );
    const groupId = r.data!.createRuleGroup.id as string;
    await gql(
      api.url,
      'mutation($g: ID!) { createRule(input: { groupId: $g, kind: ALERTING, name: "AlwaysOn", expr: "vector(1)" }) { id } }',
      { g: groupId },
      { token: a.token },
    );
    const queue = api.app.get(EvaluationScheduler).queue;
    // Simulate a lost scheduler and a stale one of a group that no longer exists.
    await queue.removeJobScheduler(schedulerId(groupId));
    const ghost = randomUUID();
    await queue.upsertJobScheduler(
      schedulerId(ghost),
      { every: 60_000 },
      { name: 'evaluate-group', data: { orgId: a.orgId, groupId: ghost, reason: 'tick' } },
    );

    const { createWorkerApp } = await import('../../apps/worker/src/main');
    worker = await createWorkerApp();
    const keys = (await queue.getJobSchedulers(0, -1)).map((s) => s.key);
    expect(keys).toContain(schedulerId(groupId));
    expect(keys).not.toContain(schedulerId(ghost));

    const deadline = Date.now() + 20_000;
    let firing: { ruleName: string; state: string }[] = [];
    while (Date.now() < deadline) {
      const list = await gql(
        api.url,
        '{ alerts { ruleName state } ruleGroups { id lastEvalAt } }',
        {},
        { token: a.token },
      );
      firing = list.data!.alerts;
      if (firing.length) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(firing).toEqual([{ ruleName: 'AlwaysOn', state: 'FIRING' }]);
  });
});
