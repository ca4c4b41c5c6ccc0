import type Redis from 'ioredis';

/**
 * Token bucket per organization, in Redis so every api replica draws from the same bucket.
 * Tokens are samples; the bucket holds at most `burst` and refills at `rate` per second.
 * The script runs atomically; it reads the Redis server's clock (TIME) so replicas with skewed
 * clocks agree, unless the caller passes `now` (tests). Idle buckets expire once full again.
 *
 * KEYS[1] bucket key; ARGV: rate, burst, requested, now_ms (or ''), extra
 * `extra` tokens are taken as well when the bucket holds them, as many as it does (a lease; only
 * when `requested` is allowed, and never counted in the refusal's wait).
 * Returns {allowed (1/0), tokens left (floor), ms until `requested` tokens are there (-1: never),
 * extra tokens granted}
 */
const TOKEN_BUCKET_LUA = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local requested = tonumber(ARGV[3])
local extra = tonumber(ARGV[5]) or 0
local now
if ARGV[4] ~= '' then
  now = tonumber(ARGV[4])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
  ts = now
end
if tokens > burst then tokens = burst end
local allowed = 0
local wait = 0
local granted = 0
if requested <= tokens then
  tokens = tokens - requested
  allowed = 1
  granted = math.max(0, math.min(extra, math.floor(tokens)))
  tokens = tokens - granted
elseif requested > burst or rate <= 0 then
  wait = -1
else
  wait = math.ceil((requested - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
local ttl = 60000
if rate > 0 then ttl = math.ceil((burst - tokens) * 1000 / rate) + 1000 end
redis.call('PEXPIRE', KEYS[1], ttl)
return {allowed, math.floor(tokens), wait, granted}
`;

export interface RateDecision {
  allowed: boolean;
  /** Tokens (samples) left in the bucket after this decision. */
  remaining: number;
  /** When refused: ms until enough tokens are there; -1 when the request exceeds the burst. */
  retryAfterMs: number;
}

/** Decides whether an organization may ingest `samples` now. */
export interface IngestionRateLimiter {
  take(
    orgId: string,
    samples: number,
    limits: { ingestionRate: number; ingestionBurst: number },
  ): Promise<RateDecision>;
}

type RedisWithBucket = Redis & {
  tocsinTokenBucket(
    key: string,
    rate: number,
    burst: number,
    requested: number,
    now: string,
    extra: number,
  ): Promise<[number, number, number, number]>;
};

export class RedisIngestionRateLimiter implements IngestionRateLimiter {
  private readonly redis: RedisWithBucket;

  /**
   * @param redis an ioredis client (shared; not closed here)
   * @param prefix the deployment's REDIS_PREFIX
   * @param now optional clock for tests; by default the Redis server's clock is used
   */
  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly now?: () => number,
  ) {
    if (!(redis as unknown as Partial<RedisWithBucket>).tocsinTokenBucket) {
      // defineCommand uses EVALSHA with an EVAL fallback, so the script is sent once per server.
      redis.defineCommand('tocsinTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
    }
    this.redis = redis as RedisWithBucket;
  }

  /** The bucket's key; the org id in a hash tag keeps it on one Redis Cluster slot. */
  key(orgId: string): string {
    return `${this.prefix}:ingest:rate:{${orgId}}`;
  }

  async take(
    orgId: string,
    samples: number,
    limits: { ingestionRate: number; ingestionBurst: number },
  ): Promise<RateDecision> {
    const { allowed, remaining, retryAfterMs } = await this.lease(orgId, samples, 0, limits);
    return { allowed, remaining, retryAfterMs };
  }

  /**
   * Like {@link take}, and when `samples` are allowed also takes up to `extra` more tokens, as
   * many as the bucket holds after them; how many is `granted`.
   */
  async lease(
    orgId: string,
    samples: number,
    extra: number,
    limits: { ingestionRate: number; ingestionBurst: number },
  ): Promise<RateDecision & { granted: number }> {
    const [allowed, remaining, wait, granted] = await this.redis.tocsinTokenBucket(
      this.key(orgId),
      limits.ingestionRate,
      limits.ingestionBurst,
      samples,
      this.now ? String(this.now()) : '',
      extra,
    );
    return { allowed: allowed === 1, remaining, retryAfterMs: wait, granted };
  }
}
