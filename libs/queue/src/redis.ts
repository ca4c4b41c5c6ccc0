import { Global, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import { loadConfig } from '@tocsin/config';
import { RedisPubSub } from './pubsub';

export const REDIS = Symbol('REDIS');
export const PUB_SUB = Symbol('PUB_SUB');

/**
 * Connection options rather than shared connections: BullMQ workers must own theirs (a shared
 * one stays open after close() and the process never exits), and need maxRetriesPerRequest null.
 */
export function redisOptions(url = loadConfig().REDIS_URL): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
  };
}

/** Prefixes a key with the deployment's prefix, so several Tocsins (or test runs) share a Redis. */
export function redisKey(...parts: string[]): string {
  return [loadConfig().REDIS_PREFIX, ...parts].join(':');
}

@Injectable()
class RedisLifecycle implements OnModuleDestroy {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PUB_SUB) private readonly pubsub: RedisPubSub,
  ) {}
  async onModuleDestroy(): Promise<void> {
    await this.pubsub.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One general-purpose client per process for counters, rate limits and publishing. */
@Global()
@Module({
  providers: [
    { provide: REDIS, useFactory: () => new Redis({ ...redisOptions(), maxRetriesPerRequest: 3 }) },
    { provide: PUB_SUB, useFactory: () => new RedisPubSub() },
    RedisLifecycle,
  ],
  exports: [REDIS, PUB_SUB],
})
export class RedisModule {}
