import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DbModule } from '@tocsin/db';
import { RedisModule } from '@tocsin/queue';
import { TenancyModule } from '@tocsin/tenancy';
import { AlertingCoreModule } from '../alerting.module';
import { AlertingHousekeeping, ORPHAN_GROUP_GRACE_MS } from './alerting-housekeeping.service';

@Module({ imports: [DbModule, RedisModule, TenancyModule, AlertingCoreModule] })
class TestModule {}

const DAY = 24 * 60 * 60_000;

// Real PostgreSQL through the app role (RLS on): rows are inserted as the owner with chosen
// ages, the housekeeping deletes what its organization's retention and the orphan rule allow.
describe('alerting housekeeping', () => {
  let app: INestApplicationContext;
  let owner: Client;
  const orgA = randomUUID();
  const orgB = randomUUID();
  const now = Date.now();

  const decision = (orgId: string, ageMs: number) =>
    owner.query(
      `INSERT INTO dispatch_decisions (id, org_id, alert_id, fingerprint, kind, detail, at)
       VALUES ($1, $2, $3, 'fp', 'routed', '{}', $4)`,
      [randomUUID(), orgId, randomUUID(), new Date(now - ageMs)],
    );
  const group = async (
    orgId: string,
    hash: string,
    opts: { ageMs: number; nextFlush: boolean; members: number },
  ) => {
    await owner.query(
      `INSERT INTO alert_groups (org_id, group_hash, group_key, route_id, group_labels, next_flush_at, last_flush_at, created_at)
       VALUES ($1, $2, '{}', 'root', '{}', $3, $4, $4)`,
      [orgId, hash, opts.nextFlush ? new Date(now + 60_000) : null, new Date(now - opts.ageMs)],
    );
    for (let i = 0; i < opts.members; i++)
      await owner.query(
        `INSERT INTO alert_group_members (org_id, group_hash, fingerprint, alert_id, labels, annotations, status, starts_at)
         VALUES ($1, $2, $3, $4, '{}', '{}', 'firing', now())`,
        [orgId, hash, `fp${i}`, randomUUID()],
      );
  };
  const count = async (sql: string, orgId: string) =>
    Number((await owner.query(sql, [orgId])).rows[0].n);

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    for (const id of [orgA, orgB])
      await owner.query('insert into organizations (id, slug, name) values ($1, $2, $3)', [
        id,
        `hk-${id.slice(0, 8)}`,
        'housekeeping int',
      ]);
    await owner.query('UPDATE organizations SET alert_log_retention_days = 7 WHERE id = $1', [
      orgB,
    ]);
    app = await NestFactory.createApplicationContext(TestModule, { logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await owner?.end();
  });

  it("deletes dispatch decisions past each organization's retention, and only those", async () => {
    for (const org of [orgA, orgB]) for (const days of [1, 10, 40]) await decision(org, days * DAY);
    const hk = app.get(AlertingHousekeeping);
    expect((await hk.run(orgA, now)).decisions).toBe(1); // 30 days by default: 40 goes
    expect((await hk.run(orgB, now)).decisions).toBe(2); // 7 days: 10 and 40 go
    const q = 'SELECT count(*) AS n FROM dispatch_decisions WHERE org_id = $1';
    expect(await count(q, orgA)).toBe(2);
    expect(await count(q, orgB)).toBe(1);
  });

  it('deletes aggregation groups left without a flush after the grace period, with their members', async () => {
    const old = ORPHAN_GROUP_GRACE_MS + 60_000;
    await group(orgA, 'closed-old', { ageMs: old, nextFlush: false, members: 2 });
    await group(orgA, 'empty-old', { ageMs: old, nextFlush: false, members: 0 });
    await group(orgA, 'empty-recent', { ageMs: 60_000, nextFlush: false, members: 0 });
    await group(orgA, 'scheduled-old', { ageMs: old, nextFlush: true, members: 1 });
    const r = await app.get(AlertingHousekeeping).run(orgA, now);
    expect(r.groups).toBe(2);
    const { rows } = await owner.query(
      'SELECT group_hash FROM alert_groups WHERE org_id = $1 ORDER BY 1',
      [orgA],
    );
    expect(rows.map((x) => x.group_hash)).toEqual(['empty-recent', 'scheduled-old']);
    expect(
      await count('SELECT count(*) AS n FROM alert_group_members WHERE org_id = $1', orgA),
    ).toBe(1);
  });
});
