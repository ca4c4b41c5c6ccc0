import { Injectable } from '@nestjs/common';
import type { Prisma, Tx } from '@tocsin/db';
import type { OrgScoped } from '@tocsin/tenancy';
import type { Matcher } from '../routing/matchers';
import type { TimeInterval } from './time-interval';

export interface MaintenanceWindowRow {
  id: string;
  orgId: string;
  name: string;
  matchers: Matcher[];
  schedule: TimeInterval;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

type Data = Pick<MaintenanceWindowRow, 'name' | 'matchers' | 'schedule' | 'enabled'>;
const json = (d: Partial<Data>) => ({
  ...d,
  matchers: d.matchers as unknown as Prisma.InputJsonValue | undefined,
  schedule: d.schedule as unknown as Prisma.InputJsonValue | undefined,
});

/** The only code that touches the maintenance_windows table. */
@Injectable()
export class MaintenanceRepository {
  async list(
    tx: Tx,
    where: OrgScoped<Prisma.MaintenanceWindowWhereInput>,
  ): Promise<MaintenanceWindowRow[]> {
    return (await tx.maintenanceWindow.findMany({
      where,
      orderBy: { name: 'asc' },
      take: 1000,
    })) as unknown as MaintenanceWindowRow[];
  }

  async get(tx: Tx, where: OrgScoped<{ id: string }>): Promise<MaintenanceWindowRow | null> {
    return (await tx.maintenanceWindow.findFirst({
      where,
    })) as unknown as MaintenanceWindowRow | null;
  }

  async create(tx: Tx, orgId: string, data: Data): Promise<MaintenanceWindowRow> {
    return (await tx.maintenanceWindow.create({
      data: { orgId, ...json(data) } as Prisma.MaintenanceWindowUncheckedCreateInput,
    })) as unknown as MaintenanceWindowRow;
  }

  async update(
    tx: Tx,
    where: OrgScoped<{ id: string }>,
    data: Data,
  ): Promise<MaintenanceWindowRow | null> {
    const { count } = await tx.maintenanceWindow.updateMany({ where, data: json(data) });
    return count ? this.get(tx, where) : null;
  }

  async delete(tx: Tx, where: OrgScoped<{ id: string }>): Promise<boolean> {
    const { count } = await tx.maintenanceWindow.deleteMany({ where });
    return count > 0;
  }
}
