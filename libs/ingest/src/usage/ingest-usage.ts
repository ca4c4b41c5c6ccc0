import type { OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { SampleSink } from '../ingest.types';

const MINUTE_MS = 60_000;
const KEEP_SECONDS = 2 * 3600;

/** Counts are written to Redis this often (and on shutdown): what a crash of the process can lose. */
export const USAGE_FLUSH_MS = 1000;

/**
 * Samples accepted per organization per minute, in Redis so every api replica adds to the same
 * count. Read by the `usage` query; never on the ingest path's critical section. A process adds
 * up its own counts and writes them once a second in one `MULTI` (not one per request):
 * a crash loses at most the last second's usage figures, never samples (they are counted after
 * their commit).
 */
export class IngestUsage implements OnModuleDestroy {
  /** Key → samples not yet written. */
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  private key(orgId: string, minute: number): string {
    return `${this.prefix}:usage:ingest:{${orgId}}:${minute}`;
  }

  record(orgId: string, samples: number): void {
    const key = this.key(orgId, Math.floor(this.now() / MINUTE_MS));
    this.pending.set(key, (this.pending.get(key) ?? 0) + samples);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(this.onError);
    }, USAGE_FLUSH_MS).unref();
  }

  /**
   * Writes the counts recorded so far in one transaction. When it fails they are dropped (and
   * the error thrown): usage figures may fall short during a Redis outage, never count twice.
   */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const counts = this.pending;
    this.pending = new Map();
    const multi = this.redis.multi();
    for (const [key, samples] of counts) multi.incrby(key, samples).expire(key, KEEP_SECONDS);
    await multi.exec();
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush().catch(this.onError);
  }

  /** Samples per minute for the last `minutes` complete minutes, oldest first. */
  async perMinute(
    orgId: string,
    minutes = 60,
  ): Promise<Array<{ minuteStart: number; samples: number }>> {
    // This process's own counts are then in the answer; other replicas' lag at most a second.
    await this.flush().catch(this.onError);
    const current = Math.floor(this.now() / MINUTE_MS);
    const buckets = Array.from({ length: minutes }, (_, i) => current - minutes + i);
    const values = buckets.length
      ? await this.redis.mget(buckets.map((m) => this.key(orgId, m)))
      : [];
    return buckets.map((m, i) => ({ minuteStart: m * MINUTE_MS, samples: Number(values[i] ?? 0) }));
  }
}

/** Counts what the sink committed; counting never fails or delays the ingest response. */
export function withUsageCounting(
  sink: SampleSink,
  usage: Pick<IngestUsage, 'record'>,
): SampleSink {
  return {
    async write(orgId, batch) {
      const outcome = await sink.write(orgId, batch);
      if (outcome.samplesWritten > 0) usage.record(orgId, outcome.samplesWritten);
      return outcome;
    },
  };
}
