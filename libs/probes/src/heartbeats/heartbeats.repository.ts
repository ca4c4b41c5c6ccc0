import type { Pool, PoolClient } from 'pg';

export interface HeartbeatRow {
  id: string;
  orgId: string;
  name: string;
  periodMs: number | null;
  cron: string | null;
  timezone: string;
  graceMs: number;
  lastBeatAt: Date | null;
  status: string;
  ruleId: string | null;
  createdAt: Date;
}

const COLUMNS = `id, org_id as "orgId", name, period_ms as "periodMs", cron, timezone, grace_ms as "graceMs",
  last_beat_at as "lastBeatAt", status, rule_id as "ruleId", created_at as "createdAt"`;

/** The only code that touches heartbeats. */
export class HeartbeatsRepository {
  async list(c: PoolClient, orgId: string): Promise<HeartbeatRow[]> {
    return (await c.query<HeartbeatRow>(`select ${COLUMNS} from heartbeats where org_id = $1 order by name`, [orgId])).rows;
  }

  async find(c: PoolClient, orgId: string, id: string): Promise<HeartbeatRow | null> {
    return (await c.query<HeartbeatRow>(`select ${COLUMNS} from heartbeats where org_id = $1 and id = $2`, [orgId, id])).rows[0] ?? null;
  }

  async create(c: PoolClient, orgId: string, h: Pick<HeartbeatRow, 'name' | 'periodMs' | 'cron' | 'timezone' | 'graceMs'>, tokenHash: string): Promise<HeartbeatRow> {
    const { rows } = await c.query<HeartbeatRow>(
      `insert into heartbeats (org_id, name, token_hash, period_ms, cron, timezone, grace_ms) values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
      [orgId, h.name, tokenHash, h.periodMs, h.cron, h.timezone, h.graceMs],
    );
    return rows[0];
  }

  async setRule(c: PoolClient, orgId: string, id: string, ruleId: string): Promise<void> {
    await c.query(`update heartbeats set rule_id = $3 where org_id = $1 and id = $2`, [orgId, id, ruleId]);
  }

  async delete(c: PoolClient, orgId: string, id: string): Promise<HeartbeatRow | null> {
    return (await c.query<HeartbeatRow>(`delete from heartbeats where org_id = $1 and id = $2 returning ${COLUMNS}`, [orgId, id])).rows[0] ?? null;
  }

  async recordBeat(c: PoolClient, orgId: string, id: string, at: Date): Promise<HeartbeatRow | null> {
    return (await c.query<HeartbeatRow>(`update heartbeats set last_beat_at = greatest(coalesce(last_beat_at, $3), $3), status = 'up' where org_id = $1 and id = $2 returning ${COLUMNS}`, [orgId, id, at])).rows[0] ?? null;
  }

  async setStatus(c: PoolClient, orgId: string, id: string, status: string): Promise<void> {
    await c.query(`update heartbeats set status = $3 where org_id = $1 and id = $2 and status <> $3`, [orgId, id, status]);
  }

  /** Whose token this is: the only lookup done without an organization (SECURITY DEFINER). */
  async owner(pool: Pool, tokenHash: string): Promise<{ orgId: string; heartbeatId: string } | null> {
    const { rows } = await pool.query<{ orgId: string; heartbeatId: string }>(`select org_id as "orgId", heartbeat_id as "heartbeatId" from heartbeat_owner($1)`, [tokenHash]);
    return rows[0] ?? null;
  }
}
