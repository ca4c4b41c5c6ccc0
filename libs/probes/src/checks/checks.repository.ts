import type { PoolClient } from 'pg';
import type { CheckKind } from './check-engine';

export interface CheckRow {
  id: string;
  orgId: string;
  name: string;
  kind: CheckKind;
  target: string;
  config: Record<string, unknown>;
  intervalMs: number;
  timeoutMs: number;
  failureThreshold: number;
  consecutiveFailures: number;
  enabled: boolean;
  status: string;
  lastCheckedAt: Date | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastStatusCode: number | null;
  certNotAfter: Date | null;
  ruleId: string | null;
  public: boolean;
}

export type CheckWrite = Pick<CheckRow, 'name' | 'kind' | 'target' | 'config' | 'intervalMs' | 'timeoutMs' | 'failureThreshold' | 'enabled' | 'public'>;

const COLUMNS = `id, org_id as "orgId", name, kind, target, config, interval_ms as "intervalMs", timeout_ms as "timeoutMs",
  failure_threshold as "failureThreshold", consecutive_failures as "consecutiveFailures", enabled, status,
  last_checked_at as "lastCheckedAt", last_error as "lastError", last_duration_ms as "lastDurationMs",
  last_status_code as "lastStatusCode", cert_not_after as "certNotAfter", rule_id as "ruleId", public`;

/** The only code that touches probe_checks. */
export class ChecksRepository {
  async list(c: PoolClient, orgId: string): Promise<CheckRow[]> {
    return (await c.query<CheckRow>(`select ${COLUMNS} from probe_checks where org_id = $1 order by name`, [orgId])).rows;
  }

  async find(c: PoolClient, orgId: string, id: string): Promise<CheckRow | null> {
    return (await c.query<CheckRow>(`select ${COLUMNS} from probe_checks where org_id = $1 and id = $2`, [orgId, id])).rows[0] ?? null;
  }

  async create(c: PoolClient, orgId: string, w: CheckWrite): Promise<CheckRow> {
    const { rows } = await c.query<CheckRow>(
      `insert into probe_checks (org_id, name, kind, target, config, interval_ms, timeout_ms, failure_threshold, enabled, public)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${COLUMNS}`,
      [orgId, w.name, w.kind, w.target, JSON.stringify(w.config), w.intervalMs, w.timeoutMs, w.failureThreshold, w.enabled, w.public],
    );
    return rows[0];
  }

  async update(c: PoolClient, orgId: string, id: string, w: CheckWrite): Promise<CheckRow | null> {
    const { rows } = await c.query<CheckRow>(
      `update probe_checks set name = $3, kind = $4, target = $5, config = $6, interval_ms = $7, timeout_ms = $8, failure_threshold = $9,
         enabled = $10, public = $11, updated_at = now(),
         consecutive_failures = case when kind = $4 and target = $5 then consecutive_failures else 0 end
       where org_id = $1 and id = $2 returning ${COLUMNS}`,
      [orgId, id, w.name, w.kind, w.target, JSON.stringify(w.config), w.intervalMs, w.timeoutMs, w.failureThreshold, w.enabled, w.public],
    );
    return rows[0] ?? null;
  }

  async setRule(c: PoolClient, orgId: string, id: string, ruleId: string | null): Promise<void> {
    await c.query(`update probe_checks set rule_id = $3 where org_id = $1 and id = $2`, [orgId, id, ruleId]);
  }

  async delete(c: PoolClient, orgId: string, id: string): Promise<CheckRow | null> {
    return (await c.query<CheckRow>(`delete from probe_checks where org_id = $1 and id = $2 returning ${COLUMNS}`, [orgId, id])).rows[0] ?? null;
  }

  /**
   * Records a run and returns the new consecutive-failure count. The row is locked so two
   * overlapping runs of one check count one after the other, not both from the same base.
   */
  async recordRun(
    c: PoolClient,
    orgId: string,
    id: string,
    r: { at: Date; success: boolean; error: string | null; durationMs: number; statusCode: number | null; certNotAfter: Date | null },
  ): Promise<{ consecutiveFailures: number; status: string } | null> {
    const { rows } = await c.query<{ consecutiveFailures: number; status: string }>(
      `update probe_checks set
         consecutive_failures = case when $3 then 0 else consecutive_failures + 1 end,
         status = case when $3 then 'up' when consecutive_failures + 1 >= failure_threshold then 'down' else status end,
         last_checked_at = $4, last_error = $5, last_duration_ms = $6, last_status_code = $7, cert_not_after = coalesce($8, cert_not_after)
       where org_id = $1 and id = $2
       returning consecutive_failures as "consecutiveFailures", status`,
      [orgId, id, r.success, r.at, r.error, r.durationMs, r.statusCode, r.certNotAfter],
    );
    return rows[0] ?? null;
  }
}
