import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { loadConfig } from '@tocsin/config';
import { AppError } from '@tocsin/graphql';
import { REDIS, redisKey } from '@tocsin/queue';

/**
 * Failed log-ins counted per account and per IP in Redis, so the limit holds across api
 * replicas. Once either count reaches its limit, log-ins are refused until the window passes,
 * before the password is even checked.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  private keys(email: string, ip: string | undefined): [string, string] {
    return [redisKey('login-fail', 'acct', email), redisKey('login-fail', 'ip', ip ?? 'unknown')];
  }

  async assertAllowed(email: string, ip: string | undefined): Promise<void> {
    const config = loadConfig();
    const [acct, ipKey] = this.keys(email, ip);
    const [[, a], [, i], [, ttlA], [, ttlI]] = (await this.redis
      .multi()
      .get(acct)
      .get(ipKey)
      .ttl(acct)
      .ttl(ipKey)
      .exec()) as Array<[Error | null, unknown]>;
    const overAccount = Number(a ?? 0) >= config.LOGIN_MAX_ATTEMPTS_PER_ACCOUNT;
    const overIp = Number(i ?? 0) >= config.LOGIN_MAX_ATTEMPTS_PER_IP;
    if (overAccount || overIp) {
      const retry = Math.max(1, Number(overAccount ? ttlA : ttlI));
      throw AppError.rateLimited(`Too many failed log-ins; try again in ${Math.ceil(retry / 60)} minute(s)`, retry);
    }
  }

  async recordFailure(email: string, ip: string | undefined): Promise<void> {
    const window = loadConfig().LOGIN_WINDOW_SECONDS;
    const [acct, ipKey] = this.keys(email, ip);
    await this.redis
      .multi()
      .incr(acct)
      .expire(acct, window, 'NX')
      .incr(ipKey)
      .expire(ipKey, window, 'NX')
      .exec();
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.keys(email, undefined)[0]);
  }
}
