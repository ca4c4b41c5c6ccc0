import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createPgPool, withOrgClient } from '@tocsin/db';
import { ChecksRepository } from './checks/checks.repository';
import { HeartbeatsRepository } from './heartbeats/heartbeats.repository';
import { ScrapeTargetsRepository } from './scrape/scrape-targets.repository';
import { StatusIncidentsRepository } from './status/status-incidents.repository';

// Through the app role (RLS on, no BYPASSRLS): each repository's rows are invisible and
// unwritable from another organization even when the query names the wrong organization.
describe('probes repositories across organizations', () => {
  let owner: Client;
  let pool: Pool;
  const a = randomUUID();
  const b = randomUUID();

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    for (const id of [a, b]) await owner.query('insert into organizations (id, slug, name) values ($1, $2, $3)', [id, `probes-${id.slice(0, 8)}`, 'probes rls']);
    pool = createPgPool(process.env.DATABASE_APP_URL!, 2);
  });
  afterAll(async () => {
    await pool.end();
    await owner.query('delete from organizations where id = any($1::uuid[])', [[a, b]]);
    await owner.end();
  });

  it('scrape targets, checks, heartbeats and status incidents stay in their organization', async () => {
    const targets = new ScrapeTargetsRepository();
    const checks = new ChecksRepository();
    const beats = new HeartbeatsRepository();
    const incidents = new StatusIncidentsRepository();
    const made = await withOrgClient(pool, a, async (c) => ({
      target: await targets.create(c, a, { job: 'j', scheme: 'http', address: 'h:1', metricsPath: '/m', intervalMs: 1000, timeoutMs: 500, labels: {}, auth: null, metricRelabelConfigs: [], enabled: true }),
      check: await checks.create(c, a, { name: 'c', kind: 'http', target: 'http://x/', config: {}, intervalMs: 1000, timeoutMs: 500, failureThreshold: 1, enabled: true, public: true }),
      beat: await beats.create(c, a, { name: 'h', periodMs: 1000, cron: null, timezone: 'UTC', graceMs: 0 }, `hash-${a}`),
      incident: await incidents.create(c, a, { kind: 'incident', title: 't', status: 'investigating', checkIds: [], startsAt: new Date(), endsAt: null }),
    }));
    await withOrgClient(pool, b, async (c) => {
      // Asking for org A's rows while running as org B: RLS returns nothing.
      expect(await targets.list(c, a)).toEqual([]);
      expect(await targets.find(c, a, made.target.id)).toBeNull();
      expect(await checks.list(c, a)).toEqual([]);
      expect(await beats.list(c, a)).toEqual([]);
      expect(await incidents.listSince(c, a, new Date(0))).toEqual([]);
      expect(await incidents.publicChecks(c, a)).toEqual([]);
      expect(await targets.delete(c, a, made.target.id)).toBe(false);
      expect(await checks.recordRun(c, a, made.check.id, { at: new Date(), success: false, error: 'x', durationMs: 1, statusCode: null, certNotAfter: null })).toBeNull();
      // Writing a row for org A from org B's context is refused by the policy's WITH CHECK.
      await expect(c.query('savepoint s1').then(() => checks.create(c, a, { name: 'x', kind: 'tcp', target: 'h:1', config: {}, intervalMs: 1000, timeoutMs: 500, failureThreshold: 1, enabled: true, public: false }))).rejects.toThrow(/row-level security/);
      await c.query('rollback to savepoint s1');
    });
    // The token lookup is the one organization-free read, and it returns only the owner's ids.
    expect(await beats.owner(pool, `hash-${a}`)).toEqual({ orgId: a, heartbeatId: made.beat.id });
    expect(await beats.owner(pool, 'hash-unknown')).toBeNull();
    await withOrgClient(pool, a, async (c) => {
      expect((await checks.list(c, a)).map((x) => x.id)).toEqual([made.check.id]);
      expect((await incidents.listSince(c, a, new Date(0))).map((x) => x.id)).toEqual([made.incident.id]);
    });
  });
});
