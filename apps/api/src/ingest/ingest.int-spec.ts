import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { Client, Pool } from 'pg';
import request from 'supertest';
import { encodeWriteRequest } from '@tocsin/ingest';
import { isStaleNaNAt, PgSeriesReader, setStaleNaNAt } from '@tocsin/tsdb';
import { resetConfigCache } from '@tocsin/config';
import {
  REMOTE_WRITE_HEADERS as RW,
  createOrgWithKey,
  startHttpTestApp,
} from '../testing/http-test-app';
import { IngestModule } from './ingest.module';

// The ingest routes as the api serves them: real API keys, real PostgreSQL through tsdb's writer,
// real Redis for the rate limit. The module is assembled like AppModule, without GraphQL.
describe('ingest routes', () => {
  let app: INestApplication;
  let owner: Client;
  let reader: PgSeriesReader;
  let readerPool: Pool;

  const orgWithKey = (scopes: string[], limits: { rate?: number; burst?: number } = {}) =>
    createOrgWithKey(owner, scopes, limits);

  beforeAll(async () => {
    process.env.INGEST_MAX_BODY_BYTES = String(2 * 1024 * 1024);
    resetConfigCache();
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    app = await startHttpTestApp([IngestModule]);
    readerPool = new Pool({ connectionString: process.env.DATABASE_APP_URL, max: 2 });
    reader = new PgSeriesReader(readerPool);
  });

  afterAll(async () => {
    await app?.close();
    await readerPool?.end();
    await owner?.end();
    delete process.env.INGEST_MAX_BODY_BYTES;
    resetConfigCache();
  });

  const read = (orgId: string, name: string) =>
    reader.select(orgId, [{ name: '__name__', op: '=', value: name }], {
      start: Date.now() - 3_600_000,
      end: Date.now() + 3_600_000,
    });

  it('stores remote_write samples (staleness marker included) before answering 204', async () => {
    const { orgId, key } = await orgWithKey(['ingest']);
    const now = Date.now();
    const values = new Float64Array([1, 2, 0]);
    setStaleNaNAt(values, 2);
    const body = encodeWriteRequest([
      {
        labels: { __name__: 'rw_test', job: 'a' },
        timestamps: [now - 2000, now - 1000, now],
        values,
      },
    ]);
    const res = await request(app.getHttpServer())
      .post('/api/v1/write')
      .set(RW)
      .set('authorization', `Bearer ${key}`)
      .send(body);
    expect(res.status).toBe(204);
    const [series] = await read(orgId, 'rw_test');
    expect(series.labels).toEqual({ __name__: 'rw_test', job: 'a' });
    expect(Array.from(series.values.subarray(0, 2))).toEqual([1, 2]);
    expect(isStaleNaNAt(series.values, 2)).toBe(true);
  });

  it('accepts the API key as the basic-auth password', async () => {
    const { orgId, key } = await orgWithKey(['ingest']);
    const body = encodeWriteRequest([
      { labels: { __name__: 'basic_auth_test' }, timestamps: [Date.now()], values: [7] },
    ]);
    const res = await request(app.getHttpServer())
      .post('/api/v1/write')
      .set(RW)
      .auth('prometheus', key)
      .send(body);
    expect(res.status).toBe(204);
    expect(await read(orgId, 'basic_auth_test')).toHaveLength(1);
  });

  it('refuses a missing key with 401 and a key without the ingest scope with 403', async () => {
    const body = encodeWriteRequest([
      { labels: { __name__: 'x' }, timestamps: [Date.now()], values: [1] },
    ]);
    expect(
      (await request(app.getHttpServer()).post('/api/v1/write').set(RW).send(body)).status,
    ).toBe(401);
    const { key } = await orgWithKey(['read']);
    const res = await request(app.getHttpServer())
      .post('/api/v1/write')
      .set(RW)
      .set('authorization', `Bearer ${key}`)
      .send(body);
    expect(res.status).toBe(403);
  });

  it('takes JSON push and gzipped Influx line protocol', async () => {
    const { orgId, key } = await orgWithKey(['ingest']);
    const now = Date.now();
    const push = await request(app.getHttpServer())
      .post('/api/v1/push')
      .set('authorization', `Bearer ${key}`)
      .send({ series: [{ labels: { __name__: 'json_test', room: 'a' }, samples: [[now, 21.5]] }] });
    expect(push.status).toBe(200);
    expect(push.body).toMatchObject({ status: 'success', samplesWritten: 1 });
    const influx = await request(app.getHttpServer())
      .post('/api/v2/write?precision=ms&org=x&bucket=y')
      .set('authorization', `Bearer ${key}`)
      .set('content-type', 'text/plain; charset=utf-8')
      .set('content-encoding', 'gzip')
      .send(gzipSync(`cpu,host=h1 idle=90.5 ${now}\n`));
    expect(influx.status).toBe(204);
    expect((await read(orgId, 'json_test'))[0].values[0]).toBe(21.5);
    expect((await read(orgId, 'cpu_idle'))[0].labels).toEqual({ __name__: 'cpu_idle', host: 'h1' });
  });

  it('accepts the InfluxDB 2 "Authorization: Token" header on the Influx route', async () => {
    const { orgId, key } = await orgWithKey(['ingest']);
    const res = await request(app.getHttpServer())
      .post('/api/v2/write?precision=ms')
      .set('authorization', `Token ${key}`)
      .set('content-type', 'text/plain')
      .send(`telegraf_mem,host=h used=12i ${Date.now()}\n`);
    expect(res.status).toBe(204);
    expect((await read(orgId, 'telegraf_mem_used'))[0].values[0]).toBe(12);
    // The route is checked by hand rather than by the guard: prove it refuses what the guard would.
    const line = 'm v=1';
    const server = app.getHttpServer();
    expect((await request(server).post('/api/v2/write').send(line)).status).toBe(401);
    expect(
      (
        await request(server)
          .post('/api/v2/write')
          .set('authorization', 'Token tsn_nonsense')
          .send(line)
      ).status,
    ).toBe(401);
    const readOnly = await orgWithKey(['read']);
    for (const scheme of ['Token', 'Bearer']) {
      const res = await request(server)
        .post('/api/v2/write')
        .set('authorization', `${scheme} ${readOnly.key}`)
        .send(line);
      expect(res.status).toBe(403);
    }
  });

  it('answers 400 listing rejected series while keeping the valid ones', async () => {
    const { orgId, key } = await orgWithKey(['ingest']);
    const body = encodeWriteRequest([
      { labels: { __name__: 'partial_ok' }, timestamps: [Date.now()], values: [1] },
      { labels: { __name__: 'bad name' }, timestamps: [Date.now()], values: [1] },
    ]);
    const res = await request(app.getHttpServer())
      .post('/api/v1/write')
      .set(RW)
      .set('authorization', `Bearer ${key}`)
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      id: 'invalid-metric-name',
      samplesWritten: 1,
      rejectedSeries: 1,
    });
    expect(await read(orgId, 'partial_ok')).toHaveLength(1);
  });

  it('answers 415, 413 and 400 for bad envelopes', async () => {
    const { key } = await orgWithKey(['ingest']);
    const server = app.getHttpServer();
    const auth = { authorization: `Bearer ${key}` };
    expect(
      (
        await request(server)
          .post('/api/v1/write')
          .set(auth)
          .set('content-type', 'text/plain')
          .send('x')
      ).status,
    ).toBe(415);
    const big = await request(server)
      .post('/api/v2/write')
      .set(auth)
      .set('content-type', 'text/plain')
      .send(Buffer.alloc(2 * 1024 * 1024 + 1, 0x61));
    expect(big.status).toBe(413);
    const bad = await request(server)
      .post('/api/v1/write')
      .set(RW)
      .set(auth)
      .send(Buffer.from([0x05, 0x00, 0x01]));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/snappy|protobuf/);
  });

  it("applies an organization's own body limit, and takes JSON pushes past the 1 MB GraphQL cap", async () => {
    const small = await orgWithKey(['ingest']);
    await owner.query(`update organizations set ingest_max_body_bytes = 4096 where id = $1`, [
      small.orgId,
    ]);
    const other = await orgWithKey(['ingest']);
    const now = Date.now();
    const body = encodeWriteRequest(
      Array.from({ length: 200 }, (_, i) => ({
        labels: { __name__: 'org_limit_test', i: randomBytes(24).toString('hex') },
        timestamps: [now],
        values: [i],
      })),
    );
    expect(body.length).toBeGreaterThan(4096);
    const server = app.getHttpServer();
    const refused = await request(server)
      .post('/api/v1/write')
      .set(RW)
      .set('authorization', `Bearer ${small.key}`)
      .send(body);
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ id: 'request-too-large' });
    expect(refused.body.error).toMatch(/4096/);
    const accepted = await request(server)
      .post('/api/v1/write')
      .set(RW)
      .set('authorization', `Bearer ${other.key}`)
      .send(body);
    expect(accepted.status).toBe(204);

    // ~1.3 MB of JSON: over the app-wide JSON parser's 1 MB, under the ingest limit (2 MiB here).
    const series = Array.from({ length: 6000 }, (_, i) => ({
      labels: { __name__: 'big_push', i: String(i), pad: 'x'.repeat(150) },
      samples: [[now, i]],
    }));
    const json = JSON.stringify({ series });
    expect(json.length).toBeGreaterThan(1024 * 1024);
    const push = await request(server)
      .post('/api/v1/push')
      .set('authorization', `Bearer ${other.key}`)
      .set('content-type', 'application/json')
      .send(json);
    expect(push.status).toBe(200);
    expect(push.body).toMatchObject({ status: 'success', samplesWritten: 6000 });
    const gzipped = await request(server)
      .post('/api/v1/push')
      .set('authorization', `Bearer ${other.key}`)
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      // superagent would JSON-encode a Buffer sent as application/json; send the bytes as they are.
      .serialize((b: Buffer) => b as unknown as string)
      .send(gzipSync(JSON.stringify({ series: series.slice(0, 10) })));
    expect(gzipped.status).toBe(200);
  });

  it('rate-limits one organization with 429 while another keeps ingesting', async () => {
    const slow = await orgWithKey(['ingest'], { rate: 1, burst: 5 });
    const fast = await orgWithKey(['ingest']);
    const body = encodeWriteRequest([
      {
        labels: { __name__: 'rl_test' },
        timestamps: [1, 2, 3, 4].map((i) => Date.now() - i * 1000),
        values: [1, 2, 3, 4],
      },
    ]);
    const server = app.getHttpServer();
    expect(
      (
        await request(server)
          .post('/api/v1/write')
          .set(RW)
          .set('authorization', `Bearer ${slow.key}`)
          .send(body)
      ).status,
    ).toBe(204);
    const limited = await request(server)
      .post('/api/v1/write')
      .set(RW)
      .set('authorization', `Bearer ${slow.key}`)
      .send(body);
    expect(limited.status).toBe(429);
    expect(limited.body.id).toBe('err-ingestion-rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 3; i++) {
      expect(
        (
          await request(server)
            .post('/api/v1/write')
            .set(RW)
            .set('authorization', `Bearer ${fast.key}`)
            .send(body)
        ).status,
      ).toBe(204);
    }
  });
});
