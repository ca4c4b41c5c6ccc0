import { Injectable } from '@nestjs/common';
import { AppError } from '@tocsin/graphql';
import { AuditService, TenantDb } from '@tocsin/tenancy';
import { fromGrafana, parseDefinition } from './dashboard-definition';
import { DashboardsRepository, type DashboardRow } from './dashboards.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkTitle(title: string): string {
  const t = title.trim();
  if (!t || t.length > 200)
    throw AppError.badInput('A dashboard title of 1–200 characters', { field: 'title' });
  return t;
}

function checkDefinition(input: unknown) {
  const parsed = parseDefinition(input);
  if (typeof parsed === 'string') throw AppError.badInput(parsed, { field: 'definition' });
  return parsed;
}

@Injectable()
export class DashboardsService {
  constructor(
    private readonly db: TenantDb,
    private readonly repo: DashboardsRepository,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<DashboardRow[]> {
    return this.db.run((tx, orgId) => this.repo.list(tx, { orgId }));
  }

  async get(id: string): Promise<DashboardRow> {
    if (!UUID.test(id)) throw AppError.notFound('Dashboard');
    const row = await this.db.run((tx, orgId) => this.repo.get(tx, { orgId, id }));
    if (!row) throw AppError.notFound('Dashboard');
    return row;
  }

  async create(title: string, definition: unknown): Promise<DashboardRow> {
    const data = { title: checkTitle(title), definition: checkDefinition(definition) };
    return this.db.run(async (tx, orgId) => {
      const row = await this.repo.create(tx, { orgId, ...data });
      await this.audit.record(tx, orgId, {
        action: 'dashboard.create',
        targetType: 'dashboard',
        targetId: row.id,
      });
      return row;
    });
  }

  async update(id: string, title: string, definition: unknown): Promise<DashboardRow> {
    if (!UUID.test(id)) throw AppError.notFound('Dashboard');
    const data = { title: checkTitle(title), definition: checkDefinition(definition) };
    return this.db.run(async (tx, orgId) => {
      const row = await this.repo.update(tx, { orgId, id }, data);
      if (!row) throw AppError.notFound('Dashboard');
      await this.audit.record(tx, orgId, {
        action: 'dashboard.update',
        targetType: 'dashboard',
        targetId: id,
      });
      return row;
    });
  }

  async duplicate(id: string): Promise<DashboardRow> {
    const source = await this.get(id);
    return this.create(`${source.title} (copy)`.slice(0, 200), source.definition);
  }

  async delete(id: string): Promise<boolean> {
    if (!UUID.test(id)) throw AppError.notFound('Dashboard');
    return this.db.run(async (tx, orgId) => {
      const deleted = await this.repo.delete(tx, { orgId, id });
      if (!deleted) throw AppError.notFound('Dashboard');
      await this.audit.record(tx, orgId, {
        action: 'dashboard.delete',
        targetType: 'dashboard',
        targetId: id,
      });
      return true;
    });
  }

  async importGrafana(json: unknown): Promise<{ dashboard: DashboardRow; skipped: string[] }> {
    const converted = fromGrafana(json);
    if (typeof converted === 'string') throw AppError.badInput(converted, { field: 'json' });
    const dashboard = await this.create(converted.title, converted.definition);
    return { dashboard, skipped: converted.skipped };
  }
}
