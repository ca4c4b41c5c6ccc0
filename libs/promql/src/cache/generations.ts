import type { LateWriteListener } from '@tocsin/tsdb';

/**
 * A per-organization counter that cached results are stamped with: bumping it makes every
 * cached answer of the organization stale at once. Shared (Redis) so that every api replica's
 * in-process cache sees a late write received by any other replica or process.
 */
export interface CacheGenerations {
  /**
   * The stamp for answers computed from data read after this call, or null while the
   * organization backfills ({@link BackfillGenerations.bumpBackfilling}): then no cached answer
   * may be served, nor one stored.
   */
  current(orgId: string): Promise<string | null>;
  bump(orgId: string): Promise<void>;
}

/** What late writers need besides: the backfill mark. */
export interface BackfillGenerations extends CacheGenerations {
  /**
   * Bumps and, in the same atomic step, marks the organization as backfilling for `ttlMs`:
   * late writes that commit while the mark is certainly alive need no bump of their own (see
   * {@link lateWriteBumps}).
   */
  bumpBackfilling(orgId: string, ttlMs: number): Promise<void>;
}

/** The Redis commands used, so tests and callers need not depend on ioredis. */
export interface GenerationsRedis {
  mget(...keys: string[]): Promise<Array<string | null>>;
  incr(key: string): Promise<number>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** INCR of the generation and the backfill mark with its lifetime, as one atomic step. */
const BUMP_BACKFILLING = `redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return 1`;

export class RedisCacheGenerations implements BackfillGenerations {
  constructor(
    private readonly redis: GenerationsRedis,
    private readonly prefix: string,
  ) {}

  private key(orgId: string): string {
    return `${this.prefix}:qcache:gen:${orgId}`;
  }

  private backfillKey(orgId: string): string {
    return `${this.prefix}:qcache:gen:${orgId}:backfill`;
  }

  async current(orgId: string): Promise<string | null> {
    // One MGET: the generation and the mark as of the same instant (the proof in
    // lateWriteBumps needs "unmarked when this generation was read").
    const [gen, backfilling] = await this.redis.mget(this.key(orgId), this.backfillKey(orgId));
    return backfilling !== null ? null : (gen ?? '0');
  }

  async bump(orgId: string): Promise<void> {
    await this.redis.incr(this.key(orgId));
  }

  async bumpBackfilling(orgId: string, ttlMs: number): Promise<void> {
    await this.redis.eval(
      BUMP_BACKFILLING,
      2,
      this.key(orgId),
      this.backfillKey(orgId),
      Math.ceil(ttlMs),
    );
  }
}

/** For unit tests and single-process tools; `now` is the clock the backfill mark expires by. */
export class MemoryCacheGenerations implements BackfillGenerations {
  private readonly gens = new Map<string, number>();
  private readonly backfillUntil = new Map<string, number>();
  constructor(private readonly now: () => number = Date.now) {}
  async current(orgId: string): Promise<string | null> {
    if ((this.backfillUntil.get(orgId) ?? -Infinity) > this.now()) return null;
    return String(this.gens.get(orgId) ?? 0);
  }
  async bump(orgId: string): Promise<void> {
    this.gens.set(orgId, (this.gens.get(orgId) ?? 0) + 1);
  }
  async bumpBackfilling(orgId: string, ttlMs: number): Promise<void> {
    await this.bump(orgId);
    this.backfillUntil.set(orgId, this.now() + ttlMs);
  }
}

/**
 * Clocks of the writing and the querying processes may disagree by this much; a write is
 * reported as late this much before it reaches the cache's freshness horizon.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 60_000;

/** How long a backfill mark lives in Redis after each bump that sets it. */
export const BACKFILL_TTL_MS = 15_000;
/**
 * How long after sending a mark's bump this process acknowledges late writes on it without a
 * bump of their own. The rest of the mark's lifetime is margin: for the Redis server's clock
 * (by which the mark expires) against this process' monotonic clock, and for a commit's
 * acknowledgement reaching the process late.
 */
export const BACKFILL_REUSE_MS = 5_000;

/**
 * The tsdb writer's hook: a write older than the cache's freshness horizon (less the clock
 * allowance) bumps the organization's generation, or is covered by its backfill mark. Writes
 * within the horizon touch only steps the cache never stores, so the hot path (samples at
 * "now") costs nothing. See {@link lateWriteBumps}.
 */
export function cacheInvalidatingListener(
  generations: BackfillGenerations,
  freshnessMs: number,
): LateWriteListener {
  return {
    lateBeforeMs: Math.max(0, freshnessMs - CLOCK_SKEW_ALLOWANCE_MS),
    onLateWrite: lateWriteBumps(generations),
  };
}

/**
 * What a late write waits for before it is acknowledged, per organization and process.
 *
 * A cached piece must never miss an acknowledged sample. A query that stores a piece read the
 * generation g (unmarked) at t_g, then the data in a snapshot after t_g; a write W the piece
 * misses committed at t_c > t_g. W is acknowledged only once one of these has completed:
 *
 * - a plain bump sent after W's commit (INCR after t_c > t_g: the piece is stale from then on);
 * - a backfill bump S (INCR and SET mark PX ttl, atomically at T_x) sent at T_s with
 *   t_c ≤ T_s + reuse (t_c ≤ the moment W's listener is called). If T_x > t_g, S's INCR makes
 *   the piece stale. Otherwise T_x ≤ t_g < t_c ≤ T_s + reuse < T_x + ttl, so the mark was alive
 *   at t_g and the query stored nothing. Either way no piece missing W is served after W's
 *   acknowledgement, which came after S completed.
 *
 * So a late write that finds a backfill bump of its organization sent less than `reuse` ago —
 * in flight or done — just waits for it (done: not at all). A late write that finds a plain
 * bump still in flight (late writes overlapping: a Prometheus catching up, several shards) sends
 * a backfill bump, which the writes that follow share; while the mark lives, each late write
 * continuing the backfill renews it. A lone late write sends a plain bump, as before, so a
 * tenant's occasional late sample does not switch its cache off. While an organization is
 * marked (up to `ttl` after its last renewal) its queries bypass the results cache; the
 * generation moves on each renewal, so nothing stored before the backfill is served after it.
 * A failed bump fails the writes waiting for it (they are re-sent) and is forgotten.
 */
export function lateWriteBumps(
  generations: BackfillGenerations,
  opts: { ttlMs?: number; reuseMs?: number; now?: () => number } = {},
): (orgId: string) => Promise<void> {
  const ttlMs = opts.ttlMs ?? BACKFILL_TTL_MS;
  const reuseMs = opts.reuseMs ?? BACKFILL_REUSE_MS;
  const now = opts.now ?? (() => performance.now());
  interface Bump {
    op: Promise<void>;
    sentAt: number;
    backfill: boolean;
    settled: boolean;
  }
  const state = new Map<string, Bump>();
  const send = (orgId: string, at: number, backfill: boolean): Promise<void> => {
    const entry: Bump = {
      op: undefined as unknown as Promise<void>,
      sentAt: at,
      backfill,
      settled: false,
    };
    entry.op = backfill ? generations.bumpBackfilling(orgId, ttlMs) : generations.bump(orgId);
    state.set(orgId, entry);
    entry.op.then(
      () => {
        entry.settled = true;
        // A plain bump covers no later write: nothing to remember.
        if (!backfill && state.get(orgId) === entry) state.delete(orgId);
      },
      () => {
        if (state.get(orgId) === entry) state.delete(orgId);
      },
    );
    return entry.op;
  };
  return (orgId) => {
    const at = now();
    const last = state.get(orgId);
    if (!last) return send(orgId, at, false);
    if (last.backfill) {
      if (at <= last.sentAt + reuseMs) return last.op;
      // The backfill goes on while its mark lives; else it is over and this write is a lone one.
      return send(orgId, at, at <= last.sentAt + ttlMs);
    }
    // A plain bump in flight was sent before this write committed: it cannot cover it.
    return send(orgId, at, true);
  };
}
