import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPrismaClient, withOrg, type Db } from './index';

// Connected as the app role, the database itself keeps tenants apart: no org set reads nothing,
// one org set reads only that org's rows, and writing another org's row is refused.
describe('row-level security through the app role', () => {
  let owner: Client;
  let prisma: Db;
  const orgA = randomUUID();
  const orgB = randomUUID();
  const tenantTables = ['organizations', 'memberships', 'invitations', 'api_keys', 'audit_logs'];

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    const user = randomUUID();
    await owner.query(`insert into users (id, email, name, password_hash) values ($1, $2, 'u', 'x')`, [user, `${user}@example.com`]);
    for (const org of [orgA, orgB]) {
      await owner.query(`insert into organizations (id, slug, name) values ($1, $2, 'o')`, [org, `s-${org}`]);
      await owner.query(`insert into memberships (id, org_id, user_id, role) values ($1, $2, $3, 'OWNER')`, [randomUUID(), org, org === orgA ? user : user]);
      await owner.query(`insert into api_keys (id, org_id, name, prefix, secret_hash, scopes) values ($1, $2, 'k', 'tsn_', $3, '{read}')`, [randomUUID(), org, randomUUID()]);
      await owner.query(`insert into audit_logs (id, org_id, action) values ($1, $2, 'test')`, [randomUUID(), org]);
      await owner.query(`insert into invitations (id, org_id, email, role, token_hash, invited_by_id, expires_at) values ($1, $2, 'x@example.com', 'VIEWER', $3, $4, now())`, [randomUUID(), org, randomUUID(), user]);
    }
    prisma = createPrismaClient(process.env.DATABASE_APP_URL!, 2);
  });

  afterAll(async () => {
    await owner.end();
    await prisma.$disconnect();
  });

  it('the app role owns no table and cannot bypass RLS', async () => {
    const { rows } = await owner.query(
      `select rolsuper, rolbypassrls from pg_roles where rolname = 'tocsin_app'`,
    );
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    const owned = await owner.query(`select tablename from pg_tables where schemaname = 'public' and tableowner = 'tocsin_app'`);
    expect(owned.rows).toEqual([]);
    const withoutRls = await owner.query(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r','p') and c.relname = any($1) and not (c.relrowsecurity and c.relforcerowsecurity)`,
      [tenantTables],
    );
    expect(withoutRls.rows).toEqual([]);
  });

  it('every table of tenant data has forced RLS with a policy', async () => {
    // Tables that hold no tenant's data. Anything else must be under RLS, whoever added it.
    const global = new Set(['users', 'sessions', '_prisma_migrations']);
    const { rows } = await owner.query<{ relname: string; rls: boolean; forced: boolean; policies: number }>(
      `select c.relname, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
              (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition`,
    );
    const open = rows.filter((r) => !global.has(r.relname) && !(r.rls && r.forced && r.policies > 0)).map((r) => r.relname);
    expect(open).toEqual([]);
    expect(rows.length).toBeGreaterThan(global.size);
  });

  it('the app role cannot read a partition directly, around its parent\'s policies', async () => {
    const { rows } = await owner.query<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relispartition and c.relkind in ('r', 'p')
          and has_table_privilege('tocsin_app', c.oid, 'SELECT')`,
    );
    expect(rows).toEqual([]);
  });

  it.each(tenantTables)('%s reads 0 rows with no organization set', async (table) => {
    const rows = await withOrg(prisma, null, (tx) => tx.$queryRawUnsafe<unknown[]>(`select * from ${table}`));
    expect(rows).toHaveLength(0);
  });

  it.each(tenantTables)('%s shows org A only its own rows', async (table) => {
    const column = table === 'organizations' ? 'id' : 'org_id';
    const rows = await withOrg(prisma, orgA, (tx) =>
      tx.$queryRawUnsafe<Array<{ org: string }>>(`select ${column}::text as org from ${table}`),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.org === orgA)).toBe(true);
  });

  it('refuses writing a row into another organization', async () => {
    await expect(
      withOrg(prisma, orgA, (tx) =>
        tx.auditLog.create({ data: { orgId: orgB, action: 'sneaky' } }),
      ),
    ).rejects.toThrow();
  });

  it('cannot modify another organization even by id', async () => {
    const count = await withOrg(prisma, orgA, (tx) =>
      tx.organization.updateMany({ where: { id: orgB }, data: { name: 'taken' } }),
    );
    expect(count.count).toBe(0);
  });
});
