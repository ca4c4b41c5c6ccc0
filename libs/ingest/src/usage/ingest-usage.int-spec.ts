import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { IngestUsage, USAGE_FLUSH_MS, withUsageCounting } from './ingest-usage';

describe('IngestUsage (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL!);
  let now = Date.UTC(2026, 10, 26, 12, 0, 30);
  const usage = new IngestUsage(redis, `${process.env.REDIS_PREFIX}-usage`, () => now);

  afterAll(() => redis.quit());

  it('counts committed samples per organization and minute, and only those', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const sink = withUsageCounting(
      { write: async (_org, batch) => ({ samplesWritten: batch.sampleCount - 1 }) },
      usage,
    );
    await sink.write(a, { series: [], sampleCount: 11 });
    await sink.write(a, { series: [], sampleCount: 6 });
    await sink.write(b, { series: [], sampleCount: 101 });
    await sink.write(b, { series: [], sampleCount: 1 }); // nothing committed, nothing counted
    now += 60_000;
    const lastA = await usage.perMinute(a, 2);
    expect(lastA.map((m) => m.samples)).toEqual([0, 15]);
    expect(lastA[1].minuteStart).toBe(Date.UTC(2026, 10, 26, 12, 0, 0));
    expect((await usage.perMinute(b, 1))[0].samples).toBe(100);
  });

  it("writes a process's counts once a second and on shutdown, not per request", async () => {
    const org = randomUUID();
    const writer = new IngestUsage(redis, `${process.env.REDIS_PREFIX}-usage`, () => now);
    const reader = new IngestUsage(redis, `${process.env.REDIS_PREFIX}-usage`, () => now + 60_000);
    const key = `${process.env.REDIS_PREFIX}-usage:usage:ingest:{${org}}:${Math.floor(now / 60_000)}`;
    for (let i = 0; i < 50; i++) writer.record(org, 2);
    // Another replica reading at once does not see this process's counts yet…
    expect(await redis.get(key)).toBeNull();
    // …and sees them once the timer has written them in one transaction.
    await new Promise((r) => setTimeout(r, USAGE_FLUSH_MS + 200));
    expect((await reader.perMinute(org, 1))[0].samples).toBe(100);
    expect(await redis.ttl(key)).toBeGreaterThan(3600);
    writer.record(org, 7);
    await writer.onModuleDestroy();
    expect((await reader.perMinute(org, 1))[0].samples).toBe(107);
  });
});
