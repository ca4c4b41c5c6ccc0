import type { LateWriteListener } from '@tocsin/tsdb';

/**
 * A per-organization counter that cached results are stamped with: bumping it makes every
 * cached answer of the organization stale at once. Shared (Redis) so that every api replica's
 * in-process cache sees a late write received by any other replica or process.
 */
export interface CacheGenerations {
  current(orgId: string): Promise<string>;
  bump(orgId: string): Promise<void>;
}

/** The two Redis commands used, so tests and callers need not depend on ioredis. */
export interface GenerationsRedis {
  get(key: string): Promise<string | null>;
  incr(key: string): Promise<number>;
}

export class RedisCacheGenerations implements CacheGenerations {
  constructor(
    private readonly redis: GenerationsRedis,
    private readonly prefix: string,
  ) {}

  private key(orgId: string): string {
    return `${this.prefix}:qcache:gen:${orgId}`;
  }

  async current(orgId: string): Promise<string> {
    return (await this.redis.get(this.key(orgId))) ?? '0';
  }

  async bump(orgId: string): Promise<void> {
    await this.redis.incr(this.key(orgId));
  }
}

/** For unit tests and single-process tools. */
export class MemoryCacheGenerations implements CacheGenerations {
  private readonly gens = new Map<string, number>();
  async current(orgId: string): Promise<string> {
    return String(this.gens.get(orgId) ?? 0);
  }
  async bump(orgId: string): Promise<void> {
    this.gens.set(orgId, (this.gens.get(orgId) ?? 0) + 1);
  }
}

/**
 * Clocks of the writing and the querying processes may disagree by this much; a write is
 * reported as late this much before it reaches the cache's freshness horizon.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 60_000;

/**
 * The tsdb writer's hook: a write older than the cache's freshness horizon (less the clock
 * allowance) bumps the organization's generation. Writes within the horizon touch only steps
 * the cache never stores, so the hot path (samples at "now") costs nothing. Concurrent late
 * writes of one organization share bumps (see {@link coalescedBumps}).
 */
export function cacheInvalidatingListener(
  generations: CacheGenerations,
  freshnessMs: number,
): LateWriteListener {
  return {
    lateBeforeMs: Math.max(0, freshnessMs - CLOCK_SKEW_ALLOWANCE_MS),
    onLateWrite: coalescedBumps((orgId) => generations.bump(orgId)),
  };
}

/**
 * Bumps that writers committing at the same time share, per organization. A bump covers a write
 * only if it reaches Redis after the write committed: a query that read the generation before
 * the bump, and the data before the commit, stored a piece that the bump then makes stale. So
 * a caller never joins a bump already sent; it waits for the next one, which starts when the one
 * in flight settles and serves every caller that asked meanwhile. At most two bumps of an
 * organization are pending at once, however many writes wait on them; each caller's promise
 * settles as its own bump would have (the error of a failed bump reaches every caller it served).
 */
export function coalescedBumps(
  bump: (orgId: string) => Promise<void>,
): (orgId: string) => Promise<void> {
  const state = new Map<string, { inFlight: Promise<void>; next?: Promise<void> }>();
  const start = (orgId: string): Promise<void> => {
    const inFlight = bump(orgId);
    const entry = { inFlight, next: undefined as Promise<void> | undefined };
    state.set(orgId, entry);
    const settled = (): void => {
      if (state.get(orgId) === entry && !entry.next) state.delete(orgId);
    };
    inFlight.then(settled, settled);
    return inFlight;
  };
  return (orgId) => {
    const entry = state.get(orgId);
    if (!entry) return start(orgId);
    const after = (): Promise<void> => start(orgId);
    entry.next ??= entry.inFlight.then(after, after);
    return entry.next;
  };
}
