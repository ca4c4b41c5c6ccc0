import type { PoolClient } from 'pg';
import type { SealedAuth } from './auth-seal';

export interface ScrapeTargetRow {
  id: string;
  orgId: string;
  job: string;
  scheme: 'http' | 'https';
  address: string;
  metricsPath: string;
  intervalMs: number;
  timeoutMs: number;
  labels: Record<string, string>;
  auth: SealedAuth | null;
  metricRelabelConfigs: unknown[];
  enabled: boolean;
  health: string;
  lastScrapeAt: Date | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastSamples: number | null;
}

const COLUMNS = `id, org_id as "orgId", job, scheme, address, metrics_path as "metricsPath", interval_ms as "intervalMs",
  timeout_ms as "timeoutMs", labels, auth, metric_relabel_configs as "metricRelabelConfigs", enabled, health,
  last_scrape_at as "lastScrapeAt", last_error as "lastError", last_duration_ms as "lastDurationMs", last_samples as "lastSamples"`;

/** `auth: undefined` on update keeps the stored credentials (the API never returns them to resend). */
export type ScrapeTargetWrite = Omit<ScrapeTargetRow, 'id' | 'orgId' | 'health' | 'lastScrapeAt' | 'lastError' | 'lastDurationMs' | 'lastSamples' | 'auth'> & {
  auth: SealedAuth | null | undefined;
};

/** The only code that touches scrape_targets. Every query names the organization; RLS is the net. */
export class ScrapeTargetsRepository {
  async list(c: PoolClient, orgId: string): Promise<ScrapeTargetRow[]> {
    return (await c.query<ScrapeTargetRow>(`select ${COLUMNS} from scrape_targets where org_id = $1 order by job, address`, [orgId])).rows;
  }

  async find(c: PoolClient, orgId: string, id: string): Promise<ScrapeTargetRow | null> {
    return (await c.query<ScrapeTargetRow>(`select ${COLUMNS} from scrape_targets where org_id = $1 and id = $2`, [orgId, id])).rows[0] ?? null;
  }

  async create(c: PoolClient, orgId: string, t: ScrapeTargetWrite): Promise<ScrapeTargetRow> {
    const { rows } = await c.query<ScrapeTargetRow>(
      `insert into scrape_targets (org_id, job, scheme, address, metrics_path, interval_ms, timeout_ms, labels, auth, metric_relabel_configs, enabled)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning ${COLUMNS}`,
      [orgId, t.job, t.scheme, t.address, t.metricsPath, t.intervalMs, t.timeoutMs, JSON.stringify(t.labels), t.auth ? JSON.stringify(t.auth) : null, JSON.stringify(t.metricRelabelConfigs), t.enabled],
    );
    return rows[0];
  }

  async update(c: PoolClient, orgId: string, id: string, t: ScrapeTargetWrite): Promise<ScrapeTargetRow | null> {
    const { rows } = await c.query<ScrapeTargetRow>(
      `update scrape_targets set job = $3, scheme = $4, address = $5, metrics_path = $6, interval_ms = $7, timeout_ms = $8, labels = $9,
         auth = case when $13 then auth else $10 end, metric_relabel_configs = $11, enabled = $12, updated_at = now()
       where org_id = $1 and id = $2 returning ${COLUMNS}`,
      [orgId, id, t.job, t.scheme, t.address, t.metricsPath, t.intervalMs, t.timeoutMs, JSON.stringify(t.labels), t.auth ? JSON.stringify(t.auth) : null, JSON.stringify(t.metricRelabelConfigs), t.enabled, t.auth === undefined],
    );
    return rows[0] ?? null;
  }

  async delete(c: PoolClient, orgId: string, id: string): Promise<boolean> {
    return ((await c.query(`delete from scrape_targets where org_id = $1 and id = $2`, [orgId, id])).rowCount ?? 0) > 0;
  }

  async lastSeries(c: PoolClient, orgId: string, id: string): Promise<string[]> {
    const { rows } = await c.query<{ s: string[] }>(`select last_series as s from scrape_targets where org_id = $1 and id = $2`, [orgId, id]);
    return rows[0]?.s ?? [];
  }

  async recordScrape(
    c: PoolClient,
    orgId: string,
    id: string,
    r: { at: Date; up: boolean; error: string | null; durationMs: number; samples: number; seriesKeys: string[] },
  ): Promise<void> {
    await c.query(
      `update scrape_targets set health = $3, last_scrape_at = $4, last_error = $5, last_duration_ms = $6, last_samples = $7, last_series = $8
       where org_id = $1 and id = $2`,
      [orgId, id, r.up ? 'up' : 'down', r.at, r.error, r.durationMs, r.samples, JSON.stringify(r.seriesKeys)],
    );
  }
}
