import { Pool, type PoolClient } from 'pg';

/** A plain `pg` pool for the hot paths (COPY, bulk reads) that Prisma is not built for. */
export function createPgPool(connectionString: string, max = 10): Pool {
  const pool = new Pool({ connectionString, max });
  // An idle client that loses its connection emits 'error'; without a listener Node would crash.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `fn` in a transaction scoped to one organization, as `withOrg` does for Prisma. */
export async function withOrgClient<T>(
  pool: Pool,
  orgId: string,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`select set_config('app.org_id', $1, true)`, [orgId]);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
