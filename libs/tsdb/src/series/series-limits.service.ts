import { withOrgClient } from '@tocsin/db';
import type { Pool } from 'pg';
import type { Labels } from '../model';
import { assertOrgId, TsdbInputError } from '../tsdb.errors';
import { HOUR_MS, type SeriesLimitCheck, type SeriesLimits, type SeriesMemo } from '../tsdb.types';
import { labelsHash } from './labels';
import { SeriesIndex } from './series-index';

export interface SeriesLimitsOptions {
  /** "Active" means written within this window (series.last_seen). */
  activeWindowMs?: number;
  /** How long an organization's active count is reused before it is counted again. */
  countCacheMs?: number;
  now?: () => number;
}

/**
 * Counts for the ingest limits: active series per organization and per metric, and a check of
 * whether the series of a request would pass the limits. libs/ingest decides what to answer.
 * Counts are approximate by design (cached a few seconds, last_seen refreshed every few
 * minutes, concurrent writers not coordinated), as are Mimir's per-distributor limits.
 */
export class SeriesLimitsService {
  private readonly windowMs: number;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly counts = new Map<string, { at: number; value: number }>();

  constructor(
    private readonly pool: Pool,
    private readonly index: SeriesIndex,
    options: SeriesLimitsOptions = {},
  ) {
    this.windowMs = options.activeWindowMs ?? 3 * HOUR_MS;
    this.cacheMs = options.countCacheMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async activeSeries(orgId: string, windowMs = this.windowMs): Promise<number> {
    assertOrgId(orgId);
    return withOrgClient(this.pool, orgId, async (c) => {
      const { rows } = await c.query<{ n: string }>(
        `SELECT count(*) AS n FROM series WHERE org_id = $1 AND last_seen >= to_timestamp($2)`,
        [orgId, (this.now() - windowMs) / 1000],
      );
      return Number(rows[0].n);
    });
  }

  /** Active series per metric; all metrics, or only those named. */
  async seriesPerMetric(
    orgId: string,
    metrics?: string[],
    windowMs = this.windowMs,
  ): Promise<Map<string, number>> {
    assertOrgId(orgId);
    return withOrgClient(this.pool, orgId, async (c) => {
      const { rows } = await c.query<{ metric: string; n: string }>(
        `SELECT metric, count(*) AS n FROM series
          WHERE org_id = $1 AND last_seen >= to_timestamp($2) AND ($3::text[] IS NULL OR metric = ANY($3::text[]))
          GROUP BY metric`,
        [orgId, (this.now() - windowMs) / 1000, metrics ?? null],
      );
      return new Map(rows.map((r) => [r.metric, Number(r.n)]));
    });
  }

  /**
   * Would writing these label sets pass the limits? Known label sets (in the writer's cache or
   * the index) are free; the database is asked only when something looks new. `memos`, parallel
   * to `labelSets`, are the writes' {@link SeriesMemo}s: a label set the writer resolved for
   * this organization is then known without canonicalising it.
   */
  async checkNewSeries(
    orgId: string,
    labelSets: readonly Labels[],
    limits: SeriesLimits,
    memos?: ReadonlyArray<SeriesMemo | undefined>,
  ): Promise<SeriesLimitCheck> {
    assertOrgId(orgId);
    if (!limits || !(limits.maxActiveSeries >= 0))
      throw new TsdbInputError('limits.maxActiveSeries is required');
    const unknown = this.index.uncached(orgId, labelSets, memos);
    if (unknown.size === 0)
      return {
        newSeries: 0,
        activeSeries: null,
        exceedsActiveSeries: false,
        exceededMetrics: [],
        ok: true,
      };

    const hashes = [...unknown.keys()].map((c) => labelsHash(c));
    const existing = await withOrgClient(this.pool, orgId, async (c) => {
      const { rows } = await c.query<{ hash: Buffer }>(
        `SELECT hash FROM series WHERE org_id = $1 AND hash = ANY($2::bytea[])`,
        [orgId, hashes],
      );
      return new Set(rows.map((r) => r.hash.toString('hex')));
    });
    const fresh = [...unknown.values()].filter((_, i) => !existing.has(hashes[i].toString('hex')));
    if (fresh.length === 0)
      return {
        newSeries: 0,
        activeSeries: null,
        exceedsActiveSeries: false,
        exceededMetrics: [],
        ok: true,
      };

    const active = await this.cachedActive(orgId);
    const exceedsActiveSeries = active + fresh.length > limits.maxActiveSeries;
    const exceededMetrics: string[] = [];
    if (limits.maxSeriesPerMetric != null) {
      const perMetric = new Map<string, number>();
      for (const l of fresh) perMetric.set(l.__name__, (perMetric.get(l.__name__) ?? 0) + 1);
      const current = await this.seriesPerMetric(orgId, [...perMetric.keys()]);
      for (const [metric, n] of perMetric) {
        if ((current.get(metric) ?? 0) + n > limits.maxSeriesPerMetric)
          exceededMetrics.push(metric);
      }
    }
    return {
      newSeries: fresh.length,
      activeSeries: active,
      exceedsActiveSeries,
      exceededMetrics: exceededMetrics.sort(),
      ok: !exceedsActiveSeries && exceededMetrics.length === 0,
    };
  }

  private async cachedActive(orgId: string): Promise<number> {
    const now = this.now();
    const hit = this.counts.get(orgId);
    if (hit && now - hit.at < this.cacheMs) return hit.value;
    const value = await this.activeSeries(orgId);
    this.counts.set(orgId, { at: now, value });
    return value;
  }
}
