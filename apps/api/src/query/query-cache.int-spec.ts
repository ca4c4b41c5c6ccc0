import type { INestApplication } from '@nestjs/common';
import { Client, Pool } from 'pg';
import request from 'supertest';
import { encodeWriteRequest } from '@tocsin/ingest';
import { cacheInvalidation, PromqlModule, type CacheGenerationsRedis } from '@tocsin/promql';
import { REDIS } from '@tocsin/queue';
import { RetentionService } from '@tocsin/tsdb';
import { IngestModule } from '../ingest/ingest.module';
import {
  REMOTE_WRITE_HEADERS as RW,
  createOrgWithKey,
  startHttpTestApp,
} from '../testing/http-test-app';
import { PrometheusApiController } from './prometheus-api.controller';

// Ingest and the Prometheus query API as the api serves them (real keys, PostgreSQL, Redis):
// the results cache must answer what an uncached query answers, after late writes too, and
// never one organization's results to another.
const MIN = 60_000;

interface Matrix {
  status: string;
  data: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; values: [number, string][] }>;
  };
}

describe('query_range results cache over HTTP', () => {
  let app: INestApplication;
  let owner: Client;

  const orgWithKey = () =>
    createOrgWithKey(owner, ['ingest', 'read'], { rate: 100000, burst: 1000000 });

  async function write(
    key: string,
    labels: Record<string, string>,
    timestamps: number[],
    value: number,
  ) {
    const res = await request(app.getHttpServer())
      .post('/api/v1/write')
      .set(RW)
      .set('authorization', `Bearer ${key}`)
      .send(encodeWriteRequest([{ labels, timestamps, values: timestamps.map(() => value) }]));
    expect(res.status).toBe(204);
  }

  async function queryRange(
    key: string,
    query: string,
    start: number,
    end: number,
    headers: Record<string, string> = {},
  ) {
    const res = await request(app.getHttpServer())
      .post('/api/v1/query_range')
      .set('authorization', `Bearer ${key}`)
      .set(headers)
      .type('form')
      .send({ query, start: String(start / 1000), end: String(end / 1000), step: '60' });
    expect(res.status).toBe(200);
    return {
      body: res.body as Matrix,
      cache: String(res.headers['x-tocsin-cache']).split(';')[0],
      timing: String(res.headers['server-timing']),
    };
  }

  /** Whole minutes from `hours` ago to 30 minutes ago (older than the cache's freshness horizon). */
  function recentMinutes(hours: number) {
    const now = Date.now();
    const start = Math.floor((now - hours * 60 * MIN) / MIN) * MIN;
    const end = Math.floor((now - 30 * MIN) / MIN) * MIN;
    const grid = Array.from({ length: (end - start) / MIN + 1 }, (_, i) => start + i * MIN);
    return { start, end, grid };
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

  it('serves a cached answer, and the next answer after a late write reflects the write', async () => {
    const a = await orgWithKey();
    const { start, end, grid } = recentMinutes(3);
    await write(a.key, { __name__: 'qc_requests', job: 'api' }, grid, 1);
    const q = 'sum(qc_requests)';

    const cold = await queryRange(a.key, q, start, end);
    expect(cold.cache).toBe('miss');
    expect(cold.body.data.result[0].values.every(([, v]) => v === '1')).toBe(true);
    const warm = await queryRange(a.key, q, start, end);
    expect(warm.cache).toBe('hit');
    expect(warm.body).toEqual(cold.body);

    // Samples at "now" are not late: the cached answer stays.
    await write(a.key, { __name__: 'qc_requests', job: 'api' }, [Date.now()], 1);
    expect((await queryRange(a.key, q, start, end)).cache).toBe('hit');

    // A late sample an hour into the cached range, from another series.
    const lateAt = start + 60 * MIN;
    await write(a.key, { __name__: 'qc_requests', job: 'late' }, [lateAt], 5);
    const after = await queryRange(a.key, q, start, end);
    expect(after.cache).toBe('miss');
    const at = new Map(after.body.data.result[0].values.map(([t, v]) => [t * 1000, v]));
    expect(at.get(lateAt - MIN)).toBe('1');
    expect(at.get(lateAt)).toBe('6');
    // Visible for the lookback delta (5 m, its start included, as in this engine's Prometheus).
    expect(at.get(lateAt + 5 * MIN)).toBe('6');
    expect(at.get(lateAt + 6 * MIN)).toBe('1');
    const uncached = await queryRange(a.key, q, start, end, { 'cache-control': 'no-cache' });
    expect(uncached.cache).toBe('bypass');
    expect(after.body).toEqual(uncached.body);
    expect((await queryRange(a.key, q, start, end)).cache).toBe('hit');
  });

  it("says in Server-Timing where an answer's time went, and how many samples it read", async () => {
    const a = await orgWithKey();
    const { start, end, grid } = recentMinutes(3);
    await write(a.key, { __name__: 'st_requests', job: 'api' }, grid, 1);
    await write(a.key, { __name__: 'st_requests', job: 'web' }, grid, 2);
    const timing = async (headers: Record<string, string>) => {
      const metrics = new Map<string, { dur: number; desc?: string }>();
      for (const m of (
        await queryRange(a.key, 'sum(st_requests)', start, end, headers)
      ).timing.split(', ')) {
        const [name, ...params] = m.split(';');
        const param = (k: string) => params.find((x) => x.startsWith(`${k}=`))?.slice(k.length + 1);
        metrics.set(name, {
          dur: Number(param('dur')),
          desc: param('desc')?.replace(/^"|"$/g, ''),
        });
      }
      return metrics;
    };

    const cold = await timing({ 'cache-control': 'no-cache' });
    expect([...cold.keys()]).toEqual(['select', 'eval', 'body', 'handler']);
    // Both series' samples, every one within the range and its lookback.
    expect(cold.get('select')!.desc).toBe(`${2 * grid.length} samples`);
    for (const { dur } of cold.values()) expect(dur).toBeGreaterThanOrEqual(0);
    const parts = cold.get('select')!.dur + cold.get('eval')!.dur + cold.get('body')!.dur;
    expect(parts).toBeLessThanOrEqual(cold.get('handler')!.dur + 0.01);

    await timing({}); // fills the cache
    const hit = await timing({});
    // Answered from the cache: nothing read, nothing evaluated.
    expect(hit.get('select')).toEqual({ dur: 0, desc: '0 samples' });
    expect(hit.get('eval')!.dur).toBe(0);
  });

  it('recomputes cached answers after retention deleted samples they were made of', async () => {
    const a = await orgWithKey();
    const now = Date.now();
    const start = Math.floor((now - 2 * 24 * 60 * MIN) / MIN) * MIN;
    const end = start + 60 * MIN;
    const grid = Array.from({ length: 61 }, (_, i) => start + i * MIN);
    await write(a.key, { __name__: 'qc_expiring' }, grid, 3);
    const q = 'count(qc_expiring)';
    const cached = await queryRange(a.key, q, start, end);
    expect(cached.body.data.result).toHaveLength(1);
    expect((await queryRange(a.key, q, start, end)).cache).toBe('hit');

    await owner.query(`update organizations set retention_raw_days = 1 where id = $1`, [a.orgId]);
    const pool = new Pool({ connectionString: process.env.DATABASE_APP_URL, max: 1 });
    try {
      const { onDeleted } = cacheInvalidation(app.get<CacheGenerationsRedis>(REDIS));
      // No flusher runs here: the samples are still in the head log, one row per 2 h block.
      const { deleted } = await new RetentionService(pool, { onDeleted }).apply(a.orgId);
      expect(deleted.log + deleted.samples + deleted.chunks).toBeGreaterThanOrEqual(1);
    } finally {
      await pool.end();
    }
    const after = await queryRange(a.key, q, start, end);
    expect(after.cache).toBe('miss');
    expect(after.body.data.result).toEqual([]);
  });

  it("never answers one organization with another one's cached results", async () => {
    const a = await orgWithKey();
    const b = await orgWithKey();
    const { start, end, grid } = recentMinutes(2);
    await write(a.key, { __name__: 'qc_tenant', owner: 'a' }, grid, 1);
    await write(b.key, { __name__: 'qc_tenant', owner: 'b' }, grid, 2);
    const q = 'qc_tenant';
    const fromA = await queryRange(a.key, q, start, end);
    expect((await queryRange(a.key, q, start, end)).cache).toBe('hit');
    const fromB = await queryRange(b.key, q, start, end);
    expect(fromB.cache).toBe('miss');
    expect(fromA.body.data.result.map((s) => s.metric)).toEqual([
      { __name__: 'qc_tenant', owner: 'a' },
    ]);
    expect(fromB.body.data.result.map((s) => s.metric)).toEqual([
      { __name__: 'qc_tenant', owner: 'b' },
    ]);
    expect(fromB.body.data.result[0].values[0][1]).toBe('2');
  });
});
