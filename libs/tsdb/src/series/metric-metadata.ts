import { withOrgClient } from '@tocsin/db';
import type { Pool } from 'pg';

/** A metric name's TYPE, HELP and UNIT, as remote_write senders describe it. */
export interface MetricMetadataEntry {
  metric: string;
  type: string;
  help: string;
  unit: string;
}

/** What `/api/v1/metadata` answers: per metric name, its metadata (one entry: the latest sent). */
export type MetadataByMetric = Record<string, Array<{ type: string; help: string; unit: string }>>;

/** Entries the process remembers as stored, across organizations, before it starts over. */
const MAX_REMEMBERED = 200_000;

/**
 * The `metric_metadata` table. Prometheus re-sends every target's metadata each minute, so a
 * write goes to PostgreSQL only with entries this process has not stored as they are; a row per
 * organization and metric name, the latest sent winning. New metric names stop being added once
 * the organization holds `maxMetrics` of them (updates of those it has go on).
 */
export class MetricMetadataStore {
  private readonly stored = new Map<string, string>();

  constructor(private readonly pool: Pool) {}

  /** Stores what changed; resolves once committed. Returns how many entries were written. */
  async write(orgId: string, entries: MetricMetadataEntry[], maxMetrics: number): Promise<number> {
    const latest = new Map<string, MetricMetadataEntry>();
    for (const e of entries) latest.set(e.metric, e);
    const changed = [...latest.values()].filter(
      (e) => this.stored.get(`${orgId}\n${e.metric}`) !== describe(e),
    );
    if (changed.length === 0) return 0;
    const written = await withOrgClient(this.pool, orgId, async (client) => {
      const { rows } = await client.query<{ metric: string }>(
        'SELECT metric FROM metric_metadata WHERE org_id = $1 AND metric = ANY($2::text[])',
        [orgId, changed.map((e) => e.metric)],
      );
      const known = new Set(rows.map((r) => r.metric));
      let room = 0;
      if (known.size < changed.length) {
        const { rows: count } = await client.query<{ n: string }>(
          'SELECT count(*) AS n FROM metric_metadata WHERE org_id = $1',
          [orgId],
        );
        room = Math.max(0, maxMetrics - Number(count[0].n));
      }
      const kept = changed.filter((e) => known.has(e.metric) || room-- > 0);
      if (kept.length === 0) return kept;
      await client.query(
        `INSERT INTO metric_metadata (org_id, metric, type, help, unit)
         SELECT $1, m, t, h, u FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(m, t, h, u)
         ON CONFLICT (org_id, metric) DO UPDATE
            SET type = excluded.type, help = excluded.help, unit = excluded.unit, updated_at = now()`,
        [
          orgId,
          kept.map((e) => e.metric),
          kept.map((e) => e.type),
          kept.map((e) => e.help),
          kept.map((e) => e.unit),
        ],
      );
      return kept;
    });
    if (this.stored.size + written.length > MAX_REMEMBERED) this.stored.clear();
    for (const e of written) this.stored.set(`${orgId}\n${e.metric}`, describe(e));
    return written.length;
  }

  /**
   * The organization's metadata by metric name, in name order: of `metric` only when given, of
   * at most `limit` names when given (Prometheus' `limit`: 0 answers none).
   */
  async list(
    orgId: string,
    options: { metric?: string; limit?: number } = {},
  ): Promise<MetadataByMetric> {
    const { metric, limit } = options;
    const values: unknown[] = [orgId];
    let sql = 'SELECT metric, type, help, unit FROM metric_metadata WHERE org_id = $1';
    if (metric !== undefined) {
      values.push(metric);
      sql += ` AND metric = $${values.length}`;
    }
    sql += ' ORDER BY metric';
    if (limit !== undefined && limit >= 0) {
      values.push(limit);
      sql += ` LIMIT $${values.length}`;
    }
    const rows = await withOrgClient(
      this.pool,
      orgId,
      async (client) => (await client.query<MetricMetadataEntry>(sql, values)).rows,
      { readOnly: true },
    );
    const out: MetadataByMetric = {};
    for (const r of rows) out[r.metric] = [{ type: r.type, help: r.help, unit: r.unit }];
    return out;
  }
}

function describe(e: MetricMetadataEntry): string {
  return `${e.type}\n${e.unit}\n${e.help}`;
}
