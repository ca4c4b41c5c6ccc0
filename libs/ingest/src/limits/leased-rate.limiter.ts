import type {
  IngestionRateLimiter,
  RateDecision,
  RedisIngestionRateLimiter,
} from './ingestion-rate.limiter';

/** A lease is at most this much of the organization's rate… */
export const LEASE_RATE_MS = 100;
/** …and at most this share of its burst, so one process never holds much of a small bucket. */
export const LEASE_BURST_SHARE = 0.1;
/** Leased tokens a process has not spent by then are forgotten (given back to no one). */
export const LEASE_TTL_MS = 1000;
const MAX_ORGS = 10_000;

interface Lease {
  tokens: number;
  expiresAt: number;
  /** A lease request in flight: the organization's other requests in this process wait for it. */
  pending: Promise<void> | undefined;
}

type Limits = { ingestionRate: number; ingestionBurst: number };

/**
 * The shared Redis token bucket, drawn from in leases: a request the process's lease for the
 * organization covers is decided without Redis; one it does not cover takes what it lacks from
 * the bucket plus a new lease (up to 100 ms of rate, a tenth of the burst), in one round trip.
 * Every admitted sample's token came out of the shared bucket, so all processes together admit
 * at most burst + rate × t + one lease per process in any window of t seconds; a process's
 * unspent lease (≤ one lease, forgotten after a second) is the most the others can be refused
 * early by. An organization ingesting at its limit costs each process ≤ ~10 Redis calls a second.
 */
export class LeasedIngestionRateLimiter implements IngestionRateLimiter {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly bucket: Pick<RedisIngestionRateLimiter, 'lease'>,
    private readonly now: () => number = Date.now,
  ) {}

  async take(orgId: string, samples: number, limits: Limits): Promise<RateDecision> {
    // Larger than the burst: refused whatever is leased (the bucket answers -1 without taking).
    if (samples > limits.ingestionBurst) {
      const { allowed, remaining, retryAfterMs } = await this.bucket.lease(
        orgId,
        samples,
        0,
        limits,
      );
      return { allowed, remaining, retryAfterMs };
    }
    let lease = this.leases.get(orgId);
    if (!lease) {
      if (this.leases.size >= MAX_ORGS) this.leases.clear();
      lease = { tokens: 0, expiresAt: 0, pending: undefined };
      this.leases.set(orgId, lease);
    }
    // One lease request per organization at a time, or N concurrent requests would take N leases.
    while (lease.pending) await lease.pending;
    const now = this.now();
    if (lease.expiresAt <= now) lease.tokens = 0;
    if (lease.tokens >= samples) {
      lease.tokens -= samples;
      return { allowed: true, remaining: lease.tokens, retryAfterMs: 0 };
    }
    // What the lease holds goes towards this request; the bucket is asked only for the rest.
    const held = lease.tokens;
    lease.tokens = 0;
    const extra = Math.floor(
      Math.min(
        (limits.ingestionRate * LEASE_RATE_MS) / 1000,
        limits.ingestionBurst * LEASE_BURST_SHARE,
      ),
    );
    let settle!: () => void;
    lease.pending = new Promise<void>((resolve) => (settle = resolve));
    try {
      const decision = await this.bucket.lease(orgId, samples - held, Math.max(0, extra), limits);
      if (decision.allowed) {
        lease.tokens = decision.granted;
        lease.expiresAt = now + LEASE_TTL_MS;
      } else {
        lease.tokens = held;
      }
      return {
        allowed: decision.allowed,
        remaining: decision.remaining + lease.tokens,
        retryAfterMs: decision.retryAfterMs,
      };
    } catch (err) {
      lease.tokens = held;
      throw err;
    } finally {
      lease.pending = undefined;
      settle();
    }
  }
}
