import { gzipSync } from 'node:zlib';
import { encodeWriteRequest } from './codecs/remote-write.codec';
import { createIngestHandler, type IngestDeps } from './ingest.handler';
import { DEFAULT_INGEST_LIMITS, type DecodedBatch, type SampleSink } from './ingest.types';
import type { IngestionRateLimiter } from './limits/ingestion-rate.limiter';

const NOW = 1732600000000;
const ctx = { orgId: 'org-1', limits: DEFAULT_INGEST_LIMITS };
const RW = { contentType: 'application/x-protobuf', contentEncoding: 'snappy' };

function recordingSink(): SampleSink & { batches: DecodedBatch[] } {
  const batches: DecodedBatch[] = [];
  return {
    batches,
    write: async (_org, batch) => {
      batches.push(batch);
      return { samplesWritten: batch.sampleCount };
    },
  };
}

function handler(overrides: Partial<IngestDeps> = {}) {
  const sink = recordingSink();
  return { sink, ingest: createIngestHandler({ sink, now: () => NOW, ...overrides }) };
}

const body = (n = 2) =>
  encodeWriteRequest(
    Array.from({ length: n }, (_, i) => ({
      labels: { __name__: 'up', instance: `i${i}` },
      timestamps: [NOW],
      values: [1],
    })),
  );

describe('ingest handler', () => {
  it('writes a remote_write batch and answers 204', async () => {
    const { sink, ingest } = handler();
    const res = await ingest('remote_write', { body: body(3), ...RW }, ctx);
    expect(res.status).toBe(204);
    expect(sink.batches[0].series).toHaveLength(3);
  });

  it('answers only after the sink has committed', async () => {
    let commit!: () => void;
    const sink: SampleSink = {
      write: (_o, batch) =>
        new Promise((resolve) => (commit = () => resolve({ samplesWritten: batch.sampleCount }))),
    };
    const ingest = createIngestHandler({ sink, now: () => NOW });
    let settled = false;
    const pending = ingest('remote_write', { body: body(), ...RW }, ctx).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    commit();
    expect((await pending).status).toBe(204);
  });

  it('keeps the valid series of a partly bad request and lists the rest with 400', async () => {
    const { sink, ingest } = handler();
    const mixed = encodeWriteRequest([
      { labels: { __name__: 'ok' }, timestamps: [NOW], values: [1] },
      { labels: { __name__: 'bad-name' }, timestamps: [NOW], values: [1] },
      { labels: { job: 'x' }, timestamps: [NOW], values: [1] },
    ]);
    const res = await ingest('remote_write', { body: mixed, ...RW }, ctx);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      id: 'invalid-metric-name',
      samplesWritten: 1,
      rejectedSamples: 2,
      rejectedSeries: 2,
    });
    expect(String(res.body?.error)).toContain('bad-name');
    expect(sink.batches[0].series.map((s) => s.labels.__name__)).toEqual(['ok']);
  });

  it('answers 429 naming the limit, with Retry-After, and writes nothing', async () => {
    const rateLimiter: IngestionRateLimiter = {
      take: async () => ({ allowed: false, remaining: 0, retryAfterMs: 1500 }),
    };
    const { sink, ingest } = handler({ rateLimiter });
    const res = await ingest('remote_write', { body: body(), ...RW }, ctx);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).toMatchObject({ id: 'err-ingestion-rate-limited' });
    expect(String(res.body?.error)).toContain('10000 samples/s');
    expect(sink.batches).toHaveLength(0);
  });

  it('explains a request larger than the burst', async () => {
    const rateLimiter: IngestionRateLimiter = {
      take: async () => ({ allowed: false, remaining: 5, retryAfterMs: -1 }),
    };
    const res = await handler({ rateLimiter }).ingest('remote_write', { body: body(), ...RW }, ctx);
    expect(res.status).toBe(429);
    expect(String(res.body?.error)).toMatch(/larger than the ingestion burst size/);
  });

  it('counts only valid samples against the rate limit', async () => {
    const take = jest.fn(async () => ({ allowed: true, remaining: 0, retryAfterMs: 0 }));
    const mixed = encodeWriteRequest([
      { labels: { __name__: 'ok' }, timestamps: [NOW, NOW - 1], values: [1, 2] },
      { labels: { job: 'x' }, timestamps: [NOW], values: [1] },
    ]);
    await handler({ rateLimiter: { take } }).ingest('remote_write', { body: mixed, ...RW }, ctx);
    expect(take).toHaveBeenCalledWith('org-1', 2, DEFAULT_INGEST_LIMITS);
  });

  it('lets requests through when the limiter fails, unless told otherwise', async () => {
    const rateLimiter: IngestionRateLimiter = {
      take: async () => Promise.reject(new Error('redis down')),
    };
    expect(
      (await handler({ rateLimiter }).ingest('remote_write', { body: body(), ...RW }, ctx)).status,
    ).toBe(204);
    const strict = handler({ rateLimiter, rateLimiterFailOpen: false });
    expect((await strict.ingest('remote_write', { body: body(), ...RW }, ctx)).status).toBe(503);
  });

  it('applies series limits from the SeriesLimiter', async () => {
    const { sink, ingest } = handler({
      seriesLimiter: {
        usage: async (_o, s) => ({
          exists: s.map(() => false),
          activeSeries: 0,
          seriesPerMetric: new Map(),
        }),
      },
    });
    const res = await ingest(
      'remote_write',
      { body: body(3), ...RW },
      { ...ctx, limits: { ...DEFAULT_INGEST_LIMITS, maxActiveSeries: 2 } },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ id: 'max-series-per-user', samplesWritten: 2 });
    expect(sink.batches[0].series).toHaveLength(2);
  });

  it('maps a failing sink to 503 so clients retry', async () => {
    const sink: SampleSink = { write: async () => Promise.reject(new Error('connection lost')) };
    const res = await createIngestHandler({ sink, now: () => NOW })(
      'remote_write',
      { body: body(), ...RW },
      ctx,
    );
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ id: 'storage-unavailable' });
  });

  it.each([
    ['remote_write', { ...RW, contentType: 'application/json' }],
    ['remote_write', { ...RW, contentEncoding: 'gzip' }],
    [
      'remote_write',
      { ...RW, contentType: 'application/x-protobuf;proto=io.prometheus.write.v2.Request' },
    ],
    ['json', { contentType: 'text/plain' }],
    ['json', { contentType: 'application/json', contentEncoding: 'br' }],
    ['influx', { contentType: 'application/json' }],
  ] as const)('answers 415 for %s with %j', async (kind, headers) => {
    const res = await handler().ingest(kind, { body: Buffer.from('x'), ...headers }, ctx);
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ id: 'unsupported-media-type' });
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await handler({ maxBodyBytes: 10 }).ingest(
      'remote_write',
      { body: body(), ...RW },
      ctx,
    );
    expect(res.status).toBe(413);
  });

  it('answers 413 for gzip that expands past the limit', async () => {
    const res = await handler({ maxDecompressedBytes: 1000 }).ingest(
      'influx',
      { body: gzipSync(Buffer.from('m v=1\n'.repeat(1000))), contentEncoding: 'gzip' },
      ctx,
    );
    expect(res.status).toBe(413);
  });

  it('answers 400 for a malformed body', async () => {
    const res = await handler().ingest(
      'remote_write',
      { body: Buffer.from([0x05, 0x00, 0x01, 0x02]), ...RW },
      ctx,
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ id: 'malformed-request' });
  });

  it('accepts JSON push with a 200 summary', async () => {
    const { sink, ingest } = handler();
    const doc = {
      series: [
        {
          labels: { __name__: 'temp', room: 'a' },
          samples: [
            [NOW, 20],
            [NOW - 1000, 19],
          ],
        },
      ],
    };
    const res = await ingest(
      'json',
      { body: Buffer.from(JSON.stringify(doc)), contentType: 'application/json; charset=utf-8' },
      ctx,
    );
    expect(res).toMatchObject({
      status: 200,
      body: { status: 'success', samplesWritten: 2, seriesWritten: 1 },
    });
    expect(Array.from(sink.batches[0].series[0].timestamps)).toEqual([NOW - 1000, NOW]);
  });

  it('accepts gzipped line protocol at a given precision', async () => {
    const { sink, ingest } = handler();
    const lines = gzipSync(Buffer.from(`cpu,host=a idle=90 ${NOW / 1000}\n`));
    const res = await ingest(
      'influx',
      {
        body: lines,
        contentEncoding: 'gzip',
        contentType: 'text/plain; charset=utf-8',
        query: { precision: 's' },
      },
      ctx,
    );
    expect(res.status).toBe(204);
    expect(sink.batches[0].series[0]).toMatchObject({
      labels: { __name__: 'cpu_idle', host: 'a' },
    });
    expect(sink.batches[0].series[0].timestamps[0]).toBe(NOW);
  });

  it('reports skipped Influx string fields with a 200', async () => {
    const res = await handler().ingest(
      'influx',
      { body: Buffer.from('log,app=x msg="hi",n=1i\n') },
      ctx,
    );
    expect(res.status).toBe(200);
    expect((res.body?.warnings as string[])[0]).toMatch(/string field/);
  });

  it('answers 400 for an unknown Influx precision', async () => {
    const res = await handler().ingest(
      'influx',
      { body: Buffer.from('m v=1'), query: { precision: 'h' } },
      ctx,
    );
    expect(res.status).toBe(400);
  });
});
