import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisIngestionRateLimiter } from './ingestion-rate.limiter';
import { LEASE_TTL_MS, LeasedIngestionRateLimiter } from './leased-rate.limiter';

// Real Redis: what is proved here is that leases stay within the one shared bucket.
describe('LeasedIngestionRateLimiter', () => {
  let redis: Redis;
  let clock = 1_000_000;
  const prefix = process.env.REDIS_PREFIX ?? 'tocsin-test';
  // A lease is min(100 ms of rate, a tenth of the burst) = 1,000 tokens here.
  const limits = { ingestionRate: 10_000, ingestionBurst: 20_000 };

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!);
  });
  afterAll(async () => {
    await redis.quit();
  });

  /** One api process: its own leases, the shared bucket, a count of its calls to Redis. */
  const replica = () => {
    const bucket = new RedisIngestionRateLimiter(redis, prefix, () => clock);
    const calls = { n: 0 };
    const lease = bucket.lease.bind(bucket);
    const counted: Pick<RedisIngestionRateLimiter, 'lease'> = {
      lease: (...args) => {
        calls.n++;
        return lease(...args);
      },
    };
    return { limiter: new LeasedIngestionRateLimiter(counted, () => clock), calls, bucket };
  };
  const tokensIn = async (bucket: RedisIngestionRateLimiter, org: string) =>
    Number(await redis.hget(bucket.key(org), 'tokens'));

  it('spends a lease without Redis, then takes the shortfall and a new lease in one call', async () => {
    const { limiter, calls, bucket } = replica();
    const org = randomUUID();
    expect(await limiter.take(org, 100, limits)).toMatchObject({ allowed: true });
    expect(calls.n).toBe(1);
    expect(await tokensIn(bucket, org)).toBe(20_000 - 100 - 1000);
    for (let i = 0; i < 10; i++) expect((await limiter.take(org, 100, limits)).allowed).toBe(true);
    expect(calls.n).toBe(1);
    // 1,000 leased, 1,000 spent: the next request goes to the bucket again.
    expect(await limiter.take(org, 100, limits)).toMatchObject({ allowed: true });
    expect(calls.n).toBe(2);
    expect(await tokensIn(bucket, org)).toBe(20_000 - 2 * 1100);
  });

  it('lets two replicas together admit no more than the shared bucket gives, plus a lease each', async () => {
    const a = replica();
    const b = replica();
    const org = randomUUID();
    let admitted = 0;
    // Alternate 300-sample requests between the replicas until both are refused.
    let refusedA;
    let refusedB;
    for (let i = 0; i < 200 && !(refusedA && refusedB); i++) {
      const r = i % 2 ? b : a;
      const d = await r.limiter.take(org, 300, limits);
      if (d.allowed) admitted += 300;
      else if (r === a) refusedA = d;
      else refusedB = d;
    }
    // The clock stood still: the bucket gave its burst and nothing more. Leases are only ever
    // carved out of it, so the sum admitted cannot exceed it either.
    expect(admitted).toBeLessThanOrEqual(20_000);
    expect(admitted).toBeGreaterThan(20_000 - 2 * 1000);
    expect(refusedA).toMatchObject({ allowed: false });
    expect(refusedA!.retryAfterMs).toBeGreaterThan(0);
    expect(refusedB).toMatchObject({ allowed: false });
    // Most requests never went to Redis.
    expect(a.calls.n + b.calls.n).toBeLessThan(admitted / 300 / 2);
    // Another organization keeps its whole burst, in either replica.
    expect((await a.limiter.take(randomUUID(), 20_000, limits)).allowed).toBe(true);
  });

  it('refuses a request larger than the burst however much is leased', async () => {
    const { limiter } = replica();
    const org = randomUUID();
    await limiter.take(org, 10, limits);
    expect(await limiter.take(org, 20_001, limits)).toMatchObject({
      allowed: false,
      retryAfterMs: -1,
    });
  });

  it('takes one lease for concurrent requests of a process, and forgets a stale one', async () => {
    const { limiter, calls, bucket } = replica();
    const org = randomUUID();
    const decisions = await Promise.all(
      Array.from({ length: 8 }, () => limiter.take(org, 100, limits)),
    );
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(calls.n).toBe(1);
    const before = await tokensIn(bucket, org);
    clock += LEASE_TTL_MS;
    // The 300 tokens left of the lease are gone; this request draws on the bucket (refilled by
    // the second that passed, up to the burst).
    await limiter.take(org, 100, limits);
    expect(calls.n).toBe(2);
    expect(await tokensIn(bucket, org)).toBe(Math.min(20_000, before + 10_000) - 100 - 1000);
  });

  it('keeps what it holds when the bucket refuses the rest', async () => {
    const { limiter, calls } = replica();
    const org = randomUUID();
    const small = { ingestionRate: 1, ingestionBurst: 5000 };
    // Lease: min(0.1, 500) rounds to nothing at a rate of 1/s, so each request asks the bucket.
    expect((await limiter.take(org, 4000, small)).allowed).toBe(true);
    const refused = await limiter.take(org, 2000, small);
    expect(refused).toMatchObject({ allowed: false, remaining: 1000, retryAfterMs: 1_000_000 });
    expect((await limiter.take(org, 1000, small)).allowed).toBe(true);
    expect(calls.n).toBe(3);
  });
});
