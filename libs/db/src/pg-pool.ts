import { escapeLiteral, Pool, type PoolClient, type QueryResult } from 'pg';

/** A plain `pg` pool for the hot paths (COPY, bulk reads) that Prisma is not built for. */
export function createPgPool(connectionString: string, max = 10): Pool {
  // node-postgres closes a connection idle for 10 s. A dashboard refreshing every 30 s then met
  // a new backend each time, whose empty catalog and plan caches made a 7-day select ~1.8×
  // slower (7.4 → 12.6–15 ms, s8-qhttp). Two connections stay open for good, the rest for 60 s.
  const pool = new Pool({
    connectionString,
    max,
    min: Math.min(2, max),
    idleTimeoutMillis: 60_000,
    // Idle connections do not keep a process alive: a script exits when its work is done.
    allowExitOnIdle: true,
  });
  // An idle client that loses its connection emits 'error'; without a listener Node would crash.
  pool.on('error', () => undefined);
  return pool;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OrgClientOptions {
  /**
   * The transaction only reads: it runs READ ONLY, and the caller gets its result as soon as
   * `fn` is done, while COMMIT (which has nothing to make durable) completes before the
   * connection goes back to the pool. Saves a round trip on every query-path read.
   */
  readOnly?: boolean;
  /**
   * The transaction's first statement, sent in the same round trip as BEGIN and set_config. That
   * takes the simple protocol, which allows several statements but no parameters: `values`
   * (strings, numbers, arrays of strings) are written into the text as quoted literals, which
   * PostgreSQL types as it types untyped parameters. Its result is `fn`'s second argument.
   */
  first?: { text: string; values: unknown[] };
}

/** `first`'s text with each `$n` replaced by its value as a literal. */
export function inlineParams(text: string, values: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i >= values.length) throw new Error(`no value for $${n}`);
    return literal(values[i]);
  });
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return escapeLiteral(v);
  if (typeof v === 'number' && Number.isFinite(v)) return escapeLiteral(String(v));
  // An array parameter as node-postgres would send it: `{"a","b"}`, quotes and backslashes escaped.
  if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
    return escapeLiteral(
      `{${v.map((x: string) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`,
    );
  throw new Error(`cannot write ${typeof v} as a literal`);
}

/** Runs `fn` in a transaction scoped to one organization, as `withOrg` does for Prisma. */
export async function withOrgClient<T>(
  pool: Pool,
  orgId: string,
  fn: (client: PoolClient, first: QueryResult | undefined) => Promise<T>,
  options: OrgClientOptions = {},
): Promise<T> {
  // The id is written into the statement (so BEGIN and set_config go in one round trip, which
  // only the simple protocol allows): only a well-formed UUID may get there.
  if (typeof orgId !== 'string' || !UUID.test(orgId))
    throw new Error(`invalid organization id ${String(orgId)}`);
  const client = await pool.connect();
  try {
    const begin = `BEGIN${options.readOnly ? ' READ ONLY' : ''}; SELECT set_config('app.org_id', '${orgId}', true)`;
    const { first } = options;
    let firstResult: QueryResult | undefined;
    if (first) {
      const results = (await client.query(
        `${begin}; ${inlineParams(first.text, first.values)}`,
      )) as unknown as QueryResult[];
      firstResult = results[2];
    } else await client.query(begin);
    const result = await fn(client, firstResult);
    if (options.readOnly) {
      const commit = client.query('COMMIT');
      // Released only once COMMIT is through, so the next borrower never lands in this transaction.
      commit.then(
        () => client.release(),
        (err: Error) => client.release(err),
      );
      return result;
    }
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    throw err;
  }
}
