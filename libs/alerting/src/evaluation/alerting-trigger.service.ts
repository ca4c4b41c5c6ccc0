import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS, redisKey } from '@tocsin/queue';
import { TenantDb } from '@tocsin/tenancy';
import { EvaluationScheduler } from './evaluation-scheduler.service';
import { metricNamesOf } from './metric-names';

interface OrgIndex {
  version: string;
  byMetric: Map<string, Set<string>>;
  /** Groups with a selector that names no metric exactly: any write may concern them. */
  anyMetric: Set<string>;
}

export const TRIGGER_DEBOUNCE_MS = 10;

/**
 * Evaluates rule groups as soon as samples they read arrive, instead of at the next tick. Writes
 * are coalesced per organization for a few milliseconds, then one immediate evaluation is
 * enqueued per group whose rules reference a written metric. The metric → groups index is
 * cached per organization and reloaded when the organization's rule version in Redis changes
 * (bumped on every rule change, by whichever api replica made it).
 */
@Injectable()
export class AlertingTrigger implements OnModuleDestroy {
  private readonly logger = new Logger('alerting-trigger');
  /** Per organization, the written metric names of the coalescing window, still unread. */
  private readonly pending = new Map<string, { names: Iterable<string>[]; done: Promise<void> }>();
  private readonly indexes = new Map<string, OrgIndex>();
  private closed = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly db: TenantDb,
    private readonly scheduler: EvaluationScheduler,
  ) {}

  /**
   * Call after samples are committed. Never throws and never blocks the caller; the returned
   * promise settles once the evaluations are enqueued (tests may await it, ingest need not).
   * `metricNames` is read later, at the end of the window, and only if some rule of the
   * organization names a metric: it may be a lazy view of the write (it must not change).
   */
  onSamplesWritten(orgId: string, metricNames: Iterable<string>): Promise<void> {
    if (this.closed) return Promise.resolve();
    const entry = this.pending.get(orgId);
    if (entry) {
      entry.names.push(metricNames);
      return entry.done;
    }
    const names = [metricNames];
    const done = new Promise<void>((resolve) => {
      setTimeout(() => {
        this.pending.delete(orgId);
        this.flush(orgId, names)
          .catch((err) =>
            this.logger.warn(
              `immediate evaluation for ${orgId} not enqueued: ${(err as Error).message}`,
            ),
          )
          .finally(resolve);
      }, TRIGGER_DEBOUNCE_MS).unref();
    });
    this.pending.set(orgId, { names, done });
    return done;
  }

  /** Rules of the organization changed: every process reloads its index on next use. */
  async rulesChanged(orgId: string): Promise<void> {
    this.indexes.delete(orgId);
    await this.redis.incr(this.versionKey(orgId));
  }

  /** The groups that a write of these metrics concerns (exposed for tests and explainers). */
  async groupsFor(orgId: string, ...metricNames: Iterable<string>[]): Promise<Set<string>> {
    const index = await this.index(orgId);
    const out = new Set(index.anyMetric);
    // Without a rule that names a metric, the writes' names are never read (ingest's are a lazy
    // view of the request, so an organization without such rules does not pay for them).
    if (index.byMetric.size === 0) return out;
    for (const names of metricNames)
      for (const n of names) for (const g of index.byMetric.get(n) ?? []) out.add(g);
    return out;
  }

  private async flush(orgId: string, names: Iterable<string>[]): Promise<void> {
    if (this.closed) return;
    const groups = await this.groupsFor(orgId, ...names);
    if (!groups.size) return;
    const ts = Date.now();
    await Promise.all([...groups].map((g) => this.scheduler.enqueueNow(orgId, g, ts)));
  }

  private versionKey(orgId: string): string {
    return redisKey('alerting', 'rules-version', orgId);
  }

  private async index(orgId: string): Promise<OrgIndex> {
    const version = (await this.redis.get(this.versionKey(orgId))) ?? '0';
    const cached = this.indexes.get(orgId);
    if (cached && cached.version === version) return cached;
    const rules = await this.db.forOrg(orgId, (tx) =>
      tx.rule.findMany({
        where: { orgId, enabled: true },
        select: { groupId: true, expr: true, recoveryExpr: true },
      }),
    );
    const index: OrgIndex = { version, byMetric: new Map(), anyMetric: new Set() };
    for (const r of rules) {
      for (const expr of [r.expr, r.recoveryExpr]) {
        if (!expr) continue;
        const names = metricNamesOf(expr);
        if (names === null) {
          index.anyMetric.add(r.groupId);
          continue;
        }
        for (const n of names) {
          let set = index.byMetric.get(n);
          if (!set) index.byMetric.set(n, (set = new Set()));
          set.add(r.groupId);
        }
      }
    }
    // Bounded: an api replica serving many organizations keeps the busiest recent ones.
    if (this.indexes.size > 10_000) this.indexes.delete(this.indexes.keys().next().value!);
    this.indexes.set(orgId, index);
    return index;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending.values()].map((p) => p.done));
  }
}
