import type { PoolClient } from 'pg';

export interface StatusIncidentRow {
  id: string;
  orgId: string;
  kind: 'incident' | 'maintenance';
  title: string;
  status: string;
  checkIds: string[];
  startsAt: Date;
  endsAt: Date | null;
  createdAt: Date;
}

export interface StatusUpdateRow {
  id: string;
  incidentId: string;
  status: string;
  body: string;
  createdAt: Date;
}

const COLUMNS = `id, org_id as "orgId", kind, title, status, check_ids as "checkIds", starts_at as "startsAt", ends_at as "endsAt", created_at as "createdAt"`;

/** The only code that touches status_incidents and status_incident_updates. */
export class StatusIncidentsRepository {
  async create(c: PoolClient, orgId: string, i: Pick<StatusIncidentRow, 'kind' | 'title' | 'status' | 'checkIds' | 'startsAt' | 'endsAt'>): Promise<StatusIncidentRow> {
    const { rows } = await c.query<StatusIncidentRow>(
      `insert into status_incidents (org_id, kind, title, status, check_ids, starts_at, ends_at) values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
      [orgId, i.kind, i.title, i.status, i.checkIds, i.startsAt, i.endsAt],
    );
    return rows[0];
  }

  async find(c: PoolClient, orgId: string, id: string): Promise<StatusIncidentRow | null> {
    return (await c.query<StatusIncidentRow>(`select ${COLUMNS} from status_incidents where org_id = $1 and id = $2`, [orgId, id])).rows[0] ?? null;
  }

  async update(c: PoolClient, orgId: string, id: string, status: string, endsAt: Date | null): Promise<void> {
    await c.query(`update status_incidents set status = $3, ends_at = coalesce($4, ends_at) where org_id = $1 and id = $2`, [orgId, id, status, endsAt]);
  }

  async addUpdate(c: PoolClient, orgId: string, incidentId: string, status: string, body: string): Promise<StatusUpdateRow> {
    const { rows } = await c.query<StatusUpdateRow>(
      `insert into status_incident_updates (org_id, incident_id, status, body) values ($1, $2, $3, $4)
       returning id, incident_id as "incidentId", status, body, created_at as "createdAt"`,
      [orgId, incidentId, status, body],
    );
    return rows[0];
  }

  /** Incidents and maintenance that were open at some point since `since`, newest first. */
  async listSince(c: PoolClient, orgId: string, since: Date): Promise<StatusIncidentRow[]> {
    return (await c.query<StatusIncidentRow>(`select ${COLUMNS} from status_incidents where org_id = $1 and (ends_at is null or ends_at >= $2) order by starts_at desc limit 200`, [orgId, since])).rows;
  }

  async updatesOf(c: PoolClient, orgId: string, incidentIds: string[]): Promise<StatusUpdateRow[]> {
    if (!incidentIds.length) return [];
    return (
      await c.query<StatusUpdateRow>(
        `select id, incident_id as "incidentId", status, body, created_at as "createdAt" from status_incident_updates
         where org_id = $1 and incident_id = any($2::uuid[]) order by created_at desc`,
        [orgId, incidentIds],
      )
    ).rows;
  }

  async recentUpdates(c: PoolClient, orgId: string, limit: number): Promise<(StatusUpdateRow & { title: string; kind: string })[]> {
    return (
      await c.query<StatusUpdateRow & { title: string; kind: string }>(
        `select u.id, u.incident_id as "incidentId", u.status, u.body, u.created_at as "createdAt", i.title, i.kind
         from status_incident_updates u join status_incidents i on i.id = u.incident_id and i.org_id = u.org_id
         where u.org_id = $1 order by u.created_at desc limit $2`,
        [orgId, limit],
      )
    ).rows;
  }

  async publicChecks(c: PoolClient, orgId: string): Promise<{ id: string; name: string; status: string }[]> {
    return (await c.query(`select id, name, status from probe_checks where org_id = $1 and public order by name`, [orgId])).rows;
  }
}
