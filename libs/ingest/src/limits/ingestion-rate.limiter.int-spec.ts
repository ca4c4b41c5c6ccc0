import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisIngestionRateLimiter } from './ingestion-rate.limiter';

// Real Redis: the bucket is shared state, so what matters is what the script does there.
describe('RedisIngestionRateLimiter', () => {
  let redis: Redis;
  let clock = 1_000_000;
  const prefix = process.env.REDIS_PREFIX ?? 'tocsin-test';
  const limits = { ingestionRate: 1000, ingestionBurst: 5000 };

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!);
  });
  afterAll(async () => {
    await redis.quit();
  });

  const limiter = () => new RedisIngestionRateLimiter(redis, prefix, () => clock);

  it('allows a burst, then throttles one org without slowing another', async () => {
    const l = limiter();
    const [noisy, quiet] = [randomUUID(), randomUUID()];
    expect(await l.take(noisy, 3000, limits)).toMatchObject({ allowed: true, remaining: 2000 });
    expect(await l.take(noisy, 2000, limits)).toMatchObject({ allowed: true, remaining: 0 });
    const refused = await l.take(noisy, 500, limits);
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterMs: 500 });
    // The other organization still has its whole burst.
    expect(await l.take(quiet, 5000, limits)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('refills at the configured rate, never past the burst', async () => {
    const l = limiter();
    const org = randomUUID();
    await l.take(org, 5000, limits);
    clock += 250;
    expect(await l.take(org, 300, limits)).toMatchObject({ allowed: false, retryAfterMs: 50 });
    clock += 50;
    expect(await l.take(org, 300, limits)).toMatchObject({ allowed: true, remaining: 0 });
    clock += 60_000;
    expect(await l.take(org, 1, limits)).toMatchObject({ allowed: true, remaining: 4999 });
  });

  it('refuses a request larger than the burst outright', async () => {
    const decision = await limiter().take(randomUUID(), 5001, limits);
    expect(decision).toEqual({ allowed: false, remaining: 5000, retryAfterMs: -1 });
  });

  it('keeps buckets under the prefix and lets them expire', async () => {
    const l = limiter();
    const org = randomUUID();
    await l.take(org, 10, limits);
    expect(l.key(org)).toBe(`${prefix}:ingest:rate:{${org}}`);
    const ttl = await redis.pttl(l.key(org));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10 + 1000);
  });

  it('uses the Redis clock when none is given, and stays atomic under concurrency', async () => {
    const l = new RedisIngestionRateLimiter(redis, prefix);
    const org = randomUUID();
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () =>
        l.take(org, 100, { ingestionRate: 1, ingestionBurst: 1000 }),
      ),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });
});
