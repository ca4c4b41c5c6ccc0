import { Injectable } from '@nestjs/common';
import { AppError } from '@tocsin/graphql';
import { AuditService, TenantDb } from '@tocsin/tenancy';
import { printMatchers } from '../routing/matchers';
import { inputMatchers } from '../silences/silence.errors';
import { MaintenanceRepository, type MaintenanceWindowRow } from './maintenance.repository';
import { activeUntil, compileInterval, type TimeInterval } from './time-interval';

export interface MaintenanceWindowInput {
  name: string;
  matchers: string;
  schedule: unknown;
  enabled?: boolean | null;
}

export interface MaintenanceWindowView extends MaintenanceWindowRow {
  matchersText: string;
  activeNow: boolean;
  activeUntil: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class MaintenanceService {
  constructor(
    private readonly db: TenantDb,
    private readonly repo: MaintenanceRepository,
    private readonly audit: AuditService,
  ) {}

  private view(row: MaintenanceWindowRow, now = Date.now()): MaintenanceWindowView {
    let until: number | null = null;
    try {
      until = row.enabled ? activeUntil(compileInterval(row.schedule), now) : null;
    } catch {
      until = null;
    }
    return {
      ...row,
      matchersText: printMatchers(row.matchers),
      activeNow: until !== null,
      activeUntil: until === null ? null : new Date(until),
    };
  }

  private validate(input: MaintenanceWindowInput) {
    const name = input.name?.trim();
    if (!name || name.length > 200)
      throw AppError.badInput('a maintenance window needs a name (at most 200 characters)');
    const matchers = inputMatchers(input.matchers);
    if (!input.schedule || typeof input.schedule !== 'object' || Array.isArray(input.schedule)) {
      throw AppError.badInput('schedule must be an object { timeZone, weekdays, times, ranges }');
    }
    const s = input.schedule as TimeInterval;
    try {
      compileInterval(s);
    } catch (e) {
      throw AppError.badInput(`schedule: ${(e as Error).message}`);
    }
    const schedule: TimeInterval = {
      timeZone: s.timeZone,
      weekdays: s.weekdays,
      times: s.times,
      ranges: s.ranges,
    };
    return { name, matchers, schedule, enabled: input.enabled ?? true };
  }

  list(): Promise<MaintenanceWindowView[]> {
    return this.db.run(async (tx, orgId) =>
      (await this.repo.list(tx, { orgId })).map((r) => this.view(r)),
    );
  }

  async create(input: MaintenanceWindowInput): Promise<MaintenanceWindowView> {
    const data = this.validate(input);
    return this.db.run(async (tx, orgId) => {
      const row = await this.repo.create(tx, orgId, data);
      await this.audit.record(tx, orgId, {
        action: 'maintenance_window.create',
        targetType: 'maintenance_window',
        targetId: row.id,
      });
      return this.view(row);
    });
  }

  async update(id: string, input: MaintenanceWindowInput): Promise<MaintenanceWindowView> {
    if (!UUID.test(id)) throw AppError.notFound('Maintenance window');
    const data = this.validate(input);
    return this.db.run(async (tx, orgId) => {
      const row = await this.repo.update(tx, { orgId, id }, data);
      if (!row) throw AppError.notFound('Maintenance window');
      await this.audit.record(tx, orgId, {
        action: 'maintenance_window.update',
        targetType: 'maintenance_window',
        targetId: id,
      });
      return this.view(row);
    });
  }

  async delete(id: string): Promise<boolean> {
    if (!UUID.test(id)) throw AppError.notFound('Maintenance window');
    return this.db.run(async (tx, orgId) => {
      if (!(await this.repo.delete(tx, { orgId, id })))
        throw AppError.notFound('Maintenance window');
      await this.audit.record(tx, orgId, {
        action: 'maintenance_window.delete',
        targetType: 'maintenance_window',
        targetId: id,
      });
      return true;
    });
  }
}
