import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { encodeWriteRequest, type MetricMetadata } from '@tocsin/ingest';
import { PromqlModule } from '@tocsin/promql';
import { IngestModule } from '../ingest/ingest.module';
import {
  REMOTE_WRITE_HEADERS as RW,
  createOrgWithKey,
  startHttpTestApp,
} from '../testing/http-test-app';
import { PrometheusApiController } from './prometheus-api.controller';

// Metric metadata as Prometheus sends it (remote_write requests holding only metadata, every
// minute) through the api to /api/v1/metadata, over real PostgreSQL: per organization, the
// latest sent winning, capped at the organization's active-series limit.
describe('metric metadata from remote_write to /api/v1/metadata', () => {
  let app: INestApplication;
  let owner: Client;

  const counter: MetricMetadata = {
    metric: 'mm_requests_total',
    type: 'counter',
    help: 'Requests served.',
    unit: '',
  };
  const gauge: MetricMetadata = {
    metric: 'mm_temperature_celsius',
    type: 'gauge',
    help: 'Temperature, ±0.5 °C.',
    unit: 'celsius',
  };

  async function send(key: string, metadata: MetricMetadata[]) {
    return request(app.getHttpServer())
      .post('/api/v1/write')
      .set(RW)
      .set('authorization', `Bearer ${key}`)
      .send(encodeWriteRequest([], metadata));
  }

  async function metadata(key: string, query: Record<string, string> = {}) {
    const res = await request(app.getHttpServer())
      .get('/api/v1/metadata')
      .query(query)
      .set('authorization', `Bearer ${key}`);
    return {
      status: res.status,
      body: res.body as { status: string; data: unknown; errorType?: string },
    };
  }

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    app = await startHttpTestApp([PromqlModule, IngestModule], [PrometheusApiController]);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.end();
  });

  it('serves what was sent, in Prometheus shape, the latest winning, to its organization only', async () => {
    const a = await createOrgWithKey(owner, ['ingest', 'read']);
    const b = await createOrgWithKey(owner, ['ingest', 'read']);
    expect((await send(a.key, [counter, gauge])).status).toBe(204);
    expect(await metadata(a.key)).toEqual({
      status: 200,
      body: {
        status: 'success',
        data: {
          mm_requests_total: [{ type: 'counter', help: 'Requests served.', unit: '' }],
          mm_temperature_celsius: [
            { type: 'gauge', help: 'Temperature, ±0.5 °C.', unit: 'celsius' },
          ],
        },
      },
    });
    // Sent again unchanged (Prometheus' minute), then changed: the change is what is served.
    expect((await send(a.key, [counter])).status).toBe(204);
    expect((await send(a.key, [{ ...counter, help: 'Requests served, all routes.' }])).status).toBe(
      204,
    );
    expect((await metadata(a.key, { metric: 'mm_requests_total' })).body.data).toEqual({
      mm_requests_total: [{ type: 'counter', help: 'Requests served, all routes.', unit: '' }],
    });
    expect((await metadata(a.key, { limit: '1' })).body.data).toEqual({
      mm_requests_total: [{ type: 'counter', help: 'Requests served, all routes.', unit: '' }],
    });
    expect((await metadata(a.key, { limit: '0' })).body.data).toEqual({});
    expect((await metadata(a.key, { limit: 'x' })).body).toMatchObject({
      status: 'error',
      errorType: 'bad_data',
    });
    // Organization B sees none of A's, and its own write does not touch A's.
    expect((await metadata(b.key)).body.data).toEqual({});
    expect((await send(b.key, [{ ...gauge, help: 'B' }])).status).toBe(204);
    expect((await metadata(a.key, { metric: 'mm_temperature_celsius' })).body.data).toEqual({
      mm_temperature_celsius: [{ type: 'gauge', help: 'Temperature, ±0.5 °C.', unit: 'celsius' }],
    });
  });

  it('leaves out invalid entries with a warning and stops adding names at the active-series limit', async () => {
    const a = await createOrgWithKey(owner, ['ingest', 'read']);
    await owner.query('UPDATE organizations SET max_active_series = 2 WHERE id = $1', [a.orgId]);
    const res = await send(a.key, [
      { metric: 'bad-name', type: 'gauge', help: '', unit: '' },
      { ...gauge, help: 'x'.repeat(1025) },
      counter,
    ]);
    expect(res.status).toBe(200);
    expect(res.body.warnings).toEqual([
      '2 metadata entries left out; the first: invalid metric name "bad-name"',
    ]);
    expect((await send(a.key, [gauge, { ...counter, metric: 'mm_third_total' }])).status).toBe(204);
    const names = Object.keys((await metadata(a.key)).body.data as object);
    expect(names).toEqual(['mm_requests_total', 'mm_temperature_celsius']);
    // Names it has still take updates at the limit.
    await send(a.key, [{ ...gauge, unit: 'kelvin' }]);
    expect((await metadata(a.key, { metric: 'mm_temperature_celsius' })).body.data).toEqual({
      mm_temperature_celsius: [{ type: 'gauge', help: 'Temperature, ±0.5 °C.', unit: 'kelvin' }],
    });
  });
});
