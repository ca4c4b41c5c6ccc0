import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPrismaClient, withOrg, type Db } from '@tocsin/db';

// Through the app role (no BYPASSRLS): on-call rows of org A are invisible to org B and cannot be
// written for org A while acting as org B; the phone look-up answers only for verified numbers.
describe('on-call tables under row-level security', () => {
  let owner: Client;
  let prisma: Db;
  const orgA = randomUUID();
  const orgB = randomUUID();
  const user = randomUUID();
  const incidentA = randomUUID();
  const phone = `+1555${Date.now() % 10_000_000}`;
  const tables = [
    'oncall_contact_methods',
    'oncall_schedules',
    'oncall_escalation_policies',
    'oncall_incident_counters',
    'oncall_incidents',
    'oncall_incident_events',
    'oncall_pages',
  ];

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    await owner.query(
      `insert into users (id, email, name, password_hash) values ($1, $2, 'u', 'x')`,
      [user, `${user}@example.com`],
    );
    for (const org of [orgA, orgB])
      await owner.query(`insert into organizations (id, slug, name) values ($1, $2, 'o')`, [
        org,
        `s-${org}`,
      ]);
    await owner.query(
      `insert into oncall_contact_methods (id, org_id, user_id, kind, address, verified_at) values ($1, $2, $3, 'sms', $4, now())`,
      [randomUUID(), orgA, user, phone],
    );
    await owner.query(
      `insert into oncall_contact_methods (id, org_id, user_id, kind, address) values ($1, $2, $3, 'sms', $4)`,
      [randomUUID(), orgB, user, phone],
    );
    await owner.query(
      `insert into oncall_schedules (id, org_id, name, time_zone, layers) values ($1, $2, 's', 'UTC', '[]')`,
      [randomUUID(), orgA],
    );
    await owner.query(
      `insert into oncall_escalation_policies (id, org_id, name, levels) values ($1, $2, 'p', '[]')`,
      [randomUUID(), orgA],
    );
    await owner.query(`insert into oncall_incident_counters (org_id, last_number) values ($1, 1)`, [
      orgA,
    ]);
    await owner.query(
      `insert into oncall_incidents (id, org_id, number, title, urgency, status, source, escalation_run_id) values ($1, $2, 1, 't', 'high', 'TRIGGERED', 'manual', $3)`,
      [incidentA, orgA, randomUUID()],
    );
    await owner.query(
      `insert into oncall_incident_events (id, org_id, incident_id, kind) values ($1, $2, $3, 'opened')`,
      [randomUUID(), orgA, incidentA],
    );
    await owner.query(
      `insert into oncall_pages (id, org_id, incident_id, user_id, kind, address, step, run_id, idempotency_key) values ($1, $2, $3, $4, 'sms', $5, 0, $6, 'k')`,
      [randomUUID(), orgA, incidentA, user, phone, randomUUID()],
    );
    prisma = createPrismaClient(process.env.DATABASE_APP_URL!, 2);
  });

  afterAll(async () => {
    await owner.end();
    await prisma.$disconnect();
  });

  it('org B sees none of org A’s on-call rows, org A sees its own', async () => {
    for (const table of tables) {
      const seenByB = await withOrg(prisma, orgB, (tx) =>
        tx.$queryRawUnsafe<Array<{ n: number }>>(
          `select count(*)::int as n from ${table} where org_id = $1::uuid`,
          orgA,
        ),
      );
      expect([table, seenByB[0].n]).toEqual([table, 0]);
      const seenByA = await withOrg(prisma, orgA, (tx) =>
        tx.$queryRawUnsafe<Array<{ n: number }>>(
          `select count(*)::int as n from ${table} where org_id = $1::uuid`,
          orgA,
        ),
      );
      expect([table, seenByA[0].n]).toEqual([table, 1]);
    }
  });

  it('org B can neither write rows for org A nor change org A’s incident', async () => {
    await expect(
      withOrg(prisma, orgB, (tx) =>
        tx.$executeRawUnsafe(
          `insert into oncall_incident_events (id, org_id, incident_id, kind) values ($1::uuid, $2::uuid, $3::uuid, 'note')`,
          randomUUID(),
          orgA,
          incidentA,
        ),
      ),
    ).rejects.toThrow();
    const updated = await withOrg(prisma, orgB, (tx) =>
      tx.$executeRawUnsafe(
        `update oncall_incidents set status = 'RESOLVED' where id = $1::uuid`,
        incidentA,
      ),
    );
    expect(updated).toBe(0);
    const { rows } = await owner.query('select status from oncall_incidents where id = $1', [
      incidentA,
    ]);
    expect(rows[0].status).toBe('TRIGGERED');
  });

  it('answers the SMS look-up for verified numbers only, without an organization set', async () => {
    const rows = await prisma.$queryRaw<
      Array<{ org_id: string; user_id: string }>
    >`select org_id, user_id from oncall_verified_phone_owners(${phone})`;
    expect(rows).toEqual([{ org_id: orgA, user_id: user }]);
    const direct = await prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `select count(*)::int as n from oncall_contact_methods`,
    );
    expect(direct[0].n).toBe(0);
  });
});
