import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { BACKFILL_TTL_MS, lateWriteBumps, RedisCacheGenerations } from './generations';

// Real Redis: the generation and the backfill mark must be read, and written, as one.
let redis: Redis;
const prefix = process.env.REDIS_PREFIX ?? 'tocsin-test';

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!);
});
afterAll(async () => {
  await redis.quit();
});

describe('RedisCacheGenerations', () => {
  it('bumps, marks a backfill that hides the generation until the mark expires', async () => {
    const g = new RedisCacheGenerations(redis, prefix);
    const org = randomUUID();
    expect(await g.current(org)).toBe('0');
    await g.bump(org);
    expect(await g.current(org)).toBe('1');
    await g.bumpBackfilling(org, 300);
    expect(await g.current(org)).toBeNull();
    const ttl = await redis.pttl(`${prefix}:qcache:gen:${org}:backfill`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 400));
    expect(await g.current(org)).toBe('2');
  });

  it('marks an organization whose late writes overlap, and leaves a lone one unmarked', async () => {
    const g = new RedisCacheGenerations(redis, prefix);
    const onLateWrite = lateWriteBumps(g);
    const [lone, a, b] = [randomUUID(), randomUUID(), randomUUID()];
    await onLateWrite(lone);
    expect(await g.current(lone)).toBe('1');
    await Promise.all([onLateWrite(a), onLateWrite(a), onLateWrite(a)]);
    expect(await g.current(a)).toBeNull();
    expect(await redis.pttl(`${prefix}:qcache:gen:${a}:backfill`)).toBeGreaterThan(
      BACKFILL_TTL_MS - 5_000,
    );
    expect(await redis.get(`${prefix}:qcache:gen:${a}`)).toBe('2');
    expect(await g.current(b)).toBe('0');
    await redis.del(`${prefix}:qcache:gen:${a}:backfill`);
  });
});
