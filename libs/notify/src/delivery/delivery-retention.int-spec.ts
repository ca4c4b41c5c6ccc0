import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPgPool } from '@tocsin/db';
import { DeliveryRetention } from './delivery-retention';

const DAY = 24 * 60 * 60_000;

// Real PostgreSQL through the app role (RLS on): finished deliveries older than the
// organization's retention go; unfinished ones and other organizations' rows stay.
describe('delivery retention', () => {
  let owner: Client;
  const pool = createPgPool(process.env.DATABASE_APP_URL!, 2);
  const orgA = randomUUID();
  const orgB = randomUUID();
  const now = Date.now();

  const delivery = (orgId: string, status: string, ageDays: number) =>
    owner.query(
      `INSERT INTO deliveries (org_id, kind, target, idempotency_key, status, created_at, updated_at)
       VALUES ($1, 'email', 'x@example.com', $2, $3, $4, $4)`,
      [orgId, randomUUID(), status, new Date(now - ageDays * DAY)],
    );

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    for (const id of [orgA, orgB])
      await owner.query('insert into organizations (id, slug, name) values ($1, $2, $3)', [
        id,
        `dr-${id.slice(0, 8)}`,
        'delivery retention int',
      ]);
    await owner.query('UPDATE organizations SET alert_log_retention_days = 5 WHERE id = $1', [
      orgB,
    ]);
  });

  afterAll(async () => {
    await pool.end();
    await owner.end();
  });

  it('deletes finished deliveries past the retention of their organization', async () => {
    for (const org of [orgA, orgB]) {
      for (const status of ['delivered', 'failed', 'queued', 'sending']) {
        await delivery(org, status, 2);
        await delivery(org, status, 10);
        await delivery(org, status, 40);
      }
    }
    const retention = new DeliveryRetention(pool);
    // orgA (30 days): the 40-day delivered and failed; orgB (5 days): 10 and 40 days of both.
    expect(await retention.apply(orgA, now)).toBe(2);
    expect(await retention.apply(orgB, now)).toBe(4);
    const left = async (orgId: string) =>
      (
        await owner.query<{ status: string; n: string }>(
          'SELECT status, count(*) AS n FROM deliveries WHERE org_id = $1 GROUP BY 1 ORDER BY 1',
          [orgId],
        )
      ).rows.map((r) => `${r.status}:${r.n}`);
    expect(await left(orgA)).toEqual(['delivered:2', 'failed:2', 'queued:3', 'sending:3']);
    expect(await left(orgB)).toEqual(['delivered:1', 'failed:1', 'queued:3', 'sending:3']);
    // Nothing left to delete: a second run is a no-op.
    expect(await retention.apply(orgA, now)).toBe(0);
  });
});
