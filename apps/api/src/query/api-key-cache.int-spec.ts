import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { ApiKeysService } from '@tocsin/auth';
import { PromqlModule } from '@tocsin/promql';
import { runAsOrg } from '@tocsin/tenancy';
import { createOrgWithKey, startHttpTestApp } from '../testing/http-test-app';
import { PrometheusApiController } from './prometheus-api.controller';

// Two api processes (each its own Nest app, key cache and Redis subscriber) over one database:
// a key revoked through one must be refused by both at once, although both had it cached.
describe('API key cache across api processes', () => {
  let a: INestApplication;
  let b: INestApplication;
  let owner: Client;

  const status = async (app: INestApplication, key: string) =>
    (
      await request(app.getHttpServer())
        .get('/api/v1/metadata')
        .set('authorization', `Bearer ${key}`)
    ).status;

  /** The key's id, read as the owner (the app role sees no api_keys row without an organization). */
  const keyId = async (orgId: string) =>
    (await owner.query<{ id: string }>(`select id from api_keys where org_id = $1`, [orgId]))
      .rows[0].id;

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    a = await startHttpTestApp([PromqlModule], [PrometheusApiController]);
    b = await startHttpTestApp([PromqlModule], [PrometheusApiController]);
    // The subscription to revocations is made in the background at start-up.
    await new Promise((r) => setTimeout(r, 300));
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await owner?.end();
  });

  it('serves a verified key from memory, and refuses it in every process as soon as it is revoked', async () => {
    const { orgId, key } = await createOrgWithKey(owner, ['read']);
    expect(await status(a, key)).toBe(200);
    expect(await status(b, key)).toBe(200);
    // Revoked behind the api's back: both processes still hold the key (this is the cache).
    await owner.query(`update api_keys set revoked_at = now() where org_id = $1`, [orgId]);
    expect(await status(a, key)).toBe(200);
    expect(await status(b, key)).toBe(200);
    await owner.query(`update api_keys set revoked_at = null where org_id = $1`, [orgId]);

    // Revoked through process a, as the GraphQL mutation does it.
    const id = await keyId(orgId);
    await runAsOrg(orgId, () => a.get(ApiKeysService).revoke(id));
    expect(await status(a, key)).toBe(401);
    // Process b hears of it over Redis; allow the message its flight.
    let bStatus = 0;
    for (let i = 0; i < 20 && bStatus !== 401; i++) {
      bStatus = await status(b, key);
      if (bStatus !== 401) await new Promise((r) => setTimeout(r, 50));
    }
    expect(bStatus).toBe(401);
    // And not re-cached from a stale read afterwards.
    expect(await status(a, key)).toBe(401);
    expect(await status(b, key)).toBe(401);
  });

  it("never serves one organization's cached key as another's", async () => {
    const one = await createOrgWithKey(owner, ['read']);
    const two = await createOrgWithKey(owner, ['read']);
    const orgOf = async (key: string) => {
      const auth = await a.get(ApiKeysService).authenticate(key);
      return auth?.orgId;
    };
    // Twice each: the second answers come from the cache.
    for (let i = 0; i < 2; i++) {
      expect(await orgOf(one.key)).toBe(one.orgId);
      expect(await orgOf(two.key)).toBe(two.orgId);
    }
  });

  it('refuses an expired key even while it is cached', async () => {
    const { orgId, key } = await createOrgWithKey(owner, ['read']);
    await owner.query(
      `update api_keys set expires_at = now() + interval '1 second' where org_id = $1`,
      [orgId],
    );
    expect(await status(a, key)).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await status(a, key)).toBe(401);
  });
});
