import type Redis from 'ioredis';
import type { SampleSink } from '../ingest.types';

const MINUTE_MS = 60_000;
const KEEP_SECONDS = 2 * 3600;

/**
 * Samples accepted per organization per minute, in Redis so every api replica adds to the same
 * count. Read by the `usage` query; never on the ingest path's critical section.
 */
export class IngestUsage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  private key(orgId: string, minute: number): string {
    return `${this.prefix}:usage:ingest:{${orgId}}:${minute}`;
  }

  async record(orgId: string, samples: number): Promise<void> {
    const key = this.key(orgId, Math.floor(this.now() / MINUTE_MS));
    await this.redis.multi().incrby(key, samples).expire(key, KEEP_SECONDS).exec();
  }

  /** Samples per minute for the last `minutes` complete minutes, oldest first. */
  async perMinute(orgId: string, minutes = 60): Promise<Array<{ minuteStart: number; samples: number }>> {
    const current = Math.floor(this.now() / MINUTE_MS);
    const buckets = Array.from({ length: minutes }, (_, i) => current - minutes + i);
    const values = buckets.length ? await this.redis.mget(buckets.map((m) => this.key(orgId, m))) : [];
    return buckets.map((m, i) => ({ minuteStart: m * MINUTE_MS, samples: Number(values[i] ?? 0) }));
  }
}

/** Counts what the sink committed; counting never fails or delays the ingest response. */
export function withUsageCounting(sink: SampleSink, usage: IngestUsage, onError: (err: unknown) => void = () => undefined): SampleSink {
  return {
    async write(orgId, batch) {
      const outcome = await sink.write(orgId, batch);
      if (outcome.samplesWritten > 0) usage.record(orgId, outcome.samplesWritten).catch(onError);
      return outcome;
    },
  };
}
