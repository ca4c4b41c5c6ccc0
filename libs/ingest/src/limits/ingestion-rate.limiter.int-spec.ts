import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisIngestionRateLimiter } from './ingestion-rate.limiter';
import { LEASE_TTL_MS, LeasedIngestionRateLimiter } from './leased-rate.limiter';

// Real Redis: the bucket is shared state, so what matters is what the script does there.
let redis: Redis;
let clock = 1_000_000;
const prefix = process.env.REDIS_PREFIX ?? 'tocsin-test';

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!);
});
afterAll(async () => {
  await redis.quit();
});

describe('RedisIngestionRateLimiter', () => {
  const limits = { ingestionRate: 1000, ingestionBurst: 5000 };

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

// Leases: what is proved here is that they stay within the one shared bucket.
describe('LeasedIngestionRateLimiter', () => {
  // A lease is min(100 ms of rate, a tenth of the burst) = 1,000 tokens here.
  const limits = { ingestionRate: 10_000, ingestionBurst: 20_000 };

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
