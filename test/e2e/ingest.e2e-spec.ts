import { Pool } from 'pg';
import { encodeWriteRequest } from '@tocsin/ingest';
import { PgSeriesReader } from '@tocsin/tsdb';
import { gql, signUp, startApi, type RunningApi, type SignedUp } from './support/api';

// The whole api process: a tenant creates an ingest key over GraphQL, then pushes metrics over
// each protocol the way Prometheus, scripts and Telegraf do; the samples are readable at once.
describe('metric ingest end to end', () => {
  let api: RunningApi;
  let org: SignedUp;
  let key: string;
  let pool: Pool;

  beforeAll(async () => {
    api = await startApi();
    org = await signUp(api.url, 'ingest');
    const created = await gql(
      api.url,
      'mutation { createApiKey(input: { name: "agent", scopes: [INGEST] }) { secret } }',
      {},
      { token: org.token },
    );
    key = created.data!.createApiKey.secret;
    pool = new Pool({ connectionString: process.env.DATABASE_APP_URL, max: 2 });
  });

  afterAll(async () => {
    await pool?.end();
    await api?.close();
  });

  const stored = (name: string) =>
    new PgSeriesReader(pool).select(org.orgId, [{ name: '__name__', op: '=', value: name }], {
      start: Date.now() - 3_600_000,
      end: Date.now() + 60_000,
    });

  it('takes remote_write with the key as basic-auth password', async () => {
    const body = encodeWriteRequest([
      { labels: { __name__: 'e2e_rw', job: 'node' }, timestamps: [Date.now()], values: [3] },
    ]);
    const res = await fetch(`${api.url}/api/v1/write`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
        authorization: `Basic ${Buffer.from(`prometheus:${key}`).toString('base64')}`,
      },
      body,
    });
    expect(res.status).toBe(204);
    expect((await stored('e2e_rw'))[0].labels).toEqual({ __name__: 'e2e_rw', job: 'node' });
  });

  it('takes JSON push and Influx line protocol with a bearer key', async () => {
    const now = Date.now();
    const push = await fetch(`${api.url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        series: [
          {
            labels: { __name__: 'e2e_json' },
            samples: [
              [now, 'NaN'],
              [now - 1000, 1],
            ],
          },
        ],
      }),
    });
    expect(push.status).toBe(200);
    expect(await push.json()).toMatchObject({ samplesWritten: 2 });
    const influx = await fetch(`${api.url}/api/v2/write?precision=s`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${key}` },
      body: `e2e_influx,host=a value=5 ${Math.floor(now / 1000)}\n`,
    });
    expect(influx.status).toBe(204);
    expect(Array.from((await stored('e2e_json'))[0].values).map(String)).toEqual(['1', 'NaN']);
    expect((await stored('e2e_influx'))[0].values[0]).toBe(5);
  });

  it('refuses a session-less, key-less request', async () => {
    const res = await fetch(`${api.url}/api/v1/write`, { method: 'POST', body: Buffer.from([0]) });
    expect(res.status).toBe(401);
  });
  it("lowers an organization's body limit through GraphQL, for that organization only", async () => {
    const small = await signUp(api.url, 'ingest-small');
    const set = await gql(
      api.url,
      'mutation { updateOrganizationLimits(input: { ingestMaxBodyBytes: 256 }) { ingestMaxBodyBytes } }',
      {},
      { token: small.token },
    );
    expect(set.data!.updateOrganizationLimits.ingestMaxBodyBytes).toBe(256);
    const tooHigh = await gql(
      api.url,
      'mutation { updateOrganizationLimits(input: { ingestMaxBodyBytes: 2147483647 }) { ingestMaxBodyBytes } }',
      {},
      { token: small.token },
    );
    expect(tooHigh.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const smallKey = (
      await gql(
        api.url,
        'mutation { createApiKey(input: { name: "agent", scopes: [INGEST] }) { secret } }',
        {},
        { token: small.token },
      )
    ).data!.createApiKey.secret;
    const body = JSON.stringify({
      series: [
        { labels: { __name__: 'e2e_big', pad: 'x'.repeat(400) }, samples: [[Date.now(), 1]] },
      ],
    });
    const push = (k: string) =>
      fetch(`${api.url}/api/v1/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${k}` },
        body,
      });
    const refused = await push(smallKey);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ id: 'request-too-large' });
    // The first organization keeps the server's default.
    expect((await push(key)).status).toBe(200);
  });
});
