import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { createPrismaClient, withOrg, type Db } from '@tocsin/db';
import { redisOptions } from '@tocsin/queue';
import { ChannelRateLimiter } from './channel-rate-limiter';
import { DeliveriesRepository, type NewDelivery } from './deliveries.repository';

// Real PostgreSQL through the app role (RLS on, no BYPASSRLS) and real Redis.
describe('deliveries repository and rate limiter', () => {
  let prisma: Db;
  let owner: Client;
  let redis: Redis;
  const repo = new DeliveriesRepository();
  const orgA = randomUUID();
  const orgB = randomUUID();

  beforeAll(async () => {
    owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    for (const id of [orgA, orgB]) {
      await owner.query('insert into organizations (id, slug, name) values ($1, $2, $3)', [
        id,
        `n-${id.slice(0, 8)}`,
        'notify int',
      ]);
    }
    prisma = createPrismaClient(process.env.DATABASE_APP_URL!, 4);
    redis = new Redis({ ...redisOptions(), maxRetriesPerRequest: 3 });
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await owner.end();
    redis.disconnect();
  });

  const delivery = (orgId: string, key: string): NewDelivery => ({
    orgId,
    channelId: null,
    kind: 'email',
    target: 'x@example.com',
    idempotencyKey: key,
    summary: 's',
    source: { incidentId: 'i1' },
  });

  it('claims a key once per lease, sends once, and counts later duplicates', async () => {
    const d = delivery(orgA, 'k-1');
    const first = await withOrg(prisma, orgA, (tx) => repo.claim(tx, d, 60_000));
    expect(first).toMatchObject({ state: 'claimed', attempts: 1 });
    const concurrent = await withOrg(prisma, orgA, (tx) => repo.claim(tx, d, 60_000));
    expect(concurrent.state).toBe('busy');
    const id = (first as { id: string }).id;
    await withOrg(prisma, orgA, (tx) =>
      repo.markDelivered(tx, orgA, id, { providerMessageId: 'm1', latencyMs: 12 }),
    );
    const late = await withOrg(prisma, orgA, (tx) => repo.claim(tx, d, 60_000));
    expect(late).toEqual({ state: 'delivered', id });
    const row = await withOrg(prisma, orgA, (tx) => repo.find(tx, orgA, id));
    expect(row).toMatchObject({
      status: 'delivered',
      attempts: 1,
      duplicates: 1,
      providerMessageId: 'm1',
      latencyMs: 12,
    });
  });

  it('takes over an expired lease (a dead worker) and a failed attempt', async () => {
    const d = delivery(orgA, 'k-2');
    const first = await withOrg(prisma, orgA, (tx) => repo.claim(tx, d, 1));
    await new Promise((r) => setTimeout(r, 20));
    const second = await withOrg(prisma, orgA, (tx) => repo.claim(tx, d, 60_000));
    expect(second).toMatchObject({ state: 'claimed', attempts: 2 });
    await withOrg(prisma, orgA, (tx) =>
      repo.markAttemptFailed(tx, orgA, (first as { id: string }).id, {
        error: 'HTTP 500',
        latencyMs: 3,
        final: false,
      }),
    );
    const third = await withOrg(prisma, orgA, (tx) => repo.claim(tx, d, 60_000));
    expect(third).toMatchObject({ state: 'claimed', attempts: 3 });
  });

  it('keeps organizations apart: same key is a separate delivery, rows are invisible and unwritable across orgs', async () => {
    const a = await withOrg(prisma, orgA, (tx) =>
      repo.claim(tx, delivery(orgA, 'shared-key'), 60_000),
    );
    const b = await withOrg(prisma, orgB, (tx) =>
      repo.claim(tx, delivery(orgB, 'shared-key'), 60_000),
    );
    expect(a.state).toBe('claimed');
    expect(b.state).toBe('claimed');
    const aId = (a as { id: string }).id;
    expect(await withOrg(prisma, orgB, (tx) => repo.find(tx, orgA, aId))).toBeNull();
    expect(await withOrg(prisma, orgB, (tx) => tx.delivery.count({ where: { id: aId } }))).toBe(0);
    // RLS refuses a row for another organization even when the query names it.
    await expect(
      withOrg(prisma, orgB, (tx) => repo.claim(tx, delivery(orgA, 'sneaky'), 60_000)),
    ).rejects.toThrow();
    await expect(
      withOrg(prisma, orgB, (tx) =>
        tx.channel.create({ data: { orgId: orgA, name: 'x', kind: 'webhook', config: {} } }),
      ),
    ).rejects.toThrow();
    await withOrg(prisma, orgB, (tx) => repo.markDelivered(tx, orgA, aId, { latencyMs: 1 }));
    expect((await withOrg(prisma, orgA, (tx) => repo.find(tx, orgA, aId)))!.status).toBe('sending');
  });

  it('rate-limits per channel per minute across callers, and says when the next window opens', async () => {
    const limiter = new ChannelRateLimiter(redis);
    const other = new ChannelRateLimiter(new Redis({ ...redisOptions(), maxRetriesPerRequest: 3 }));
    const channel = randomUUID();
    const now = Date.parse('2026-11-26T12:00:30.000Z');
    expect(await limiter.take(channel, 2, now)).toEqual({ allowed: true });
    expect(await other.take(channel, 2, now + 1000)).toEqual({ allowed: true });
    const denied = await limiter.take(channel, 2, now + 2000);
    expect(denied.allowed).toBe(false);
    const retryAt = (denied as { retryAt: number }).retryAt;
    expect(retryAt).toBeGreaterThanOrEqual(Date.parse('2026-11-26T12:01:00.000Z'));
    expect(retryAt).toBeLessThan(Date.parse('2026-11-26T12:01:01.000Z'));
    expect(await limiter.take(randomUUID(), 2, now)).toEqual({ allowed: true });
    expect(await limiter.take(channel, 2, Date.parse('2026-11-26T12:01:00.500Z'))).toEqual({
      allowed: true,
    });
    (other as unknown as { redis: Redis }).redis.disconnect();
  });
});
