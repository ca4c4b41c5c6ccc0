import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS, redisKey } from '@tocsin/queue';

/**
 * Per-channel sends per minute, counted in Redis so every worker shares the budget. A fixed
 * window is enough here: the limit protects receivers (Slack's 1/s, DingTalk's 20/min), and a
 * send over budget is delayed to the next window, never dropped.
 */
@Injectable()
export class ChannelRateLimiter {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Takes one send from the channel's budget; when there is none, says when the next window opens. */
  async take(
    channelId: string,
    perMinute: number,
    now = Date.now(),
  ): Promise<{ allowed: true } | { allowed: false; retryAt: number }> {
    const window = Math.floor(now / 60_000);
    const key = redisKey('notify', 'rate', channelId, String(window));
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, 120_000).exec()) as [
      [Error | null, number],
      unknown,
    ];
    if (count <= perMinute) return { allowed: true };
    return { allowed: false, retryAt: (window + 1) * 60_000 + Math.floor(Math.random() * 1000) };
  }
}
