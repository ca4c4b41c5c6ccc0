import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { currentOrgId } from '@tocsin/tenancy';
import type { StatusIncidentInput, StatusIncidentKindEnum, StatusIncidentObject } from './dto/status-incident.object';
import { StatusIncidentsRepository, type StatusIncidentRow, type StatusUpdateRow } from './status-incidents.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const STATUSES = {
  incident: ['investigating', 'identified', 'monitoring', 'resolved'],
  maintenance: ['scheduled', 'in_progress', 'completed'],
} as const;
const TERMINAL = new Set(['resolved', 'completed']);

function toObject(r: StatusIncidentRow, updates: StatusUpdateRow[]): StatusIncidentObject {
  return {
    id: r.id,
    kind: r.kind as StatusIncidentKindEnum,
    title: r.title,
    status: r.status,
    checkIds: r.checkIds,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    updates: updates.filter((u) => u.incidentId === r.id).map((u) => ({ id: u.id, status: u.status, body: u.body, createdAt: u.createdAt })),
  };
}

function checkStatus(kind: 'incident' | 'maintenance', status: string): void {
  if (!(STATUSES[kind] as readonly string[]).includes(status)) throw AppError.badInput(`status of a ${kind} must be one of ${STATUSES[kind].join(', ')}`);
}

function checkBody(body: string): string {
  const b = body?.trim();
  if (!b || b.length > 10_000) throw AppError.badInput('body must be 1–10000 characters');
  return b;
}

/** Incidents and maintenance of the public status page, with their updates. */
@Injectable()
export class StatusIncidentsService {
  private readonly repo = new StatusIncidentsRepository();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(days = 90): Promise<StatusIncidentObject[]> {
    const orgId = currentOrgId();
    return withOrgClient(this.pool, orgId, async (c) => {
      const rows = await this.repo.listSince(c, orgId, new Date(Date.now() - days * 86_400_000));
      const updates = await this.repo.updatesOf(c, orgId, rows.map((r) => r.id));
      return rows.map((r) => toObject(r, updates));
    });
  }

  async create(input: StatusIncidentInput): Promise<StatusIncidentObject> {
    const orgId = currentOrgId();
    const kind = (input.kind ?? 'incident') as 'incident' | 'maintenance';
    const title = input.title?.trim();
    if (!title || title.length > 300) throw AppError.badInput('title must be 1–300 characters');
    checkStatus(kind, input.status);
    const body = checkBody(input.body);
    const checkIds = input.checkIds ?? [];
    if (checkIds.some((id) => !UUID.test(id))) throw AppError.badInput('checkIds must be check ids');
    const startsAt = input.startsAt ?? new Date();
    const endsAt = input.endsAt ?? (TERMINAL.has(input.status) ? new Date() : null);
    if (endsAt && endsAt < startsAt) throw AppError.badInput('endsAt is before startsAt');
    return withOrgClient(this.pool, orgId, async (c) => {
      // Only this organization's checks may be attached (RLS hides the others anyway).
      if (checkIds.length) {
        const { rows } = await c.query(`select id from probe_checks where org_id = $1 and id = any($2::uuid[])`, [orgId, checkIds]);
        if (rows.length !== new Set(checkIds).size) throw AppError.badInput('unknown check in checkIds');
      }
      const row = await this.repo.create(c, orgId, { kind, title, status: input.status, checkIds, startsAt, endsAt });
      const update = await this.repo.addUpdate(c, orgId, row.id, input.status, body);
      return toObject(row, [update]);
    });
  }

  async addUpdate(incidentId: string, status: string, body: string): Promise<StatusIncidentObject> {
    const orgId = currentOrgId();
    if (!UUID.test(incidentId)) throw AppError.notFound('Status incident');
    const text = checkBody(body);
    return withOrgClient(this.pool, orgId, async (c) => {
      const row = await this.repo.find(c, orgId, incidentId);
      if (!row) throw AppError.notFound('Status incident');
      checkStatus(row.kind, status);
      const endsAt = TERMINAL.has(status) ? new Date() : null;
      await this.repo.update(c, orgId, incidentId, status, endsAt);
      await this.repo.addUpdate(c, orgId, incidentId, status, text);
      const fresh = (await this.repo.find(c, orgId, incidentId))!;
      return toObject(fresh, await this.repo.updatesOf(c, orgId, [incidentId]));
    });
  }
}
