import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createPgPool, inlineParams, withOrgClient } from './index';

// withOrgClient sends BEGIN, the organization's setting and (optionally) the first statement in
// one round trip, with that statement's parameters written in as literals: the answers must be
// what the parameterized statement gives, and row-level security must hold for it.
describe('withOrgClient', () => {
  let owner: Client;
  let pool: Pool;
  const orgA = randomUUID();
  const orgB = randomUUID();

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    for (const org of [orgA, orgB])
      await owner.query(`insert into organizations (id, slug, name) values ($1, $2, 'o')`, [
        org,
        `s-${org}`,
      ]);
    pool = createPgPool(process.env.DATABASE_APP_URL!, 2);
  });

  afterAll(async () => {
    await pool.end();
    await owner.end();
  });

  it('answers a first statement written with literals as the parameterized one does', async () => {
    const awkward = [
      `it's`,
      `back\\slash`,
      `"quoted"`,
      `{brace,comma}`,
      `dollar $1 $$`,
      `ünïcødé ☃`,
      '',
      'NULL',
    ];
    const text = `SELECT $1::text AS s, $2::text[] AS a, to_timestamp($3) AS t, $4::int + 1 AS n, $5::jsonb AS j, $6::text IS NULL AS isnull`;
    for (const s of awkward) {
      const values = [s, awkward, 1795756128.347, 41, JSON.stringify({ k: s }), null];
      const expected = (await owner.query(text, values)).rows;
      const got = await withOrgClient(pool, orgA, async (_, first) => first!.rows, {
        first: { text, values },
      });
      expect(got).toEqual(expected);
    }
  });

  it('scopes the first statement and the rest to the organization, and only to it', async () => {
    const text = `SELECT id FROM organizations WHERE slug LIKE $1 ORDER BY id`;
    const [first, after] = await withOrgClient(
      pool,
      orgA,
      async (c, f) => [f!.rows, (await c.query(text, ['s-%'])).rows],
      { first: { text, values: ['s-%'] }, readOnly: true },
    );
    expect(first).toEqual([{ id: orgA }]);
    expect(after).toEqual([{ id: orgA }]);
  });

  it('refuses to write in a read-only transaction, and a failed first statement leaves the pool usable', async () => {
    await expect(
      withOrgClient(
        pool,
        orgA,
        (c) => c.query(`UPDATE organizations SET name = 'x' WHERE id = $1`, [orgA]),
        { readOnly: true },
      ),
    ).rejects.toThrow(/read-only/);
    await expect(
      withOrgClient(pool, orgA, async () => 1, {
        first: { text: `SELECT 'a' ~ $1`, values: ['('] },
      }),
    ).rejects.toMatchObject({ code: '2201B' });
    for (let i = 0; i < 4; i++)
      expect(
        await withOrgClient(
          pool,
          orgB,
          async (c) => (await c.query(`SELECT current_setting('app.org_id') AS o`)).rows[0].o,
          { readOnly: true },
        ),
      ).toBe(orgB);
    expect(
      (await owner.query(`SELECT name FROM organizations WHERE id = $1`, [orgA])).rows[0].name,
    ).toBe('o');
  });

  it('takes only a well-formed organization id into the statement', async () => {
    await expect(
      withOrgClient(pool, `${orgA}', true); DROP TABLE series; --`, async () => 1),
    ).rejects.toThrow(/invalid organization id/);
    expect(() => inlineParams('SELECT $1', [{}])).toThrow(/literal/);
    expect(() => inlineParams('SELECT $2', ['a'])).toThrow(/no value/);
  });
});
