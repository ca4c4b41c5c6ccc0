import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPrismaClient, withOrg, type Db } from '@tocsin/db';
import { parseDefinition, type DashboardDefinition } from './dashboard-definition';
import { DashboardsRepository } from './dashboards.repository';

// Real PostgreSQL through the app role (RLS on, no BYPASSRLS): one organization's dashboards are
// invisible and untouchable from another's transaction, even when the id is known.
describe('dashboards repository', () => {
  let prisma: Db;
  let owner: Client;
  const repo = new DashboardsRepository();
  const orgA = randomUUID();
  const orgB = randomUUID();
  const definition = parseDefinition({
    panels: [{ id: '1', type: 'timeseries', title: 'CPU', query: 'rate(cpu[5m])' }],
  }) as DashboardDefinition;

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    for (const id of [orgA, orgB]) {
      await owner.query('insert into organizations (id, slug, name) values ($1, $2, $3)', [
        id,
        `d-${id.slice(0, 8)}`,
        'dashboards int',
      ]);
    }
    prisma = createPrismaClient(process.env.DATABASE_APP_URL!, 2);
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await owner.end();
  });

  it('stores, lists, updates and deletes within the organization', async () => {
    const row = await withOrg(prisma, orgA, (tx) =>
      repo.create(tx, { orgId: orgA, title: 'Hosts', definition }),
    );
    expect(row.definition.panels[0].query).toBe('rate(cpu[5m])');
    const listed = await withOrg(prisma, orgA, (tx) => repo.list(tx, { orgId: orgA }));
    expect(listed.map((d) => d.title)).toEqual(['Hosts']);
    const updated = await withOrg(prisma, orgA, (tx) =>
      repo.update(tx, { orgId: orgA, id: row.id }, { title: 'Hosts 2', definition }),
    );
    expect(updated?.title).toBe('Hosts 2');
    expect(await withOrg(prisma, orgA, (tx) => repo.delete(tx, { orgId: orgA, id: row.id }))).toBe(
      true,
    );
  });

  it('keeps another organization out, by the repository filter and by RLS underneath it', async () => {
    const row = await withOrg(prisma, orgA, (tx) =>
      repo.create(tx, { orgId: orgA, title: 'Secret', definition }),
    );
    // B asking for A's id through the repository (filter says orgB): nothing.
    expect(
      await withOrg(prisma, orgB, (tx) => repo.get(tx, { orgId: orgB, id: row.id })),
    ).toBeNull();
    expect(await withOrg(prisma, orgB, (tx) => repo.list(tx, { orgId: orgB }))).toEqual([]);
    expect(
      await withOrg(prisma, orgB, (tx) =>
        repo.update(tx, { orgId: orgB, id: row.id }, { title: 'x', definition }),
      ),
    ).toBeNull();
    expect(await withOrg(prisma, orgB, (tx) => repo.delete(tx, { orgId: orgB, id: row.id }))).toBe(
      false,
    );
    // Even a query that names A's organization returns nothing inside B's transaction: RLS.
    expect(
      await withOrg(prisma, orgB, (tx) => repo.get(tx, { orgId: orgA, id: row.id })),
    ).toBeNull();
    // And B cannot write rows into A.
    await expect(
      withOrg(prisma, orgB, (tx) => repo.create(tx, { orgId: orgA, title: 'Planted', definition })),
    ).rejects.toThrow();
    const stillA = await withOrg(prisma, orgA, (tx) => repo.get(tx, { orgId: orgA, id: row.id }));
    expect(stillA?.title).toBe('Secret');
  });
});
